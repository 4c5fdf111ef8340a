// Delimited text → a table of rows keyed by normalised header names. Detects the delimiter
// (`,` `;` tab), accepts quoted multi-line fields, and reports rows whose column count is wrong
// instead of guessing.
import { parse, CsvError } from 'csv-parse/sync';
import { normalizeText } from '../../lib/text.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';

export type Delimiter = ',' | ';' | '\t';

export interface TableRow {
  /** Line of the file where the record starts (the header is line 1). */
  row: number;
  /** Values keyed by normalised header. */
  values: Record<string, string>;
}

export interface Table {
  /** Normalised headers, in file order. */
  headers: string[];
  /** Headers as written in the file. */
  originalHeaders: string[];
  rows: TableRow[];
  delimiter?: Delimiter;
  errors: RowError[];
}

/** A record longer than this is not a place: it is a broken file (e.g. one huge line). */
export const maxRecordBytes = 1024 * 1024;

/** "Code Postal ", "code-postal", "Code_postal" → "code_postal"; accents removed. */
export function normalizeHeader(header: string): string {
  return normalizeText(header.replace(/^\uFEFF/, '')).replace(/ /g, '_');
}

/** Counts candidate delimiters outside quotes on the first line (the header). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ',';
}

export function parseDelimited(text: string, options: { delimiter?: Delimiter } = {}): Table {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ImportFileError('Le fichier est vide.');
  const delimiter = options.delimiter ?? detectDelimiter(body);
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(body, {
      delimiter,
      // raw text of each record lets us count the lines it spans (csv-parse's own counter
      // drifts on CRLF inside quoted fields)
      raw: true,
      relax_column_count: true,
      max_record_size: maxRecordBytes,
    }) as unknown as typeof parsed;
  } catch (error) {
    throw csvFileError(error);
  }
  const first = parsed.find((p) => p.record.some((v) => v.trim() !== ''));
  if (!first) throw new ImportFileError('Le fichier est vide.');
  const originalHeaders = first.record.map((h) => h.trim());
  const headers = originalHeaders.map(normalizeHeader);
  const seen = new Set<string>();
  for (const [i, h] of headers.entries()) {
    if (h === '') throw new ImportFileError(`La colonne n° ${i + 1} de la ligne d'en-tête n'a pas de nom.`);
    if (seen.has(h)) throw new ImportFileError(`La colonne « ${originalHeaders[i]} » apparaît deux fois dans l'en-tête.`);
    seen.add(h);
  }
  const rows: TableRow[] = [];
  const errors: RowError[] = [];
  let line = 1;
  for (const { raw } of parsed.slice(0, parsed.indexOf(first) + 1)) line += linesSpanned(raw);
  for (const { record, raw } of parsed.slice(parsed.indexOf(first) + 1)) {
    const row = line;
    line += linesSpanned(raw);
    if (record.every((v) => v.trim() === '')) continue;
    if (record.length !== headers.length) {
      errors.push({
        row,
        field: '(ligne)',
        value: String(record.length),
        message: `La ligne compte ${record.length} colonnes au lieu de ${headers.length} (séparateur « ${describe(delimiter)} »).`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    for (const [i, h] of headers.entries()) values[h] = record[i]!;
    rows.push({ row, values });
  }
  if (rows.length === 0 && errors.length === 0) {
    throw new ImportFileError("Le fichier ne contient qu'une ligne d'en-tête, sans aucune ligne de données.");
  }
  return { headers, originalHeaders, rows, delimiter, errors };
}

function linesSpanned(raw: string): number {
  return 1 + (raw.replace(/(\r\n|\n|\r)$/, '').match(/\r\n|\n|\r/g)?.length ?? 0);
}

function describe(delimiter: Delimiter): string {
  return delimiter === '\t' ? 'tabulation' : delimiter;
}

function csvFileError(error: unknown): ImportFileError {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const at = line ? ` (ligne ${line})` : '';
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new ImportFileError(`Le fichier est tronqué : un guillemet ouvert n'est jamais refermé${at}.`);
      case 'CSV_MAX_RECORD_SIZE':
        return new ImportFileError(
          `Une ligne dépasse ${maxRecordBytes / 1024 / 1024} Mo${at} : le fichier n'est pas un tableau de lieux valide (fin de ligne ou guillemet manquant ?).`,
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return new ImportFileError(`Un guillemet est mal placé${at} : entourez les valeurs contenant des guillemets par des guillemets doublés ("").`);
      default:
        return new ImportFileError(`Le fichier CSV est illisible${at} : ${error.message}`);
    }
  }
  return new ImportFileError('Le fichier CSV est illisible.');
}
