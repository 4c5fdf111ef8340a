// The in-memory read model: an immutable snapshot of the PUBLISHED places, built from
// compact per-place records. Places are stored in (sort_key, id) order so a position in the
// arrays is also the rank in the default sort; filters are posting lists (sorted positions)
// turned into bitsets at query time; positions sit in a kd-tree (kdbush).
// The API item of each place is kept as compact UTF-8 JSON bytes (search.item.ts encodeItem):
// one buffer per place instead of a 40-property object (decoded only for the items of a page).
import KDBush from 'kdbush';
import { enumeratedFields, territoireTypes, type EnumeratedField, type TerritoireType } from './search.fields.ts';
import { emptyBitset, orInPlace, setBits, type Bitset } from './bitset.ts';
import { hoursKey } from './open-filter.ts';
import type { QpvLayer } from './qpv-layer.ts';

/** What the read model keeps of one place (built from a row by toPlaceRecord). */
export interface PlaceRecord {
  id: string;
  sort_key: string;
  latitude: number | null;
  longitude: number | null;
  horaires: string | null;
  search_tokens: readonly string[];
  facets: Readonly<Record<EnumeratedField, readonly string[]>>;
  territories: Readonly<Record<TerritoireType, string | null>>;
  code_departement: string | null;
  /** The place as the API shows it, encoded by encodeItem (decodeItem gives the object back). */
  item: Uint8Array;
}

export interface SearchSnapshot {
  /** lieu_changes.seq covered by this snapshot (0 when the log is empty). */
  readonly version: number;
  readonly size: number;
  readonly records: readonly PlaceRecord[];
  readonly ids: readonly string[];
  readonly sortKeys: readonly string[];
  /** NaN where a place has no position. */
  readonly latitudes: Float64Array;
  readonly longitudes: Float64Array;
  readonly positioned: Bitset;
  /** kd-tree of positioned places; kd item i is place position kdPositions[i]. */
  readonly kd: KDBush | null;
  readonly kdPositions: Uint32Array;
  readonly facets: Readonly<Record<EnumeratedField, ReadonlyMap<string, Uint32Array>>>;
  readonly territories: Readonly<Record<TerritoireType, ReadonlyMap<string, Uint32Array>>>;
  /** Hours class of each place (-1: no hours): places of one class open at the same instants. */
  readonly hoursClass: Int32Array;
  /** One place position per hours class, to evaluate the class. */
  readonly hoursClassPlace: Uint32Array;
  /** Per hours class: the last evaluated state and the span [from, until) it holds for (a cache). */
  readonly hoursState: ({ from: number; until: number; open: boolean } | undefined)[];
  /** Distinct search tokens, sorted, with the posting list of each. */
  readonly tokens: readonly string[];
  readonly tokenPostings: readonly Uint32Array[];
  /** Indexes into `tokens` by token length, for typo matching (lengths within one of the word). */
  readonly tokensByLength: ReadonlyMap<number, Uint32Array>;
  /** QPV contours and the places' QPV attributes (absent while no contour is loaded). */
  readonly qpv?: QpvLayer;
}

/** Plain JS comparison (UTF-16 code units; sort keys and uuids are ASCII, so = COLLATE "C"). */
export function compareKey(sortKeyA: string, idA: string, sortKeyB: string, idB: string): number {
  if (sortKeyA !== sortKeyB) return sortKeyA < sortKeyB ? -1 : 1;
  if (idA !== idB) return idA < idB ? -1 : 1;
  return 0;
}

function postingsOf(index: Map<string, number[]>): Map<string, Uint32Array> {
  const result = new Map<string, Uint32Array>();
  for (const [key, positions] of index) result.set(key, Uint32Array.from(positions));
  return result;
}

function push(index: Map<string, number[]>, key: string, position: number): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [position]);
  else if (list[list.length - 1] !== position) list.push(position);
}

const byKey = (a: PlaceRecord, b: PlaceRecord) => compareKey(a.sort_key, a.id, b.sort_key, b.id);

/** Builds a snapshot; `sorted` says the records already come in (sort_key, id) order. */
export function buildSnapshot(input: readonly PlaceRecord[], version: number, options: { sorted?: boolean } = {}): SearchSnapshot {
  const records = options.sorted ? input : [...input].sort(byKey);
  const size = records.length;
  const latitudes = new Float64Array(size).fill(NaN);
  const longitudes = new Float64Array(size).fill(NaN);
  const positioned = emptyBitset(size);
  const facetLists = Object.fromEntries(enumeratedFields.map((f) => [f, new Map<string, number[]>()])) as Record<
    EnumeratedField,
    Map<string, number[]>
  >;
  const territoryLists = Object.fromEntries(territoireTypes.map((t) => [t, new Map<string, number[]>()])) as Record<
    TerritoireType,
    Map<string, number[]>
  >;
  const tokenLists = new Map<string, number[]>();
  const kdPositions: number[] = [];
  const hoursClass = new Int32Array(size).fill(-1);
  const hoursClassIds = new Map<string, number>();
  const hoursClassPlace: number[] = [];

  records.forEach((record, position) => {
    if (record.latitude !== null && record.longitude !== null) {
      latitudes[position] = record.latitude;
      longitudes[position] = record.longitude;
      positioned[position >>> 5]! |= 1 << (position & 31);
      kdPositions.push(position);
    }
    for (const field of enumeratedFields) for (const value of record.facets[field]) push(facetLists[field], value, position);
    for (const type of territoireTypes) {
      const code = record.territories[type];
      if (code) push(territoryLists[type], code, position);
    }
    for (const token of record.search_tokens) push(tokenLists, token, position);
    const key = hoursKey(record);
    if (key !== null) {
      let id = hoursClassIds.get(key);
      if (id === undefined) {
        id = hoursClassPlace.push(position) - 1;
        hoursClassIds.set(key, id);
      }
      hoursClass[position] = id;
    }
  });

  let kd: KDBush | null = null;
  if (kdPositions.length > 0) {
    kd = new KDBush(kdPositions.length, 64, Float64Array);
    for (const position of kdPositions) kd.add(longitudes[position]!, latitudes[position]!);
    kd.finish();
  }
  const tokens = [...tokenLists.keys()].sort();
  const byLength = new Map<number, number[]>();
  tokens.forEach((token, i) => {
    const list = byLength.get(token.length);
    if (list) list.push(i);
    else byLength.set(token.length, [i]);
  });
  return {
    version,
    size,
    records,
    ids: records.map((r) => r.id),
    sortKeys: records.map((r) => r.sort_key),
    latitudes,
    longitudes,
    positioned,
    kd,
    kdPositions: Uint32Array.from(kdPositions),
    facets: Object.fromEntries(enumeratedFields.map((f) => [f, postingsOf(facetLists[f])])) as unknown as SearchSnapshot['facets'],
    territories: Object.fromEntries(territoireTypes.map((t) => [t, postingsOf(territoryLists[t])])) as unknown as SearchSnapshot['territories'],
    hoursClass,
    hoursClassPlace: Uint32Array.from(hoursClassPlace),
    hoursState: new Array(hoursClassPlace.length).fill(undefined),
    tokens,
    tokenPostings: tokens.map((token) => Uint32Array.from(tokenLists.get(token)!)),
    tokensByLength: new Map([...byLength].map(([length, list]) => [length, Uint32Array.from(list)])),
  };
}

/** A snapshot's records with some places removed and others added (or replaced), still in order. */
export function patchRecords(previous: readonly PlaceRecord[], removedIds: ReadonlySet<string>, added: PlaceRecord[]): PlaceRecord[] {
  const kept = previous.filter((record) => !removedIds.has(record.id));
  const sortedAdded = [...added].sort(byKey);
  const result: PlaceRecord[] = [];
  let i = 0;
  for (const record of sortedAdded) {
    while (i < kept.length && byKey(kept[i]!, record) < 0) result.push(kept[i++]!);
    result.push(record);
  }
  while (i < kept.length) result.push(kept[i++]!);
  return result;
}

// Bitsets of long posting lists ("Gratuit", a common service, a large département), built on
// first use and kept with the list: ANDing size/32 words is cheaper than setting tens of
// thousands of bits on every query. Only lists of at least size/32 positions are cached, so
// the cache stays below the size of the posting lists themselves (per bit: 1/32 of a position).
const postingBitsets = new WeakMap<Uint32Array, Bitset>();

function postingBitset(size: number, list: Uint32Array): Bitset | undefined {
  if (list.length < size >>> 5 || list.length === 0) return undefined;
  let bits = postingBitsets.get(list);
  if (bits === undefined || bits.length !== (size + 31) >>> 5) {
    bits = setBits(emptyBitset(size), list);
    postingBitsets.set(list, bits);
  }
  return bits;
}

/** Positions of the places listed in `postings`, as a bitset. Read-only: it may be shared with later calls. */
export function bitsetOf(snapshot: SearchSnapshot, postings: readonly Uint32Array[]): Bitset {
  if (postings.length === 1) {
    const shared = postingBitset(snapshot.size, postings[0]!);
    if (shared) return shared;
  }
  const bits = emptyBitset(snapshot.size);
  for (const list of postings) {
    const shared = postingBitset(snapshot.size, list);
    if (shared) orInPlace(bits, shared);
    else setBits(bits, list);
  }
  return bits;
}

export const emptySnapshot: SearchSnapshot = buildSnapshot([], 0);
