// From a lieux row to what the read model keeps: the API item (standard field names) and
// the compact record used for indexing. Repeated strings are interned so 50,000 places
// share one "Gratuit" instead of holding 50,000 copies.
// The item is stored as the JSON text of each of its values (UTF-8), its keys kept once per
// shape: the ~40 key names were about half of each item's bytes (~40 MB for 50,000 places).
// Values are separated by the byte 0x1F, which JSON text never holds (JSON.stringify escapes
// control characters inside strings), so the API can write an item's JSON object straight from
// these bytes, putting `"key":` back at each separator, without decoding anything.
import type { LieuRow } from '../../db/database.ts';
import { enumeratedFields, territoireColumns, territoireTypes, type EnumeratedField, type TerritoireType } from './search.fields.ts';
import type { PlaceRecord } from './read-model.ts';
import { toApiV1 } from '../lieux/lieux.schema.ts';

export type Interner = (value: string) => string;

export function createInterner(): Interner {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
}

/** Key lists seen so far (an item stores the index of its own); the same for every item in practice. */
const shapes: string[][] = [];
/** Per shape, the UTF-8 bytes written before each value: `{"id":`, `,"pivot":`, … */
const shapePrefixes: Uint8Array[][] = [];
/** Per shape, the total length of those prefixes. */
const shapePrefixBytes: number[] = [];
const shapeIds = new Map<string, number>();

function shapeOf(keys: string[]): number {
  const signature = keys.join(',');
  let id = shapeIds.get(signature);
  if (id === undefined) {
    id = shapes.push(keys) - 1;
    const prefixes = keys.map((key, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(key)}:`, 'utf8'));
    shapePrefixes.push(prefixes);
    shapePrefixBytes.push(prefixes.reduce((sum, prefix) => sum + prefix.length, 0));
    shapeIds.set(signature, id);
  }
  return id;
}

// Items are written one after the other into 1 MB chunks: small Buffers from Buffer.from
// come from 8 KB pools that reserve 4 bytes per character, which wasted a third of the bytes.
const CHUNK_BYTES = 1 << 20;
let chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
let chunkOffset = 0;

function storeUtf8(text: string): Uint8Array {
  const length = Buffer.byteLength(text, 'utf8');
  if (length > CHUNK_BYTES / 8) return Buffer.from(text, 'utf8');
  if (length > CHUNK_BYTES - chunkOffset) {
    chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    chunkOffset = 0;
  }
  chunk.write(text, chunkOffset, 'utf8');
  const bytes = chunk.subarray(chunkOffset, chunkOffset + length);
  chunkOffset += length;
  return bytes;
}

const SEPARATOR = '\u001f';
const SEPARATOR_BYTE = 0x1f;

/**
 * The item as compact bytes: its shape number, then the JSON text of each value, separated by
 * 0x1F (undefined values omitted, like JSON.stringify).
 */
export function encodeItem(item: object): Uint8Array {
  const keys: string[] = [];
  const parts: string[] = [];
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined) continue;
    keys.push(key);
    parts.push(JSON.stringify(value));
  }
  const shape = shapeOf(keys);
  return storeUtf8(parts.length === 0 ? String(shape) : `${shape}${SEPARATOR}${parts.join(SEPARATOR)}`);
}

const utf8 = new TextDecoder();

/** The item back as a fresh object, keys in their original order. */
export function decodeItem(bytes: Uint8Array): Record<string, unknown> {
  // With every separator turned into a comma, the bytes read as the JSON array [shape, ...values].
  const values = JSON.parse(`[${utf8.decode(bytes).replaceAll(SEPARATOR, ',')}]`) as unknown[];
  const keys = shapes[values[0] as number]!;
  const item: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) item[keys[i]!] = values[i + 1];
  return item;
}

/** Shape number and where the values start (after the first separator). */
function shapeAndStart(bytes: Uint8Array): { shape: number; start: number } {
  let shape = 0;
  let i = 0;
  for (; i < bytes.length && bytes[i] !== SEPARATOR_BYTE; i++) shape = shape * 10 + bytes[i]! - 48;
  return { shape, start: i + 1 };
}

/** Length in bytes of the item's JSON object text without its closing brace (see writeItemJson). */
export function itemJsonLength(bytes: Uint8Array): number {
  const { shape, start } = shapeAndStart(bytes);
  const keyCount = shapes[shape]!.length;
  if (keyCount === 0) return 1; // `{`
  return bytes.length - start - (keyCount - 1) + shapePrefixBytes[shape]!;
}

/**
 * Writes the item's JSON object text, `{"id":…,"nom":…` without the closing brace (the caller
 * may add computed fields), into `out` at `offset`; returns the offset after it. The text is
 * the same as JSON.stringify(decodeItem(bytes)) minus the final `}`.
 */
export function writeItemJson(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  const { shape, start } = shapeAndStart(bytes);
  const prefixes = shapePrefixes[shape]!;
  let at = offset;
  if (prefixes.length === 0) {
    out[at++] = 0x7b; // `{`
    return at;
  }
  let key = 0;
  let prefix = prefixes[0]!;
  for (let k = 0; k < prefix.length; k++) out[at++] = prefix[k]!;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === SEPARATOR_BYTE) {
      prefix = prefixes[++key]!;
      for (let k = 0; k < prefix.length; k++) out[at++] = prefix[k]!;
    } else {
      out[at++] = byte;
    }
  }
  return at;
}

// Value lists of the enumerated fields repeat a lot ([], ["Gratuit"], ["Fixe"]...): one shared
// frozen array per distinct list instead of ten new arrays per place (half a million for 50,000).
const sharedLists = new WeakMap<Interner, Map<string, readonly string[]>>();

function internList(values: readonly string[], intern: Interner): readonly string[] {
  let lists = sharedLists.get(intern);
  if (lists === undefined) sharedLists.set(intern, (lists = new Map()));
  const key = values.join('\u0000');
  let list = lists.get(key);
  if (list === undefined) lists.set(key, (list = Object.freeze(values.map(intern))));
  return list;
}

export function toPlaceRecord(row: LieuRow, intern: Interner): PlaceRecord {
  const facets = {} as Record<EnumeratedField, readonly string[]>;
  for (const field of enumeratedFields) facets[field] = internList(row[field], intern);
  const territories = {} as Record<TerritoireType, string | null>;
  for (const type of territoireTypes) {
    const code = row[territoireColumns[type]];
    territories[type] = code === null ? null : intern(code);
  }
  return {
    id: row.id,
    sort_key: row.sort_key,
    latitude: row.latitude,
    longitude: row.longitude,
    horaires: row.horaires === null ? null : intern(row.horaires),
    search_tokens: row.search_tokens.map(intern),
    facets,
    territories,
    code_departement: territories.departement,
    item: encodeItem(toApiV1(row)),
  };
}
