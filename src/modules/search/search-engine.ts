// Query engine over a read-model snapshot: no database access. Same semantics as the SQL
// reference in search.repository.ts (checked on random queries by the tests):
// - filters: territory, each enumerated field (OR within a field, AND across fields), every
//   query word (see text-match.ts), open at an instant; all ANDed;
// - with a point: only places with a position, within the radius if any, ordered by rounded
//   distance in metres, then sort_key, then id; without: ordered by sort_key, then id;
// - keyset pagination after the cursor's key; `total` counts every match (all pages).
import { around } from 'geokdbush';
import { andInPlace, countBits, emptyBitset, forEachBit, fullBitset, hasBit, type Bitset } from './bitset.ts';
import { encodeCursor } from './cursor.ts';
import { boundingBox, distanceMetres } from './distance.ts';
import { openStateFrom } from './open-filter.ts';
import { bitsetOf, compareKey, type SearchSnapshot } from './read-model.ts';
import { prepareQuery, type PreparedQuery } from './search.query.ts';
import { territoireCodes } from './search.fields.ts';
import { decodeItem } from './search.item.ts';
import type { SearchItem, SearchQuery, SearchResult } from './search.types.ts';
import { FUZZY_MIN_LENGTH, wordMatchesToken } from './text-match.ts';
import { applyWithoutQpv } from './qpv-layer.ts';

export function searchLieux(snapshot: SearchSnapshot, query: SearchQuery, now: Date): SearchResult {
  const page = searchPage(snapshot, query, now);
  return { total: page.total, items: page.hits.map((hit) => itemAt(snapshot, hit.position, hit.distance)), next_cursor: page.next_cursor };
}

/** One matching place of a page: its position in the snapshot, and its distance with a point. */
export interface SearchHit {
  position: number;
  distance?: number;
}

/** A page of results as positions; searchLieux turns them into items, the API writes their stored JSON. */
export interface SearchPage {
  total: number;
  hits: SearchHit[];
  next_cursor: string | null;
}

export function searchPage(snapshot: SearchSnapshot, query: SearchQuery, now: Date): SearchPage {
  const prepared = prepareQuery(query, now);
  const candidates = candidateBitset(snapshot, prepared);
  // The open filter is one more bitset (cached while no hours class changes state), so the
  // exact total is a popcount instead of an open-hours check per candidate.
  if (prepared.openAt) keepOpen(snapshot, candidates, prepared.openAt);
  return prepared.point
    ? searchNear(snapshot, prepared, prepared.point, candidates)
    : searchBySortKey(snapshot, prepared, candidates);
}

function candidateBitset(snapshot: SearchSnapshot, query: PreparedQuery): Bitset {
  const bits = fullBitset(snapshot.size);
  if (query.point) andInPlace(bits, snapshot.positioned);
  if (query.territoire) {
    const index = snapshot.territories[query.territoire.type];
    const codes = territoireCodes(query.territoire.type, query.territoire.code);
    andInPlace(bits, bitsetOf(snapshot, codes.flatMap((code) => index.get(code) ?? [])));
  }
  for (const [field, values] of query.filters) {
    const index = snapshot.facets[field];
    andInPlace(bits, bitsetOf(snapshot, values.flatMap((v) => index.get(v) ?? [])));
  }
  for (const word of query.words) andInPlace(bits, bitsetOf(snapshot, tokenPostingsFor(snapshot, word)));
  if (query.qpv) {
    if (snapshot.qpv) snapshot.qpv.apply(snapshot, bits, query.qpv);
    else applyWithoutQpv(bits, query.qpv);
  }
  return bits;
}

/** Posting lists of every token the word matches: a prefix range of the sorted tokens plus typos. */
function tokenPostingsFor(snapshot: SearchSnapshot, word: string): Uint32Array[] {
  const { tokens, tokenPostings } = snapshot;
  const result: Uint32Array[] = [];
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (tokens[mid]! < word) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < tokens.length && tokens[i]!.startsWith(word); i++) result.push(tokenPostings[i]!);
  // Typos: tokens of a length within one of the word's, outside the prefix range, one edit away.
  if (word.length >= FUZZY_MIN_LENGTH) {
    const seen = new Set<number>();
    for (const i of typoCandidates(snapshot, word)) {
      if (seen.has(i)) continue;
      seen.add(i);
      const token = tokens[i]!;
      if (!token.startsWith(word) && wordMatchesToken(word, token)) result.push(tokenPostings[i]!);
    }
  }
  return result;
}

/** Token indexes by (length, character code at position 0 or 1), built once per snapshot. */
interface TypoIndex {
  byFirst: Map<number, number[]>;
  bySecond: Map<number, number[]>;
}

const typoIndexes = new WeakMap<SearchSnapshot, TypoIndex>();
const charKey = (length: number, code: number) => length * 0x10000 + code;

function typoIndexOf(snapshot: SearchSnapshot): TypoIndex {
  let index = typoIndexes.get(snapshot);
  if (index) return index;
  index = { byFirst: new Map(), bySecond: new Map() };
  const add = (map: Map<number, number[]>, key: number, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  snapshot.tokens.forEach((token, i) => {
    if (token.length < FUZZY_MIN_LENGTH - 1) return;
    add(index.byFirst, charKey(token.length, token.charCodeAt(0)), i);
    add(index.bySecond, charKey(token.length, token.charCodeAt(1)), i);
  });
  typoIndexes.set(snapshot, index);
  return index;
}

/**
 * Tokens that may be one edit away from `word` (a superset, checked afterwards): an edit
 * after the first character keeps the first character; one at the start leaves t[1] = w[1]
 * (substitution), t[0] = w[1] (deletion) or t[1] = w[0] (insertion).
 */
function* typoCandidates(snapshot: SearchSnapshot, word: string): Generator<number> {
  const { byFirst, bySecond } = typoIndexOf(snapshot);
  const w0 = word.charCodeAt(0);
  const w1 = word.charCodeAt(1);
  for (let length = word.length - 1; length <= word.length + 1; length++) {
    for (const [map, code] of [[byFirst, w0], [bySecond, w1], [byFirst, w1], [bySecond, w0]] as const) {
      yield* map.get(charKey(length, code)) ?? [];
    }
  }
}

/** Positions open at an instant, and the span [from, until) in which no hours class changes state. */
interface OpenBits {
  from: number;
  until: number;
  bits: Bitset;
}

const openBitsCache = new WeakMap<SearchSnapshot, OpenBits>();

/**
 * Clears the candidates not open at `at`. Uses the open bitset when it is cached for that
 * instant or when there are more candidates than hours classes; otherwise (a few candidates
 * at an unusual instant, e.g. ouvert_le) evaluates only the classes of the candidates.
 */
function keepOpen(snapshot: SearchSnapshot, candidates: Bitset, at: Date): void {
  const time = at.getTime();
  const cached = openBitsCache.get(snapshot);
  if ((cached && time >= cached.from && time < cached.until) || countBits(candidates) > snapshot.hoursClassPlace.length) {
    andInPlace(candidates, openBitset(snapshot, at));
    return;
  }
  const { hoursState, hoursClass } = snapshot;
  forEachBit(candidates, 0, (position) => {
    const c = hoursClass[position]!;
    let open = false;
    if (c >= 0) {
      let state = hoursState[c];
      if (state === undefined || time < state.from || time >= state.until) {
        const next = openStateFrom(snapshot.records[snapshot.hoursClassPlace[c]!]!, at);
        state = { from: time, until: next.until, open: next.open };
        hoursState[c] = state;
      }
      open = state.open;
    }
    if (!open) candidates[position >>> 5]! &= ~(1 << (position & 31));
  });
}

/**
 * The places open at `at`, as a bitset. Each hours class is evaluated at most once, and its
 * state is reused across queries while the instant stays before its next change; the bitset
 * itself is reused while no class changes state (ouvert_maintenant queries follow the clock,
 * so most of them build nothing).
 */
function openBitset(snapshot: SearchSnapshot, at: Date): Bitset {
  const time = at.getTime();
  const cached = openBitsCache.get(snapshot);
  if (cached && time >= cached.from && time < cached.until) return cached.bits;
  const { hoursState, hoursClass } = snapshot;
  const classCount = snapshot.hoursClassPlace.length;
  const open = new Uint8Array(classCount);
  let from = -Infinity;
  let until = Infinity;
  for (let c = 0; c < classCount; c++) {
    let state = hoursState[c];
    if (state === undefined || time < state.from || time >= state.until) {
      const place = snapshot.records[snapshot.hoursClassPlace[c]!]!;
      const next = openStateFrom(place, at);
      state = { from: time, until: next.until, open: next.open };
      hoursState[c] = state;
    }
    if (state.open) open[c] = 1;
    if (state.from > from) from = state.from;
    if (state.until < until) until = state.until;
  }
  const bits = emptyBitset(snapshot.size);
  for (let position = 0; position < snapshot.size; position++) {
    const c = hoursClass[position]!;
    if (c >= 0 && open[c] === 1) bits[position >>> 5]! |= 1 << (position & 31);
  }
  openBitsCache.set(snapshot, { from, until, bits });
  return bits;
}

function itemAt(snapshot: SearchSnapshot, position: number, distance?: number): SearchItem {
  const item = decodeItem(snapshot.records[position]!.item) as unknown as SearchItem;
  return Object.assign(item, computedFields(snapshot, position, distance));
}

/** The fields an item gets beside its stored ones, in the order the API shows them: distance, qpv. */
export function computedFields(snapshot: SearchSnapshot, position: number, distance?: number): Pick<SearchItem, 'distance' | 'qpv'> {
  const fields: Pick<SearchItem, 'distance' | 'qpv'> = {};
  if (distance !== undefined) fields.distance = distance;
  const qpv = snapshot.qpv?.of(snapshot.records[position]!);
  if (qpv?.length) fields.qpv = [...qpv];
  return fields;
}

/** First position whose (sort_key, id) comes strictly after the given key. */
function positionAfter(snapshot: SearchSnapshot, sortKey: string, id: string): number {
  let low = 0;
  let high = snapshot.size;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKey(snapshot.sortKeys[mid]!, snapshot.ids[mid]!, sortKey, id) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function searchBySortKey(
  snapshot: SearchSnapshot,
  query: PreparedQuery,
  candidates: Bitset,
): SearchPage {
  const start = query.after ? positionAfter(snapshot, query.after.sort_key, query.after.id) : 0;
  const page: number[] = [];
  const total = countBits(candidates);
  forEachBit(candidates, start, (position) => {
    page.push(position);
    return page.length <= query.limit;
  });
  const hasMore = page.length > query.limit;
  const shown = page.slice(0, query.limit);
  const last = shown[shown.length - 1]!;
  return {
    total,
    hits: shown.map((position) => ({ position })),
    next_cursor: hasMore ? encodeCursor({ sort_key: snapshot.sortKeys[last]!, id: snapshot.ids[last]! }) : null,
  };
}

// Positions fit in 21 bits (2 million places), distances in 31 bits (metres): one exact
// double key = distance * 2^21 + position sorts by distance, then sort_key, then id.
const POSITION_FACTOR = 2 ** 21;

function searchNear(
  snapshot: SearchSnapshot,
  query: PreparedQuery,
  point: { latitude: number; longitude: number },
  candidates: Bitset,
): SearchPage {
  const { latitudes, longitudes } = snapshot;
  const radius = query.radiusMetres ?? Infinity;
  const start = query.after ? positionAfter(snapshot, query.after.sort_key, query.after.id) : 0;
  const afterDistance = query.after?.distance ?? -1;
  const distanceAt = (position: number) => distanceMetres(point.latitude, point.longitude, latitudes[position]!, longitudes[position]!);
  const isAfterCursor = (distance: number, position: number) =>
    distance > afterDistance || (distance === afterDistance && position >= start);
  const best = new BoundedKeys(query.limit + 1);
  let total = 0;
  let remaining = 0; // matches after the cursor, to know whether another page exists

  const consider = (position: number) => {
    const distance = distanceAt(position);
    if (!(distance <= radius)) return;
    total++;
    if (isAfterCursor(distance, position)) {
      remaining++;
      best.add(distance * POSITION_FACTOR + position);
    }
  };

  if (query.radiusMetres !== undefined && snapshot.kd) {
    const box = boundingBox(point.latitude, point.longitude, query.radiusMetres);
    for (const kdItem of snapshot.kd.range(box.minLon ?? -180, box.minLat, box.maxLon ?? 180, box.maxLat)) {
      const position = snapshot.kdPositions[kdItem]!;
      if (hasBit(candidates, position)) consider(position);
    }
  } else if (snapshot.kd && countBits(candidates) > searchTuning.nearestScanLimit) {
    // Many candidates: count them without distances, and let the kd-tree find the nearest.
    total = countBits(candidates);
    const kd = snapshot.kd;
    const wanted = (kdItem: number) => {
      const position = snapshot.kdPositions[kdItem]!;
      return hasBit(candidates, position) && isAfterCursor(distanceAt(position), position);
    };
    // geokdbush orders by its own great-circle distance (radius 6371 km, unrounded): take the
    // nearest it finds, then every place up to the farthest of them by our rounded distance
    // (+2 m) so ties and rounding cannot hide a place that sorts before them.
    const first = around(kd, point.longitude, point.latitude, query.limit + 1, undefined, wanted);
    let farthest = 0;
    for (const kdItem of first) farthest = Math.max(farthest, distanceAt(snapshot.kdPositions[kdItem]!));
    const near = first.length <= query.limit ? first : around(kd, point.longitude, point.latitude, Infinity, (farthest + 2) / 1000, wanted);
    for (const kdItem of near) {
      const position = snapshot.kdPositions[kdItem]!;
      best.add(distanceAt(position) * POSITION_FACTOR + position);
    }
    remaining = first.length;
  } else {
    forEachBit(candidates, 0, consider);
  }

  const shown = best.keys.slice(0, query.limit);
  const hits = shown.map((key) => {
    const position = key % POSITION_FACTOR;
    return { position, distance: (key - position) / POSITION_FACTOR };
  });
  const lastKey = shown[shown.length - 1];
  const lastPosition = lastKey === undefined ? 0 : lastKey % POSITION_FACTOR;
  return {
    total,
    hits,
    next_cursor:
      remaining > query.limit && lastKey !== undefined
        ? encodeCursor({ distance: (lastKey - lastPosition) / POSITION_FACTOR, sort_key: snapshot.sortKeys[lastPosition]!, id: snapshot.ids[lastPosition]! })
        : null,
  };
}

/** Above `nearestScanLimit` candidates, the nearest are found through the kd-tree instead of a scan (tests lower it). */
export const searchTuning = { nearestScanLimit: 2000 };

/** The k smallest keys seen, kept sorted (k is a page size: at most 101). */
class BoundedKeys {
  readonly keys: number[] = [];
  constructor(private readonly capacity: number) {}

  add(key: number): void {
    const { keys } = this;
    if (keys.length === this.capacity && key >= keys[keys.length - 1]!) return;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (keys[mid]! < key) low = mid + 1;
      else high = mid;
    }
    keys.splice(low, 0, key);
    if (keys.length > this.capacity) keys.pop();
  }
}
