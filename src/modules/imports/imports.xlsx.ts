// First worksheet of an XLSX workbook → the same table shape as a CSV file. exceljs is loaded
// on the first workbook only: it costs every process ~30 MB of resident memory (its code and
// its zip and stream dependencies), and most imports and the web server never read one.
import type ExcelJS from 'exceljs';
import { ImportFileError, type RowError } from './imports.errors.ts';
import { normalizeHeader, type Table, type TableRow } from './imports.table.ts';

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

export async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError("Le classeur Excel est illisible (fichier .xlsx abîmé ou tronqué ?).");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new ImportFileError('Le classeur Excel est vide.');
  const headerRow = sheet.getRow(1);
  const originalHeaders: string[] = [];
  for (let c = 1; c <= headerRow.cellCount; c++) originalHeaders.push(cellText(headerRow.getCell(c).value).trim());
  while (originalHeaders.length > 0 && originalHeaders[originalHeaders.length - 1] === '') originalHeaders.pop();
  if (originalHeaders.length === 0) throw new ImportFileError("La première ligne du classeur (l'en-tête) est vide.");
  const headers = originalHeaders.map(normalizeHeader);
  const rows: TableRow[] = [];
  const errors: RowError[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values: Record<string, string> = {};
    let filled = false;
    for (const [i, h] of headers.entries()) {
      const text = cellText(row.getCell(i + 1).value);
      if (text.trim() !== '') filled = true;
      values[h] = text;
    }
    if (filled) rows.push({ row: r, values });
  }
  if (rows.length === 0) throw new ImportFileError("Le classeur ne contient qu'une ligne d'en-tête, sans aucune ligne de données.");
  return { headers, originalHeaders, rows, errors };
}
