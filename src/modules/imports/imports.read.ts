// Reads a source file into standard-keyed records: detects the format (or takes the one
// given), decodes text, parses CSV/XLSX/JSON/GeoJSON, applies the format adapter, and
// rejects rows with duplicate ids. Pure: no database, no network.
import { isUtf8 } from 'node:buffer';
import { decodeText, isZip, looksBinary, type TextEncoding } from './imports.decode.ts';
import { dataInclusionId, dataInclusionStructureFields, dataInclusionWarnings, mapDataInclusionStructure } from './imports.data-inclusion.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';
import { idOf, isStandardField, setField, standardFields, type RawLieu, type SourceRecord, type StandardField } from './imports.fields.ts';
import { legacyExternalId, legacyOnlyFields, mapLegacyRecord } from './imports.legacy.ts';
import { applyMapping, checkMappingColumns, type SourceMapping } from './imports.mapping.ts';
import { afterAsciiSpaces, normalizeHeader, openDelimited, type Delimiter, type Table, type TableRow } from './imports.table.ts';
import { readXlsx } from './imports.xlsx.ts';

export const importFormats = [
  'standard-csv',
  'standard-json',
  'legacy-csv',
  'legacy-json',
  'data-inclusion-csv',
  'data-inclusion-json',
  'geojson',
  'mapping',
] as const;

export type ImportFormat = (typeof importFormats)[number];

export const importFormatLabels: Record<ImportFormat, string> = {
  'standard-csv': 'standard v1, CSV ou XLSX',
  'standard-json': 'standard v1, JSON',
  'legacy-csv': 'ancien standard v0.1, CSV ou XLSX',
  'legacy-json': 'ancien standard v0.1, JSON',
  'data-inclusion-csv': 'data·inclusion structures (+ services), CSV',
  'data-inclusion-json': 'data·inclusion structures (+ services), JSON',
  geojson: 'GeoJSON (points et propriétés du standard)',
  mapping: 'tableau CSV ou XLSX quelconque, avec mapping déclaratif',
};

export function parseImportFormat(value: string): ImportFormat {
  if ((importFormats as readonly string[]).includes(value)) return value as ImportFormat;
  throw new ImportFileError(`Format « ${value} » inconnu. Formats possibles : ${importFormats.join(', ')}.`);
}

export interface ReadInput {
  bytes: Uint8Array;
  /** Forces the format instead of detecting it. */
  format?: ImportFormat;
  /** Declarative mapping (format `mapping`, or detected when given). */
  mapping?: SourceMapping;
  /** data·inclusion services file, read with the structures. */
  services?: Uint8Array;
}

export interface ReadResult {
  format: ImportFormat;
  encoding?: TextEncoding;
  delimiter?: Delimiter;
  /** Rows (or items) found in the file, usable or not. */
  total: number;
  records: SourceRecord[];
  /** Rows rejected while reading (bad column count, duplicate id, not a point…). */
  errors: RowError[];
  /** File columns that no field reads (shown to the producer, not an error). */
  ignoredColumns: string[];
}

/** Columns a standard v1 file must have for its rows to make sense. */
const requiredStandardColumns = ['nom', 'adresse', 'commune', 'code_postal'];

/**
 * A table whose rows are read when iterated (delimited text: a new pass over the text each
 * time, nothing kept) or held (XLSX); `entries` gives rows and row errors in file order.
 */
interface LazyTable {
  headers: string[];
  originalHeaders: string[];
  delimiter?: Delimiter;
  entries(): Iterable<TableEntry>;
}

type TableEntry = { row: TableRow; error?: undefined } | { row?: undefined; error: RowError };

function heldTable(table: Table): LazyTable {
  const entries: TableEntry[] = [...table.rows.map((row) => ({ row })), ...table.errors.map((error) => ({ error }))];
  return { headers: table.headers, originalHeaders: table.originalHeaders, delimiter: table.delimiter, entries: () => entries };
}

/** `input`: the text, or its UTF-8 bytes when the file was UTF-8 (read in place on each pass). */
function delimitedTable(input: string | Buffer): LazyTable {
  const { headers, originalHeaders, delimiter, entries } = openDelimited(input);
  let first: Iterable<TableEntry> | null = entries; // the header is read: the first pass goes on from there
  return {
    headers,
    originalHeaders,
    delimiter,
    entries() {
      const pass = first ?? openDelimited(input, { delimiter }).entries;
      first = null;
      return pass;
    },
  };
}

/** Every row and row error of a table at once (small files: data·inclusion). */
function wholeTable(table: LazyTable): Table {
  const rows: TableRow[] = [];
  const errors: RowError[] = [];
  for (const entry of table.entries()) {
    if (entry.row) rows.push(entry.row);
    else errors.push(entry.error!);
  }
  return { headers: table.headers, originalHeaders: table.originalHeaders, delimiter: table.delimiter, rows, errors };
}

type Parsed = { kind: 'table'; table: LazyTable; encoding?: TextEncoding } | { kind: 'json'; value: unknown; encoding: TextEncoding };

async function parseBytes(bytes: Uint8Array, expect?: 'table' | 'json'): Promise<Parsed> {
  if (bytes.length === 0) throw new ImportFileError('Le fichier est vide.');
  if (isZip(bytes)) {
    if (expect === 'json') throw new ImportFileError('Un fichier JSON est attendu, pas un classeur Excel.');
    return { kind: 'table', table: heldTable(await readXlsx(bytes)) };
  }
  const utf8 = utf8Table(bytes, expect);
  if (utf8) return { kind: 'table', table: delimitedTable(utf8), encoding: 'utf-8' };
  const { text, encoding } = decodeText(bytes);
  const start = text.trimStart()[0];
  if (expect === 'json' || (expect === undefined && (start === '{' || start === '['))) {
    return { kind: 'json', value: parseJson(text), encoding };
  }
  return { kind: 'table', table: delimitedTable(text), encoding };
}

/**
 * The bytes of a table file that is valid UTF-8, after its byte order mark: read in place, never
 * decoded whole (a 33 MB file would be a 62 MB string held for the whole run). Undefined when
 * decodeText must decide: other encodings, binary files, JSON, a start that is not plain ASCII.
 */
function utf8Table(bytes: Uint8Array, expect: 'table' | 'json' | undefined): Buffer | undefined {
  if (expect === 'json') return undefined;
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf;
  const body = bom ? file.subarray(3) : file;
  if (!bom && looksBinary(file)) return undefined;
  const start = body[afterAsciiSpaces(body)];
  // A second byte order mark, Unicode spaces, JSON or an empty file: decodeText's path.
  if (start === undefined || start >= 0x80 || (expect === undefined && (start === 0x7b || start === 0x5b))) return undefined;
  return isUtf8(body) ? body : undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw new ImportFileError('Le fichier est vide.');
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^.*?(at position \d+|in JSON at position \d+).*$/, '$1') : '';
    throw new ImportFileError(`Le fichier JSON est mal formé ou tronqué${detail ? ` (${detail})` : ''}.`);
  }
}

function objectItems(value: unknown, what: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new ImportFileError(`${what} : une liste d'objets JSON est attendue.`);
  if (value.length === 0) throw new ImportFileError(`${what} : la liste est vide.`);
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ImportFileError(`${what} : l'élément n° ${i + 1} n'est pas un objet JSON.`);
    }
    return normalizeKeys(item as Record<string, unknown>);
  });
}

function normalizeKeys(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[normalizeHeader(k)] = v;
  return out;
}

function jsonList(value: unknown): unknown {
  // Some producers wrap the list: { "lieux": [...] } or { "data": [...] }.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const wrapped = value as Record<string, unknown>;
    for (const key of ['lieux', 'data', 'items', 'results']) if (Array.isArray(wrapped[key])) return wrapped[key];
  }
  return value;
}

function detectFromKeys(keys: string[], tabular: boolean): ImportFormat | null {
  const set = new Set(keys);
  // data·inclusion also has `courriel`: its own markers decide first, unless a `pivot` says standard.
  if (!set.has('pivot') && dataInclusionStructureFields.some((k) => set.has(k))) return tabular ? 'data-inclusion-csv' : 'data-inclusion-json';
  if (legacyOnlyFields.some((k) => set.has(k))) return tabular ? 'legacy-csv' : 'legacy-json';
  if (set.has('pivot') || set.has('courriels') || set.has('services')) return tabular ? 'standard-csv' : 'standard-json';
  if (requiredStandardColumns.every((k) => set.has(k))) return tabular ? 'standard-csv' : 'standard-json';
  return null;
}

function detectFormat(parsed: Parsed, mapping?: SourceMapping): ImportFormat {
  if (parsed.kind === 'table') {
    if (mapping) return 'mapping';
    const found = detectFromKeys(parsed.table.headers, true);
    if (found) return found;
    throw new ImportFileError(
      `Colonnes non reconnues (${parsed.table.originalHeaders.slice(0, 12).join(', ')}) : ce n'est ni le standard des lieux de médiation numérique (v1 ou v0.1), ni data·inclusion. Enregistrez un mapping pour cette source ou précisez le format.`,
    );
  }
  const value = parsed.value as Record<string, unknown>;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (value.type === 'FeatureCollection' || value.type === 'Feature') return 'geojson';
    if (Array.isArray(value.structures)) return 'data-inclusion-json';
  }
  const list = jsonList(value);
  if (Array.isArray(list) && list.length > 0 && typeof list[0] === 'object' && list[0] !== null) {
    const found = detectFromKeys(Object.keys(list[0] as object).map(normalizeHeader), false);
    if (found) return found;
  }
  throw new ImportFileError(
    "Le contenu JSON n'est pas reconnu : une liste de lieux du standard, un objet { structures, services } data·inclusion ou une FeatureCollection GeoJSON est attendu.",
  );
}

function requireColumns(keys: string[], required: string[], what: string): void {
  const set = new Set(keys);
  const missing = required.filter((k) => !set.has(k));
  if (missing.length > 0) {
    throw new ImportFileError(`Colonnes obligatoires absentes pour le format ${what} : ${missing.join(', ')}.`);
  }
}

/** `fields`: only these fields (a pass that needs few of them); default: every standard field. */
function standardLieu(values: Record<string, unknown>, fields: readonly StandardField[] = standardFields): RawLieu {
  const lieu: RawLieu = {};
  for (const field of fields) setField(lieu, field, values[field], '|');
  return lieu;
}

function tableOf(parsed: Parsed, format: ImportFormat): LazyTable {
  if (parsed.kind !== 'table') throw new ImportFileError(`Le format ${format} attend un fichier CSV ou XLSX, pas du JSON.`);
  return parsed.table;
}

/** How a format turns one entry of the file (a table row, a JSON item, a feature) into a record. */
interface Entry {
  row: number;
  raw: Record<string, unknown>;
}

interface EntryReader {
  /** The entry's id in its source, without mapping the whole entry when the format allows. */
  externalId(raw: Record<string, unknown>): string | null;
  /** The entry mapped to standard fields; `fields`: at least these (standard formats map only them). */
  lieu(raw: Record<string, unknown>, fields?: readonly StandardField[]): RawLieu;
  /** What mapping the entry had to assume, to report as warnings on its row (formats that assume nothing leave it out). */
  warnings?(raw: Record<string, unknown>): Omit<RowError, 'row'>[];
}

function tableReader(table: LazyTable, format: ImportFormat, mapping: SourceMapping | undefined): { reader: EntryReader; ignored: string[] } {
  const used = new Set<string>();
  let map: (values: Record<string, string>) => RawLieu;
  let idColumn: string | undefined = 'id';
  switch (format) {
    case 'standard-csv':
      requireColumns(table.headers, requiredStandardColumns, 'standard v1');
      standardFields.forEach((f) => used.add(f));
      map = standardLieu as (values: Record<string, string>) => RawLieu;
      break;
    case 'legacy-csv':
      requireColumns(table.headers, requiredStandardColumns, 'standard v0.1');
      [...standardFields, ...legacyOnlyFields].forEach((f) => used.add(f));
      map = mapLegacyRecord;
      break;
    case 'mapping': {
      if (!mapping) throw new ImportFileError("Le format « mapping » demande un mapping enregistré avec la source (option --mapping).");
      checkMappingColumns(mapping, table.headers);
      const rule = mapping.fields.id;
      idColumn = rule?.from ? normalizeHeader(rule.from) : undefined;
      for (const r of Object.values(mapping.fields)) [r.from, ...(r.join ?? [])].forEach((c) => c && used.add(normalizeHeader(c)));
      map = (values) => applyMapping(mapping, values);
      break;
    }
    default:
      throw new ImportFileError(`Le format ${format} ne se lit pas depuis un tableau.`);
  }
  const lieu = map as EntryReader['lieu'];
  const reader: EntryReader = { lieu, externalId: (raw) => (idColumn ? idOf(raw[idColumn]) : idOf(lieu(raw).id)) };
  return { reader, ignored: table.headers.filter((h, i) => !used.has(h) && table.originalHeaders[i] !== '') };
}

/** GeoJSON features as entries; a feature whose geometry is not a point is a row error. */
function geoJsonEntries(value: unknown): { entries: Entry[]; errors: RowError[]; total: number; reader: EntryReader } {
  const root = value as { type?: string; features?: unknown };
  const features = root.type === 'Feature' ? [root] : root.features;
  if (!Array.isArray(features) || features.length === 0) throw new ImportFileError('La FeatureCollection GeoJSON ne contient aucun point.');
  const entries: Entry[] = [];
  const errors: RowError[] = [];
  features.forEach((feature: { geometry?: { type?: string; coordinates?: unknown } }, i) => {
    const geometry = feature?.geometry;
    const coords = geometry?.coordinates;
    if (geometry && (geometry.type !== 'Point' || !Array.isArray(coords) || coords.length < 2 || coords.some((c) => typeof c !== 'number'))) {
      errors.push({ row: i + 1, field: 'geometry', value: String(geometry.type ?? ''), message: "La géométrie doit être un point (type « Point », coordonnées [longitude, latitude])." });
      return;
    }
    entries.push({ row: i + 1, raw: feature as Record<string, unknown> });
  });
  const lieu = (raw: Record<string, unknown>): RawLieu => {
    const feature = raw as { geometry?: { coordinates: number[] }; properties?: Record<string, unknown> };
    const mapped = standardLieu(normalizeKeys(feature.properties ?? {}));
    if (feature.geometry) {
      mapped.longitude = String(feature.geometry.coordinates[0]);
      mapped.latitude = String(feature.geometry.coordinates[1]);
    }
    return mapped;
  };
  return { entries, errors, total: features.length, reader: { lieu, externalId: (raw) => idOf(lieu(raw).id) } };
}

/** data·inclusion structures as entries, each with its own services. */
function dataInclusionEntries(structures: Record<string, unknown>[], services: Record<string, unknown>[], rows?: number[]): { entries: Entry[]; reader: EntryReader } {
  const byStructure = new Map<string, Record<string, unknown>[]>();
  for (const service of services) {
    const key = idOf(service.structure_id);
    if (!key) continue;
    byStructure.set(key, [...(byStructure.get(key) ?? []), service]);
  }
  const entries = structures.map((structure, i) => {
    const id = dataInclusionId(structure);
    return { row: rows?.[i] ?? i + 1, raw: { structure, services: (id && byStructure.get(id)) || [] } };
  });
  const reader: EntryReader = {
    externalId: (raw) => dataInclusionId(raw.structure as Record<string, unknown>),
    lieu: (raw) => mapDataInclusionStructure(raw.structure as Record<string, unknown>, raw.services as Record<string, unknown>[]),
    warnings: (raw) => dataInclusionWarnings(raw.structure as Record<string, unknown>),
  };
  return { entries, reader };
}

async function readServices(bytes: Uint8Array | undefined): Promise<Record<string, unknown>[]> {
  if (!bytes) return [];
  const parsed = await parseBytes(bytes);
  if (parsed.kind === 'table') return wholeTable(parsed.table).rows.map((r) => r.values);
  return objectItems(jsonList(parsed.value), 'Services data·inclusion');
}

/** A source file opened: its format and read errors, and its records produced one at a time. */
export interface SourceFile extends Omit<ReadResult, 'records'> {
  /**
   * The usable records in file order, mapped when iterated and not kept: each call is a new
   * pass over the file (an import makes two: geocoding, then the run), so a run never holds
   * every mapped record at once. `fields`: the pass reads only these (standard formats then
   * map only them; other formats map every field). `total` and `errors` (wrong column
   * counts, duplicate ids) are complete once a first pass has gone through the whole file.
   */
  records(fields?: readonly StandardField[]): Generator<SourceRecord>;
}

type EntryOrError = Entry | { error: RowError };

export async function openSourceFile(input: ReadInput): Promise<SourceFile> {
  const expect = input.format === undefined ? undefined : /json|geojson/.test(input.format) ? 'json' : 'table';
  const parsed = await parseBytes(input.bytes, expect);
  const format = input.format ?? detectFormat(parsed, input.mapping);
  let entries: () => Iterable<EntryOrError>;
  let reader: EntryReader;
  let ignoredColumns: string[] = [];
  let delimiter: Delimiter | undefined;
  switch (format) {
    case 'standard-csv':
    case 'legacy-csv':
    case 'mapping': {
      const table = tableOf(parsed, format);
      const read = tableReader(table, format, input.mapping);
      entries = () => tableEntries(table);
      reader = read.reader;
      ignoredColumns = read.ignored;
      delimiter = table.delimiter;
      break;
    }
    case 'data-inclusion-csv': {
      const table = wholeTable(tableOf(parsed, format));
      requireColumns(table.headers, ['id', 'nom'], 'data·inclusion');
      const read = dataInclusionEntries(table.rows.map((r) => r.values), await readServices(input.services), table.rows.map((r) => r.row));
      const all: EntryOrError[] = [...read.entries, ...table.errors.map((error) => ({ error }))];
      entries = () => all;
      reader = read.reader;
      delimiter = table.delimiter;
      break;
    }
    case 'data-inclusion-json': {
      if (parsed.kind !== 'json') throw new ImportFileError('Le format data-inclusion-json attend un fichier JSON.');
      const value = parsed.value as { structures?: unknown; services?: unknown };
      const isWrapped = value && typeof value === 'object' && !Array.isArray(value) && 'structures' in value;
      const structures = objectItems(isWrapped ? value.structures : jsonList(value), 'Structures data·inclusion');
      const inlineServices = isWrapped && Array.isArray(value.services) ? objectItems(value.services, 'Services data·inclusion') : [];
      const read = dataInclusionEntries(structures, [...inlineServices, ...(await readServices(input.services))]);
      entries = () => read.entries;
      reader = read.reader;
      break;
    }
    case 'geojson': {
      if (parsed.kind !== 'json') throw new ImportFileError('Le format geojson attend un fichier JSON.');
      const read = geoJsonEntries(parsed.value);
      const all: EntryOrError[] = [...read.entries, ...read.errors.map((error) => ({ error }))];
      entries = () => all;
      reader = read.reader;
      break;
    }
    case 'standard-json':
    case 'legacy-json': {
      if (parsed.kind !== 'json') throw new ImportFileError(`Le format ${format} attend un fichier JSON.`);
      const items = objectItems(jsonList(parsed.value), 'Lieux');
      const keys = new Set(items.flatMap((item) => Object.keys(item)));
      requireColumns([...keys], requiredStandardColumns, format === 'standard-json' ? 'standard v1' : 'standard v0.1');
      const all = items.map((item, i) => ({ row: i + 1, raw: item }));
      entries = () => all;
      reader = format === 'standard-json' ? { lieu: standardLieu, externalId: (raw) => idOf(raw.id) } : { lieu: (raw) => mapLegacyRecord(raw), externalId: legacyExternalId };
      ignoredColumns = [...keys].filter((k) => !isStandardField(k) && !(format === 'legacy-json' && legacyOnlyFields.includes(k)));
      break;
    }
  }
  const file: SourceFile = { format, encoding: parsed.encoding, delimiter, total: 0, records, errors: [], ignoredColumns };
  // Found by the first complete pass: row errors, and the entries whose id an earlier entry has
  // (the first one is kept), by their position among the entries.
  let firstPassDone = false;
  const duplicates = new Set<number>();
  function* records(fields?: readonly StandardField[]): Generator<SourceRecord> {
    const first = !firstPassDone;
    const firstRow = new Map<string, number>();
    const errors: RowError[] = [];
    let total = 0;
    let index = -1;
    for (const entry of entries()) {
      total++;
      if ('error' in entry) {
        errors.push(entry.error);
        continue;
      }
      index++;
      const externalId = reader.externalId(entry.raw);
      if (first && externalId !== null) {
        const seen = firstRow.get(externalId);
        if (seen !== undefined) {
          errors.push({ row: entry.row, field: 'id', value: externalId, message: `Identifiant « ${externalId} » en double : déjà utilisé ligne ${seen}.` });
          duplicates.add(index);
          continue;
        }
        firstRow.set(externalId, entry.row);
      }
      if (duplicates.has(index)) continue;
      const record: SourceRecord = { row: entry.row, externalId, raw: entry.raw, lieu: reader.lieu(entry.raw, fields) };
      const warnings = reader.warnings?.(entry.raw);
      if (warnings?.length) record.warnings = warnings.map((w) => ({ row: entry.row, ...w }));
      yield record;
    }
    if (first) {
      file.total = total;
      file.errors = errors.sort((a, b) => a.row - b.row);
      firstPassDone = true;
    }
  }
  return file;
}

function* tableEntries(table: LazyTable): Generator<EntryOrError> {
  for (const entry of table.entries()) yield entry.row ? { row: entry.row.row, raw: entry.row.values } : { error: entry.error! };
}

/** The whole file's records at once (the validator, small files); imports use openSourceFile. */
export async function readSourceFile(input: ReadInput): Promise<ReadResult> {
  const file = await openSourceFile(input);
  const records = [...file.records()];
  return { ...file, records };
}
