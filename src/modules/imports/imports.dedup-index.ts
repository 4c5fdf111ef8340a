// In-memory candidate index for duplicate detection during an import run: places grouped by
// commune plus a static k-d tree (kdbush) of precise positions, so each incoming or changed
// place finds its candidates (same commune, or within 100 m across a commune boundary) without
// a query per row. Scoring stays in imports.dedup.ts; this module only narrows the pairs.
//
// The index is columnar: per place a few typed-array cells (position, interned commune, house
// number and street), streets' bigrams packed once per distinct street, communes' members as
// ranges of one array. Full scoring features are computed only for the places a pair is scored
// with; the many far-apart pairs of a big town are dropped on the columns alone.
import KDBush from 'kdbush';
import { distanceKm } from './imports.coordinates.ts';
import {
  addressParts,
  bigramCodes,
  candidateRadiusM,
  dedupFeatures,
  diceOfRange,
  featuresWithAddress,
  farApartM,
  scoreUnlessDistinct,
  type DedupFeatures,
  type DedupRecord,
  type PairScore,
} from './imports.dedup.ts';

const isLocated = (r: DedupRecord): boolean => r.latitude !== null && r.longitude !== null && !r.position_approximate;

// Features of each record object, computed on first use and shared by every index holding it
// (a run's created places are the very records scored for merge targets).
const memo = new WeakMap<DedupRecord, DedupFeatures>();

export function featuresOf(record: DedupRecord): DedupFeatures {
  let features = memo.get(record);
  if (!features) {
    features = dedupFeatures(record);
    memo.set(record, features);
  }
  return features;
}

// Members closer than this are fetched from the k-d tree (the "different buildings" rule only
// applies beyond farApartM; 2 % margin as in differentBuildings).
const nearM = farApartM * 1.02;
// Metres per degree of latitude; a degree of longitude is this times cos(latitude) (as differentBuildings).
const metresPerDegree = 111_320;
const closeSquared = (farApartM * 0.98) ** 2;
const farSquared = (farApartM * 1.02) ** 2;
/** No house number (a record's number id), and a number no place of the index has (a query's). */
const noNumber = -1;
const unknownNumber = -2;
/** No code_insee (a record's commune id), and a code no place of the index has (a query's). */
const noCommune = -1;
const unknownCommune = -2;
// Ranks of scoreAgainst's pairs: unlocated places of the commune from 0, its located places from groupRank, the tree's from treeRank.
const groupRank = 2 ** 30;
const treeRank = 2 ** 31;

/** Growable Int32Array, for packing lists whose length is not known in advance. */
class IntList {
  data = new Int32Array(16);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class DedupIndex {
  private readonly byId = new Map<string, number>();
  // Per place (by position in `records`).
  private readonly latitude: Float64Array;
  private readonly longitude: Float64Array;
  private readonly located: Uint8Array;
  private readonly commune: Int32Array;
  private readonly number: Int32Array;
  private readonly street: Int32Array;
  // Interned values.
  private readonly communeIds = new Map<string, number>();
  private readonly numberIds = new Map<string, number>();
  /** Bigram codes of street s: streetCodes[streetStart[s] .. streetStart[s + 1]). */
  private readonly streetCodes: Uint32Array;
  private readonly streetStart: Int32Array;
  private readonly emptyStreet: number;
  private readonly streetNames: string[];
  private readonly numberNames: string[] = [];
  // Communes' members (places with a code_insee), as ranges, commune after commune:
  // all:       members[allStart[c] .. unlocatedStart[c]), in record order;
  // unlocated: members[unlocatedStart[c] .. allStart[c + 1]);
  // located, by house number: segments segmentStart[c] .. segmentStart[c + 1], segment s of
  // number segmentNumber[s] (in order of first appearance) holding segmentMembers[memberStart[s] .. memberStart[s + 1]).
  private readonly members: Int32Array;
  private readonly segmentMembers: Int32Array;
  private readonly allStart: Int32Array;
  private readonly unlocatedStart: Int32Array;
  private readonly segmentStart: Int32Array;
  private readonly segmentNumber: Int32Array;
  private readonly memberStart: Int32Array;
  /** Place i's index in segmentMembers (-1: not in a segment). */
  private readonly segmentPosition: Int32Array;
  // Located members by street: buckets bucketStart[c] .. bucketStart[c + 1], bucket b of street
  // bucketStreet[b] holding bucketMembers[bucketMemberStart[b] .. bucketMemberStart[b + 1]) in record order.
  private readonly bucketStart: Int32Array;
  private readonly bucketStreet: Int32Array;
  private readonly bucketMemberStart: Int32Array;
  private readonly bucketMembers: Int32Array;
  /** Tree point i is place treePlace[i]. */
  private readonly tree: KDBush | null;
  private readonly treePlace: Int32Array;
  // Scratch of one scoreAgainst call: places already seen (stamp), street similarities computed.
  private readonly seen: Int32Array;
  private readonly streetSeen: Int32Array;
  private readonly streetSimilarity: Float64Array;
  private stamp = 0;
  /** Full features of the places scored so far (most places are only ever looked at on the columns). */
  private readonly features: (DedupFeatures | undefined)[];

  constructor(readonly records: readonly DedupRecord[]) {
    const n = records.length;
    this.latitude = new Float64Array(n);
    this.longitude = new Float64Array(n);
    this.located = new Uint8Array(n);
    this.commune = new Int32Array(n);
    this.number = new Int32Array(n);
    this.street = new Int32Array(n);
    const streetIds = new Map<string, number>();
    this.streetNames = [];
    const codes = new IntList();
    const starts = new IntList();
    const lists: { all: number[]; unlocated: number[]; numbers: Map<number, number[]>; streets: Map<number, number[]> }[] = [];
    const treePlace = new IntList();
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      this.byId.set(r.id, i);
      const located = isLocated(r);
      this.located[i] = located ? 1 : 0;
      this.latitude[i] = r.latitude ?? 0;
      this.longitude[i] = r.longitude ?? 0;
      if (located) treePlace.push(i);
      const address = memo.get(r)?.address ?? addressParts(r.adresse);
      let number = noNumber;
      if (address.number !== null) {
        number = this.numberIds.get(address.number) ?? this.numberIds.size;
        if (number === this.numberIds.size) {
          this.numberIds.set(address.number, number);
          this.numberNames.push(address.number);
        }
      }
      this.number[i] = number;
      let street = streetIds.get(address.street);
      if (street === undefined) {
        street = streetIds.size;
        streetIds.set(address.street, street);
        this.streetNames.push(address.street);
        starts.push(codes.length);
        for (const code of bigramCodes(address.street)) codes.push(code);
      }
      this.street[i] = street;
      let commune = noCommune;
      if (r.code_insee !== null) {
        commune = this.communeIds.get(r.code_insee) ?? this.communeIds.size;
        if (commune === this.communeIds.size) {
          this.communeIds.set(r.code_insee, commune);
          lists.push({ all: [], unlocated: [], numbers: new Map(), streets: new Map() });
        }
      }
      this.commune[i] = commune;
      // An empty code_insee is a commune for comparisons, but groups no places (as `if (!code_insee)`).
      if (!r.code_insee) continue;
      const group = lists[commune]!;
      group.all.push(i);
      if (!located) group.unlocated.push(i);
      else {
        const same = group.numbers.get(number);
        if (same) same.push(i);
        else group.numbers.set(number, [i]);
        const onStreet = group.streets.get(street);
        if (onStreet) onStreet.push(i);
        else group.streets.set(street, [i]);
      }
    }
    starts.push(codes.length);
    this.streetCodes = new Uint32Array(codes.done().buffer);
    this.streetStart = starts.done();
    this.emptyStreet = streetIds.get('') ?? -1;

    const communes = lists.length;
    this.allStart = new Int32Array(communes + 1);
    this.unlocatedStart = new Int32Array(communes + 1);
    this.segmentStart = new Int32Array(communes + 1);
    const members = new IntList();
    const segmentMembers = new IntList();
    const segmentNumber = new IntList();
    const memberStart = new IntList();
    this.segmentPosition = new Int32Array(n).fill(-1);
    this.bucketStart = new Int32Array(communes + 1);
    const bucketStreet = new IntList();
    const bucketMemberStart = new IntList();
    const bucketMembers = new IntList();
    for (let c = 0; c < communes; c++) {
      const group = lists[c]!;
      this.allStart[c] = members.length;
      for (const i of group.all) members.push(i);
      this.unlocatedStart[c] = members.length;
      for (const i of group.unlocated) members.push(i);
      this.segmentStart[c] = segmentNumber.length;
      for (const [number, list] of group.numbers) {
        segmentNumber.push(number);
        memberStart.push(segmentMembers.length);
        for (const i of list) {
          this.segmentPosition[i] = segmentMembers.length;
          segmentMembers.push(i);
        }
      }
      this.bucketStart[c] = bucketStreet.length;
      for (const [street, list] of group.streets) {
        bucketStreet.push(street);
        bucketMemberStart.push(bucketMembers.length);
        for (const i of list) bucketMembers.push(i);
      }
    }
    this.bucketStart[communes] = bucketStreet.length;
    bucketMemberStart.push(bucketMembers.length);
    this.bucketStreet = bucketStreet.done();
    this.bucketMemberStart = bucketMemberStart.done();
    this.bucketMembers = bucketMembers.done();
    this.allStart[communes] = this.unlocatedStart[communes] = members.length;
    this.segmentStart[communes] = segmentNumber.length;
    memberStart.push(segmentMembers.length);
    this.members = members.done();
    this.segmentMembers = segmentMembers.done();
    this.segmentNumber = segmentNumber.done();
    this.memberStart = memberStart.done();
    this.treePlace = treePlace.done();
    if (this.treePlace.length === 0) {
      this.tree = null;
    } else {
      this.tree = new KDBush(this.treePlace.length);
      for (const i of this.treePlace) this.tree.add(this.longitude[i]!, this.latitude[i]!);
      this.tree.finish();
    }
    this.seen = new Int32Array(n);
    this.features = new Array<DedupFeatures | undefined>(n).fill(undefined);
    this.streetSeen = new Int32Array(streetIds.size);
    this.streetSimilarity = new Float64Array(streetIds.size);
  }

  get(id: string): DedupRecord | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.records[i];
  }

  /** End of commune c's `all` range (its unlocated range follows). */
  private allEnd(c: number): number {
    return this.unlocatedStart[c]!;
  }

  /** End of commune c's unlocated range. */
  private unlocatedEnd(c: number): number {
    return this.allStart[c + 1]!;
  }

  /** The commune id of a query's code_insee (unknownCommune when no place of the index has it). */
  private communeOf(record: DedupRecord): number {
    return record.code_insee === null ? noCommune : (this.communeIds.get(record.code_insee) ?? unknownCommune);
  }

  /** Tree points in the box of `radiusM` around `record` (degrees as the k-d tree stores them). */
  private box(record: DedupRecord & { latitude: number; longitude: number }, radiusM: number): number[] {
    if (!this.tree) return [];
    const dLat = radiusM / 1000 / 111.32;
    const dLon = dLat / Math.max(0.01, Math.cos((record.latitude * Math.PI) / 180));
    return this.tree.range(record.longitude - dLon, record.latitude - dLat, record.longitude + dLon, record.latitude + dLat);
  }

  /** Places that may be the same as `record`: its commune's, and those within 100 m of it. */
  candidates(record: DedupRecord): DedupRecord[] {
    const found: DedupRecord[] = [];
    const commune = record.code_insee ? this.communeOf(record) : unknownCommune;
    if (commune >= 0) {
      for (let k = this.allStart[commune]!, end = this.allEnd(commune); k < end; k++) {
        const other = this.records[this.members[k]!]!;
        if (other.id !== record.id) found.push(other);
      }
    }
    if (isLocated(record)) {
      const located = record as DedupRecord & { latitude: number; longitude: number };
      for (const t of this.box(located, candidateRadiusM)) {
        const other = this.records[this.treePlace[t]!]! as DedupRecord & { latitude: number; longitude: number };
        if (distanceKm(located, other) * 1000 <= candidateRadiusM && other.id !== record.id && other.code_insee !== record.code_insee) found.push(other);
      }
    }
    return found;
  }

  /**
   * The candidates' scores that are not "distinct". For a located place, the candidates that
   * scorePair's "different buildings" rule (far apart, unlike addresses) may not call distinct
   * are its commune's places without a precise position, those with the same or no house
   * number (unlike numbers make the address score 0), those within ~300 m (from the tree),
   * and the 100 m neighbours across the boundary; each is then dropped before scoring when
   * that rule holds on the columns alone (flat distance, street similarity computed once per
   * street). Big towns hold thousands of places: this keeps the work near linear. Pairs come
   * in the order of the former object-based index (same scores, same order).
   */
  scoreAgainst(record: DedupRecord): PairScore[] {
    const features = featuresOf(record);
    const address = features.address;
    const q = this.query;
    q.record = record;
    q.features = features;
    q.scores = [];
    q.self = this.byId.get(record.id) ?? -1;
    q.stamp = ++this.stamp;
    q.number = address.number === null ? noNumber : (this.numberIds.get(address.number) ?? unknownNumber);
    q.emptyStreet = address.street === '';
    q.bigrams = address.bigrams;
    q.located = features.located;
    q.latitude = record.latitude ?? 0;
    q.longitude = record.longitude ?? 0;
    q.cosLatitude = features.cosLatitude;
    q.ranks = [];
    q.sorted = true;
    const scores = q.scores;
    if (!features.located) {
      let rank = 0;
      for (const other of this.candidates(record)) this.consider(this.byId.get(other.id)!, rank++);
    } else {
      // The former index looked at the commune's unlocated places, then its located places of
      // the same or no house number (by number, in order of first appearance), then the tree's
      // neighbours: each pair is ranked so, and the pairs are given back in that order. Of the
      // located places of the commune, only the streets alike (>= 0.8) are looked at here: the
      // others are "different buildings" unless within ~300 m, where the tree finds them.
      const commune = this.communeOf(record);
      q.numberSegment = -1;
      q.noNumberSegment = -1;
      if (record.code_insee && commune >= 0) {
        const unlocated = this.allEnd(commune);
        for (let k = unlocated, end = this.unlocatedEnd(commune); k < end; k++) this.add(this.members[k]!, k - unlocated);
        for (let s = this.segmentStart[commune]!, last = this.segmentStart[commune + 1]!; s < last; s++) {
          if (this.segmentNumber[s] === q.number) q.numberSegment = s;
          else if (this.segmentNumber[s] === noNumber) q.noNumberSegment = s;
        }
        for (let b = this.bucketStart[commune]!, last = this.bucketStart[commune + 1]!; b < last; b++) {
          if (this.streetSimilarityOf(this.bucketStreet[b]!) < 0.8) continue;
          for (let k = this.bucketMemberStart[b]!, end = this.bucketMemberStart[b + 1]!; k < end; k++) {
            const i = this.bucketMembers[k]!;
            if (this.compatible(i)) this.add(i, this.groupRank(i));
          }
        }
      }
      const here = record as DedupRecord & { latitude: number; longitude: number };
      const hits = this.box(here, nearM);
      for (let t = 0; t < hits.length; t++) {
        const i = this.treePlace[hits[t]!]!;
        const other = this.commune[i]!;
        if (commune !== noCommune && other === commune) this.add(i, this.segmentPosition[i] !== -1 && this.compatible(i) ? this.groupRank(i) : treeRank + t);
        else if (other !== commune && distanceKm(here, this.records[i] as { latitude: number; longitude: number }) * 1000 <= candidateRadiusM) this.add(i, treeRank + t);
      }
    }
    let result = scores;
    if (!q.sorted) {
      const order = scores.map((_, k) => k).sort((x, y) => q.ranks[x]! - q.ranks[y]!);
      result = order.map((k) => scores[k]!);
    }
    q.record = q.features = null;
    q.bigrams = null;
    q.scores = [];
    q.ranks = [];
    return result;
  }

  /** Whether place i's house number and the query's can be the same address (same, or either missing). */
  private compatible(i: number): boolean {
    const number = this.number[i]!;
    return this.query.number === noNumber || number === noNumber || number === this.query.number;
  }

  /** Where the former index met located place i of the query's commune: by house number segment, then in it. */
  private groupRank(i: number): number {
    const q = this.query;
    const k = this.segmentPosition[i]!;
    if (q.number === noNumber) return groupRank + k;
    if (this.number[i] === q.number) return groupRank + (k - this.memberStart[q.numberSegment]!);
    const before = q.numberSegment === -1 ? 0 : this.memberStart[q.numberSegment + 1]! - this.memberStart[q.numberSegment]!;
    return groupRank + before + (k - this.memberStart[q.noNumberSegment]!);
  }

  /** addressSimilarityOf's street part between the query and street s, once per street and query. */
  private streetSimilarityOf(s: number): number {
    const q = this.query;
    if (this.streetSeen[s] !== q.stamp) {
      this.streetSeen[s] = q.stamp;
      this.streetSimilarity[s] = diceOfRange(q.bigrams!, this.streetCodes, this.streetStart[s]!, this.streetStart[s + 1]!, q.emptyStreet && s === this.emptyStreet);
    }
    return this.streetSimilarity[s]!;
  }

  // The place being scored by scoreAgainst, and its interned house number.
  private readonly query = {
    record: null as DedupRecord | null,
    features: null as DedupFeatures | null,
    scores: [] as PairScore[],
    self: -1,
    stamp: 0,
    located: false,
    latitude: 0,
    longitude: 0,
    cosLatitude: 1,
    number: noNumber,
    bigrams: null as Uint32Array | null,
    emptyStreet: false,
    numberSegment: -1,
    noNumberSegment: -1,
    /** Rank of each score (see scoreAgainst), and whether they came in rank order. */
    ranks: [] as number[],
    sorted: true,
  };

  /** Considers place i once per query. */
  private add(i: number, rank: number): void {
    if (this.seen[i] === this.query.stamp) return;
    this.seen[i] = this.query.stamp;
    this.consider(i, rank);
  }

  /** Features of place i, its address taken from the interned street. */
  private featuresAt(i: number): DedupFeatures {
    const s = this.street[i]!;
    const number = this.number[i]!;
    return featuresWithAddress(this.records[i]!, { number: number === noNumber ? null : this.numberNames[number]!, street: this.streetNames[s]!, bigrams: this.streetCodes.subarray(this.streetStart[s]!, this.streetStart[s + 1]!) });
  }

  /** Scores place i against the query unless it is the query itself or the "different buildings" rule holds. */
  private consider(i: number, rank: number): void {
    const q = this.query;
    if (i === q.self) return;
    if (q.located && this.located[i] === 1 && this.differentBuildings(i)) return;
    const features = q.features!;
    const record = q.record!;
    const candidate = this.records[i]!;
    const other = (this.features[i] ??= memo.get(candidate) ?? this.featuresAt(i));
    const pair = record.id < candidate.id ? scoreUnlessDistinct(features, other) : scoreUnlessDistinct(other, features);
    if (!pair) return;
    if (q.ranks.length > 0 && rank < q.ranks[q.ranks.length - 1]!) q.sorted = false;
    q.scores.push(pair);
    q.ranks.push(rank);
  }

  /** differentBuildings(query, place i) for a located place and query, on the columns. */
  private differentBuildings(i: number): boolean {
    const q = this.query;
    const dy = (q.latitude - this.latitude[i]!) * metresPerDegree;
    const dx = (q.longitude - this.longitude[i]!) * metresPerDegree * q.cosLatitude;
    const flat = dx * dx + dy * dy;
    if (flat <= closeSquared) return false;
    // addressSimilarityOf(query address, place i's address) >= 0.8, once per interned street.
    const otherNumber = this.number[i]!;
    if (q.number === noNumber || otherNumber === noNumber || q.number === otherNumber) {
      if (this.streetSimilarityOf(this.street[i]!) >= 0.8) return false;
    }
    return flat > farSquared || distanceKm(q.record as { latitude: number; longitude: number }, this.records[i] as { latitude: number; longitude: number }) * 1000 > farApartM;
  }
}
