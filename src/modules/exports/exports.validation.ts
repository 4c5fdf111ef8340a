// The producers' validator: reads a file with the import readers, checks every row with
// validateLieu and reports, without writing anything to the registry.
import { readSourceFile } from '../imports/imports.read.ts';
import { importFormatLabels, type ImportFormat } from '../imports/imports.read.ts';
import { standardFields } from '../lieux/lieux.schema.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import type { Territories } from '../territories/territories.types.ts';

export interface ValidationRowError {
  row: number;
  field: string;
  value: string | null;
  message: string;
}

export interface ValidationReport {
  format: ImportFormat;
  format_label: string;
  encoding: string | null;
  delimiter: string | null;
  rows_read: number;
  valid_rows: number;
  invalid_rows: number;
  errors: ValidationRowError[];
  ignored_columns: string[];
}

/** Reports the rows of `bytes` as the import would accept or reject them. */
export async function validateFile(bytes: Uint8Array, territories: Territories, format?: ImportFormat): Promise<ValidationReport> {
  const read = await readSourceFile({ bytes, format });
  const errors: ValidationRowError[] = read.errors.map((e) => ({ row: e.row, field: e.field, value: e.value ?? null, message: e.message }));
  const invalid = new Set(read.errors.map((e) => e.row));
  let valid = 0;
  for (const record of read.records) {
    const input: Record<string, unknown> = {};
    // The id is the producer's own; the registry assigns its own, so it is not checked here.
    for (const field of standardFields) if (field !== 'id') input[field] = record.lieu[field] ?? null;
    const result = validateLieu(input, territories, { ignoreUnknownFields: true });
    if (result.ok) {
      valid++;
      continue;
    }
    invalid.add(record.row);
    for (const e of result.errors) {
      // Some checks do not echo the value; the producer still needs to see what they sent.
      const value = e.value ?? input[e.field] ?? null;
      errors.push({ row: record.row, field: e.field, value: value === null ? null : Array.isArray(value) ? value.join('|') : String(value), message: e.message });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return {
    format: read.format,
    format_label: importFormatLabels[read.format],
    encoding: read.encoding ?? null,
    delimiter: read.delimiter ?? null,
    rows_read: read.total,
    valid_rows: valid,
    invalid_rows: invalid.size,
    errors,
    ignored_columns: read.ignoredColumns,
  };
}
