// Reads a source file into standard-keyed records: detects the format (or takes the one
// given), decodes text, parses CSV/XLSX/JSON/GeoJSON, applies the format adapter, and
// rejects rows with duplicate ids. Pure: no database, no network.
import { decodeText, isZip, type TextEncoding } from './imports.decode.ts';
import { dataInclusionId, dataInclusionStructureFields, mapDataInclusionStructure } from './imports.data-inclusion.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';
import { idOf, isStandardField, setField, standardFields, type RawLieu, type SourceRecord } from './imports.fields.ts';
import { legacyExternalId, legacyOnlyFields, mapLegacyRecord } from './imports.legacy.ts';
import { applyMapping, checkMappingColumns, type SourceMapping } from './imports.mapping.ts';
import { normalizeHeader, parseDelimited, type Delimiter, type Table } from './imports.table.ts';
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

type Parsed = { kind: 'table'; table: Table; encoding?: TextEncoding } | { kind: 'json'; value: unknown; encoding: TextEncoding };

async function parseBytes(bytes: Uint8Array, expect?: 'table' | 'json'): Promise<Parsed> {
  if (bytes.length === 0) throw new ImportFileError('Le fichier est vide.');
  if (isZip(bytes)) {
    if (expect === 'json') throw new ImportFileError('Un fichier JSON est attendu, pas un classeur Excel.');
    return { kind: 'table', table: await readXlsx(bytes) };
  }
  const { text, encoding } = decodeText(bytes);
  const start = text.trimStart()[0];
  if (expect === 'json' || (expect === undefined && (start === '{' || start === '['))) {
    return { kind: 'json', value: parseJson(text), encoding };
  }
  return { kind: 'table', table: parseDelimited(text), encoding };
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

function standardLieu(values: Record<string, unknown>): RawLieu {
  const lieu: RawLieu = {};
  for (const field of standardFields) setField(lieu, field, values[field], '|');
  return lieu;
}

function tableOf(parsed: Parsed, format: ImportFormat): Table {
  if (parsed.kind !== 'table') throw new ImportFileError(`Le format ${format} attend un fichier CSV ou XLSX, pas du JSON.`);
  return parsed.table;
}

function readTable(table: Table, format: ImportFormat, mapping: SourceMapping | undefined): { records: SourceRecord[]; ignored: string[] } {
  const used = new Set<string>();
  let map: (values: Record<string, string>) => RawLieu;
  let idColumn: string | undefined = 'id';
  switch (format) {
    case 'standard-csv':
      requireColumns(table.headers, requiredStandardColumns, 'standard v1');
      standardFields.forEach((f) => used.add(f));
      map = standardLieu;
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
  const records = table.rows.map(({ row, values }) => {
    const lieu = map(values);
    return { row, externalId: idColumn ? idOf(values[idColumn]) : idOf(lieu.id), raw: values, lieu };
  });
  return { records, ignored: table.headers.filter((h, i) => !used.has(h) && table.originalHeaders[i] !== '') };
}

function readGeoJson(value: unknown): { records: SourceRecord[]; errors: RowError[]; total: number } {
  const root = value as { type?: string; features?: unknown };
  const features = root.type === 'Feature' ? [root] : root.features;
  if (!Array.isArray(features) || features.length === 0) throw new ImportFileError('La FeatureCollection GeoJSON ne contient aucun point.');
  const records: SourceRecord[] = [];
  const errors: RowError[] = [];
  features.forEach((feature: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> }, i) => {
    const row = i + 1;
    const properties = normalizeKeys(feature?.properties ?? {});
    const geometry = feature?.geometry;
    const lieu = standardLieu(properties);
    if (geometry) {
      const coords = geometry.coordinates;
      if (geometry.type !== 'Point' || !Array.isArray(coords) || coords.length < 2 || coords.some((c) => typeof c !== 'number')) {
        errors.push({ row, field: 'geometry', value: String(geometry.type ?? ''), message: "La géométrie doit être un point (type « Point », coordonnées [longitude, latitude])." });
        return;
      }
      lieu.longitude = String(coords[0]);
      lieu.latitude = String(coords[1]);
    }
    records.push({ row, externalId: idOf(lieu.id), raw: feature as Record<string, unknown>, lieu });
  });
  return { records, errors, total: features.length };
}

function readDataInclusion(structures: Record<string, unknown>[], services: Record<string, unknown>[]): SourceRecord[] {
  const byStructure = new Map<string, Record<string, unknown>[]>();
  for (const service of services) {
    const key = idOf(service.structure_id);
    if (!key) continue;
    byStructure.set(key, [...(byStructure.get(key) ?? []), service]);
  }
  return structures.map((structure, i) => {
    const id = dataInclusionId(structure);
    const own = (id && byStructure.get(id)) || [];
    return { row: i + 1, externalId: id, raw: { structure, services: own }, lieu: mapDataInclusionStructure(structure, own) };
  });
}

async function readServices(bytes: Uint8Array | undefined): Promise<Record<string, unknown>[]> {
  if (!bytes) return [];
  const parsed = await parseBytes(bytes);
  if (parsed.kind === 'table') return parsed.table.rows.map((r) => r.values);
  return objectItems(jsonList(parsed.value), 'Services data·inclusion');
}

/** Keeps the first row of each id; later ones become row errors. */
function rejectDuplicateIds(records: SourceRecord[], errors: RowError[]): SourceRecord[] {
  const firstRow = new Map<string, number>();
  return records.filter((record) => {
    if (record.externalId === null) return true;
    const seen = firstRow.get(record.externalId);
    if (seen !== undefined) {
      errors.push({ row: record.row, field: 'id', value: record.externalId, message: `Identifiant « ${record.externalId} » en double : déjà utilisé ligne ${seen}.` });
      return false;
    }
    firstRow.set(record.externalId, record.row);
    return true;
  });
}

export async function readSourceFile(input: ReadInput): Promise<ReadResult> {
  const expect = input.format === undefined ? undefined : /json|geojson/.test(input.format) ? 'json' : 'table';
  const parsed = await parseBytes(input.bytes, expect);
  const format = input.format ?? detectFormat(parsed, input.mapping);
  const errors: RowError[] = [];
  let records: SourceRecord[];
  let total: number;
  let ignoredColumns: string[] = [];
  let delimiter: Delimiter | undefined;
  switch (format) {
    case 'standard-csv':
    case 'legacy-csv':
    case 'mapping': {
      const table = tableOf(parsed, format);
      const read = readTable(table, format, input.mapping);
      records = read.records;
      ignoredColumns = read.ignored;
      errors.push(...table.errors);
      total = table.rows.length + table.errors.length;
      delimiter = table.delimiter;
      break;
    }
    case 'data-inclusion-csv': {
      const table = tableOf(parsed, format);
      requireColumns(table.headers, ['id', 'nom'], 'data·inclusion');
      records = readDataInclusion(table.rows.map((r) => r.values), await readServices(input.services));
      records.forEach((r, i) => (r.row = table.rows[i]!.row));
      errors.push(...table.errors);
      total = table.rows.length + table.errors.length;
      delimiter = table.delimiter;
      break;
    }
    case 'data-inclusion-json': {
      if (parsed.kind !== 'json') throw new ImportFileError('Le format data-inclusion-json attend un fichier JSON.');
      const value = parsed.value as { structures?: unknown; services?: unknown };
      const isWrapped = value && typeof value === 'object' && !Array.isArray(value) && 'structures' in value;
      const structures = objectItems(isWrapped ? value.structures : jsonList(value), 'Structures data·inclusion');
      const inlineServices = isWrapped && Array.isArray(value.services) ? objectItems(value.services, 'Services data·inclusion') : [];
      records = readDataInclusion(structures, [...inlineServices, ...(await readServices(input.services))]);
      total = structures.length;
      break;
    }
    case 'geojson': {
      if (parsed.kind !== 'json') throw new ImportFileError('Le format geojson attend un fichier JSON.');
      const read = readGeoJson(parsed.value);
      records = read.records;
      errors.push(...read.errors);
      total = read.total;
      break;
    }
    case 'standard-json':
    case 'legacy-json': {
      if (parsed.kind !== 'json') throw new ImportFileError(`Le format ${format} attend un fichier JSON.`);
      const items = objectItems(jsonList(parsed.value), 'Lieux');
      const keys = new Set(items.flatMap((item) => Object.keys(item)));
      requireColumns([...keys], requiredStandardColumns, format === 'standard-json' ? 'standard v1' : 'standard v0.1');
      records = items.map((item, i) => {
        const lieu = format === 'standard-json' ? standardLieu(item) : mapLegacyRecord(item);
        return { row: i + 1, externalId: format === 'standard-json' ? idOf(item.id) : legacyExternalId(item), raw: item, lieu };
      });
      ignoredColumns = [...keys].filter((k) => !isStandardField(k) && !(format === 'legacy-json' && legacyOnlyFields.includes(k)));
      total = items.length;
      break;
    }
  }
  records = rejectDuplicateIds(records, errors);
  errors.sort((a, b) => a.row - b.row);
  return { format, encoding: parsed.encoding, delimiter, total, records, errors, ignoredColumns };
}
