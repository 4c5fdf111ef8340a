// In-memory candidate index for duplicate detection during an import run: places grouped by
// commune plus a static k-d tree (kdbush) of precise positions, so each incoming or changed
// place finds its candidates (same commune, or within 100 m across a commune boundary) without
// a query per row. Scoring stays in imports.dedup.ts; this module only narrows the pairs.
import KDBush from 'kdbush';
import { distanceKm } from './imports.coordinates.ts';
import { candidateRadiusM, dedupFeatures, differentBuildings, farApartM, scoreFeatures, type DedupFeatures, type DedupRecord, type PairScore } from './imports.dedup.ts';

type Located = DedupRecord & { latitude: number; longitude: number };

const isLocated = (r: DedupRecord): r is Located => r.latitude !== null && r.longitude !== null && !r.position_approximate;

// Features of each record object, computed on first use and shared by every index holding it
// (a run builds its "after" index from the "before" one's records).
const memo = new WeakMap<DedupRecord, DedupFeatures>();

export function featuresOf(record: DedupRecord): DedupFeatures {
  let features = memo.get(record);
  if (!features) {
    features = dedupFeatures(record);
    memo.set(record, features);
  }
  return features;
}

/** Lends `record` the features already computed for an equal record (same scored values, other id). */
export function shareFeatures(record: DedupRecord, from: DedupRecord): void {
  memo.set(record, { ...featuresOf(from), record });
}

/**
 * A commune's places, grouped so that a located place finds the members that can be more than
 * 300 m away and still not "distinct": those without a precise position (no distance), and
 * those whose house number is the same or missing (unlike numbers make the address score 0).
 */
interface CommuneGroup {
  all: DedupRecord[];
  unlocated: DedupRecord[];
  byNumber: Map<string | null, Located[]>;
}

// Members closer than this are fetched from the k-d tree (the "different buildings" rule only
// applies beyond farApartM; 2 % margin as in differentBuildings).
const nearM = farApartM * 1.02;

export class DedupIndex {
  private readonly byCommune = new Map<string, CommuneGroup>();
  private readonly located: Located[];
  private readonly tree: KDBush | null;
  private readonly byId = new Map<string, DedupRecord>();

  constructor(readonly records: readonly DedupRecord[]) {
    for (const r of records) {
      this.byId.set(r.id, r);
      if (!r.code_insee) continue;
      let group = this.byCommune.get(r.code_insee);
      if (!group) {
        group = { all: [], unlocated: [], byNumber: new Map() };
        this.byCommune.set(r.code_insee, group);
      }
      group.all.push(r);
      if (!isLocated(r)) {
        group.unlocated.push(r);
        continue;
      }
      const number = featuresOf(r).address.number;
      const same = group.byNumber.get(number);
      if (same) same.push(r);
      else group.byNumber.set(number, [r]);
    }
    this.located = records.filter(isLocated);
    if (this.located.length === 0) {
      this.tree = null;
    } else {
      this.tree = new KDBush(this.located.length);
      for (const r of this.located) this.tree.add(r.longitude, r.latitude);
      this.tree.finish();
    }
  }

  get(id: string): DedupRecord | undefined {
    return this.byId.get(id);
  }

  /** Located places within `radiusM` of `record` (a box from the tree, then the exact distance when `exact`). */
  private near(record: Located, radiusM: number, exact: boolean): Located[] {
    if (!this.tree) return [];
    const dLat = radiusM / 1000 / 111.32;
    const dLon = dLat / Math.max(0.01, Math.cos((record.latitude * Math.PI) / 180));
    const found: Located[] = [];
    for (const i of this.tree.range(record.longitude - dLon, record.latitude - dLat, record.longitude + dLon, record.latitude + dLat)) {
      const other = this.located[i]!;
      if (!exact || distanceKm(record, other) * 1000 <= radiusM) found.push(other);
    }
    return found;
  }

  /** Places that may be the same as `record`: its commune's, and those within 100 m of it. */
  candidates(record: DedupRecord): DedupRecord[] {
    const found: DedupRecord[] = [];
    for (const other of record.code_insee ? (this.byCommune.get(record.code_insee)?.all ?? []) : []) {
      if (other.id !== record.id) found.push(other);
    }
    if (isLocated(record)) {
      for (const other of this.near(record, candidateRadiusM, true)) {
        if (other.id !== record.id && other.code_insee !== record.code_insee) found.push(other);
      }
    }
    return found;
  }

  /**
   * The candidates that scorePair's "different buildings" rule (far apart, unlike addresses)
   * does not already call distinct: for a located place, its commune's places within ~300 m
   * (from the tree), those without a precise position, those with the same or no house
   * number, and the 100 m neighbours across the boundary; big towns hold thousands of places,
   * and this keeps the work near linear instead of quadratic.
   */
  private plausible(record: DedupRecord): DedupRecord[] {
    const group = record.code_insee ? this.byCommune.get(record.code_insee) : undefined;
    if (!isLocated(record)) return this.candidates(record);
    const found = new Map<string, DedupRecord>();
    const add = (other: DedupRecord) => {
      if (other.id !== record.id) found.set(other.id, other);
    };
    if (group) {
      for (const other of group.unlocated) add(other);
      const number = featuresOf(record).address.number;
      if (number === null) for (const list of group.byNumber.values()) for (const other of list) add(other);
      else {
        for (const other of group.byNumber.get(number) ?? []) add(other);
        for (const other of group.byNumber.get(null) ?? []) add(other);
      }
    }
    for (const other of this.near(record, nearM, false)) {
      if (record.code_insee !== null && other.code_insee === record.code_insee) add(other);
      else if (other.code_insee !== record.code_insee && distanceKm(record, other) * 1000 <= candidateRadiusM) add(other);
    }
    return [...found.values()];
  }

  /**
   * The candidates' scores that are not "distinct". Pairs that scorePair's own "different
   * buildings" rule calls distinct are never looked at (see plausible), or dropped before
   * scoring by a cheap test.
   */
  scoreAgainst(record: DedupRecord): PairScore[] {
    const scores: PairScore[] = [];
    const features = featuresOf(record);
    for (const candidate of this.plausible(record)) {
      const other = featuresOf(candidate);
      if (differentBuildings(features, other)) continue;
      const score = record.id < candidate.id ? scoreFeatures(features, other) : scoreFeatures(other, features);
      if (score.decision !== 'distinct') scores.push(score);
    }
    return scores;
  }
}
