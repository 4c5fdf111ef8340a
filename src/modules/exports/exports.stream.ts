// Streamed exports of the published registry. Rows are read by keyset pages of ids (never the
// whole set in memory) and written to a Node stream, respecting back-pressure.
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Database, LieuRow } from '../../db/database.ts';
import { standardFields, type StandardField } from '../lieux/lieux.schema.ts';
import { toDataInclusionService, toDataInclusionStructure } from './exports.data-inclusion.ts';
import { licence } from './exports.licence.ts';

export const exportFormats = ['standard-csv', 'standard-json', 'geojson', 'data-inclusion', 'data-inclusion-structures', 'data-inclusion-services'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportDeps {
  db: Kysely<Database>;
  /** Base URL of the public site, for data·inclusion `lien_source`. */
  publicUrl: string;
}

export const exportPageSize = 1000;

/** Published places in id order, one page at a time. */
export type ExportRow = Pick<LieuRow, StandardField>;

export async function* publishedLieuxPages(db: Kysely<Database>, pageSize = exportPageSize): AsyncGenerator<ExportRow[]> {
  let after: string | null = null;
  for (;;) {
    // Only the standard's columns: the search columns would double the bytes decoded per row.
    let query = db.selectFrom('lieux').select(standardFields).where('status', '=', 'published').orderBy('id').limit(pageSize);
    if (after !== null) query = query.where('id', '>', after);
    const rows: ExportRow[] = await query.execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** The standard v1 record: its 32 fields, in the standard's order. */
export function standardRecord(row: ExportRow): Record<StandardField, unknown> {
  const record = {} as Record<StandardField, unknown>;
  for (const field of standardFields) record[field] = row[field];
  return record;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('|');
  return String(value);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (chunk !== '' && !out.write(chunk)) await once(out, 'drain');
}

/**
 * Writes the standard v1 CSV of the given pages of rows (the registry's export, or a
 * territory's places); returns the row count.
 */
export async function writeStandardCsv(out: Writable, pages: AsyncIterable<ExportRow[]>): Promise<number> {
  // RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break.
  const options = { record_delimiter: 'windows' as const };
  await write(out, stringify([[...standardFields]], options));
  let count = 0;
  for await (const rows of pages) {
    await write(out, stringify(rows.map((row) => { const r = standardRecord(row); return standardFields.map((f) => csvCell(r[f])); }), options));
    count += rows.length;
  }
  return count;
}

/** Writes a JSON array of items mapped from each published row; returns the item count. */
async function writeJsonArray(deps: ExportDeps, out: Writable, item: (row: ExportRow) => unknown): Promise<number> {
  let count = 0;
  await write(out, '[');
  for await (const rows of publishedLieuxPages(deps.db)) {
    const items = rows.map(item).filter((value) => value !== null);
    if (items.length === 0) continue;
    await write(out, (count > 0 ? ',\n' : '\n') + items.map((value) => JSON.stringify(value)).join(',\n'));
    count += items.length;
  }
  await write(out, count > 0 ? '\n]\n' : ']\n');
  return count;
}

/**
 * Writes the export to `out` without ending it; returns the number of records written
 * (places, or services for `data-inclusion-services`).
 */
export async function writeExport(deps: ExportDeps, format: ExportFormat, out: Writable): Promise<number> {
  switch (format) {
    case 'standard-csv':
      return writeStandardCsv(out, publishedLieuxPages(deps.db));
    case 'standard-json':
      return writeJsonArray(deps, out, standardRecord);
    case 'geojson': {
      await write(out, `{"type":"FeatureCollection","licence":${JSON.stringify(licence.title)},"features":`);
      const count = await writeJsonArray(deps, out, (row) => ({
        type: 'Feature',
        geometry: row.latitude === null || row.longitude === null ? null : { type: 'Point', coordinates: [row.longitude, row.latitude] },
        properties: standardRecord(row),
      }));
      await write(out, '}\n');
      return count;
    }
    case 'data-inclusion-structures':
      return writeJsonArray(deps, out, (row) => toDataInclusionStructure(row, deps.publicUrl));
    case 'data-inclusion-services':
      return writeJsonArray(deps, out, (row) => toDataInclusionService(row, deps.publicUrl));
    case 'data-inclusion': {
      // Both lists in one document, as data·inclusion importers (ours included) read it.
      await write(out, '{"structures":');
      const count = await writeJsonArray(deps, out, (row) => toDataInclusionStructure(row, deps.publicUrl));
      await write(out, ',"services":');
      await writeJsonArray(deps, out, (row) => toDataInclusionService(row, deps.publicUrl));
      await write(out, '}\n');
      return count;
    }
  }
}
