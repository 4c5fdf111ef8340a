// Query engine over a read-model snapshot: no database access. Same semantics as the SQL
// reference in search.repository.ts (checked on random queries by the tests):
// - filters: territory, each enumerated field (OR within a field, AND across fields), every
//   query word (see text-match.ts), open at an instant; all ANDed;
// - with a point: only places with a position, within the radius if any, ordered by rounded
//   distance in metres, then sort_key, then id; without: ordered by sort_key, then id;
// - keyset pagination after the cursor's key; `total` counts every match (all pages).
import { andInPlace, forEachBit, fullBitset, hasBit, type Bitset } from './bitset.ts';
import { encodeCursor } from './cursor.ts';
import { boundingBox, distanceMetres } from './distance.ts';
import { openAtChecker } from './open-filter.ts';
import { bitsetOf, compareKey, type SearchSnapshot } from './read-model.ts';
import { prepareQuery, type PreparedQuery } from './search.query.ts';
import type { SearchItem, SearchQuery, SearchResult } from './search.types.ts';
import { wordMatchesToken } from './text-match.ts';

export function searchLieux(snapshot: SearchSnapshot, query: SearchQuery, now: Date): SearchResult {
  const prepared = prepareQuery(query, now);
  const candidates = candidateBitset(snapshot, prepared);
  const isOpen = prepared.openAt ? openChecker(snapshot, prepared.openAt) : undefined;
  return prepared.point
    ? searchNear(snapshot, prepared, prepared.point, candidates, isOpen)
    : searchBySortKey(snapshot, prepared, candidates, isOpen);
}

function candidateBitset(snapshot: SearchSnapshot, query: PreparedQuery): Bitset {
  const bits = fullBitset(snapshot.size);
  if (query.point) andInPlace(bits, snapshot.positioned);
  if (query.territoire) {
    const postings = snapshot.territories[query.territoire.type].get(query.territoire.code);
    andInPlace(bits, bitsetOf(snapshot, postings ? [postings] : []));
  }
  for (const [field, values] of query.filters) {
    const index = snapshot.facets[field];
    andInPlace(bits, bitsetOf(snapshot, values.flatMap((v) => index.get(v) ?? [])));
  }
  for (const word of query.words) andInPlace(bits, bitsetOf(snapshot, tokenPostingsFor(snapshot, word)));
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
  // Typos: tokens outside the prefix range that are one edit away.
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith(word) && wordMatchesToken(word, token)) result.push(tokenPostings[i]!);
  }
  return result;
}

function openChecker(snapshot: SearchSnapshot, at: Date): (position: number) => boolean {
  const check = openAtChecker(at);
  return (position) => {
    const record = snapshot.records[position]!;
    return check({
      horaires: record.horaires,
      latitude: record.latitude,
      longitude: record.longitude,
      code_departement: record.code_departement,
    });
  };
}

function itemAt(snapshot: SearchSnapshot, position: number, distance?: number): SearchItem {
  const item = JSON.parse(snapshot.records[position]!.item) as SearchItem;
  if (distance !== undefined) item.distance = distance;
  return item;
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
  isOpen: ((position: number) => boolean) | undefined,
): SearchResult {
  const start = query.after ? positionAfter(snapshot, query.after.sort_key, query.after.id) : 0;
  const page: number[] = [];
  let total = 0;
  forEachBit(candidates, 0, (position) => {
    if (isOpen && !isOpen(position)) return;
    total++;
    if (position >= start && page.length <= query.limit) page.push(position);
  });
  const hasMore = page.length > query.limit;
  const shown = page.slice(0, query.limit);
  const last = shown[shown.length - 1]!;
  return {
    total,
    items: shown.map((position) => itemAt(snapshot, position)),
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
  isOpen: ((position: number) => boolean) | undefined,
): SearchResult {
  const { latitudes, longitudes } = snapshot;
  const radius = query.radiusMetres ?? Infinity;
  const start = query.after ? positionAfter(snapshot, query.after.sort_key, query.after.id) : 0;
  const afterDistance = query.after?.distance ?? -1;
  const keys: number[] = [];
  let total = 0;
  const consider = (position: number) => {
    const distance = distanceMetres(point.latitude, point.longitude, latitudes[position]!, longitudes[position]!);
    if (!(distance <= radius)) return;
    if (isOpen && !isOpen(position)) return;
    total++;
    if (distance > afterDistance || (distance === afterDistance && position >= start)) {
      keys.push(distance * POSITION_FACTOR + position);
    }
  };
  if (query.radiusMetres !== undefined && snapshot.kd) {
    const box = boundingBox(point.latitude, point.longitude, query.radiusMetres);
    const inBox = snapshot.kd.range(box.minLon ?? -180, box.minLat, box.maxLon ?? 180, box.maxLat);
    for (const kdItem of inBox) {
      const position = snapshot.kdPositions[kdItem]!;
      if (hasBit(candidates, position)) consider(position);
    }
  } else {
    forEachBit(candidates, 0, consider);
  }
  const sorted = Float64Array.from(keys).sort();
  const shown = sorted.subarray(0, query.limit);
  const items = Array.from(shown, (key) => {
    const position = key % POSITION_FACTOR;
    return itemAt(snapshot, position, (key - position) / POSITION_FACTOR);
  });
  const last = items[items.length - 1];
  const lastPosition = shown.length ? shown[shown.length - 1]! % POSITION_FACTOR : 0;
  return {
    total,
    items,
    next_cursor:
      sorted.length > query.limit
        ? encodeCursor({ distance: last!.distance, sort_key: snapshot.sortKeys[lastPosition]!, id: snapshot.ids[lastPosition]! })
        : null,
  };
}
