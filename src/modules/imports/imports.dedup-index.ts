// In-memory candidate index for duplicate detection during an import run: places grouped by
// commune plus a static k-d tree (kdbush) of precise positions, so each incoming or changed
// place finds its candidates (same commune, or within 100 m across a commune boundary) without
// a query per row. Scoring stays in imports.dedup.ts; this module only narrows the pairs.
import KDBush from 'kdbush';
import { distanceKm } from './imports.coordinates.ts';
import { candidateRadiusM, dedupFeatures, differentBuildings, scoreFeatures, type DedupFeatures, type DedupRecord, type PairScore } from './imports.dedup.ts';

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

export class DedupIndex {
  private readonly byCommune = new Map<string, DedupRecord[]>();
  private readonly located: Located[];
  private readonly tree: KDBush | null;
  private readonly byId = new Map<string, DedupRecord>();

  constructor(readonly records: readonly DedupRecord[]) {
    for (const r of records) {
      this.byId.set(r.id, r);
      if (!r.code_insee) continue;
      const group = this.byCommune.get(r.code_insee);
      if (group) group.push(r);
      else this.byCommune.set(r.code_insee, [r]);
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

  /** Places that may be the same as `record`: its commune's, and those within 100 m of it. */
  candidates(record: DedupRecord): DedupRecord[] {
    const found: DedupRecord[] = [];
    for (const other of record.code_insee ? (this.byCommune.get(record.code_insee) ?? []) : []) {
      if (other.id !== record.id) found.push(other);
    }
    if (this.tree && isLocated(record)) {
      const dLat = candidateRadiusM / 1000 / 111.32;
      const dLon = dLat / Math.max(0.01, Math.cos((record.latitude * Math.PI) / 180));
      for (const i of this.tree.range(record.longitude - dLon, record.latitude - dLat, record.longitude + dLon, record.latitude + dLat)) {
        const other = this.located[i]!;
        if (other.id === record.id || other.code_insee === record.code_insee) continue;
        if (distanceKm(record, other) * 1000 <= candidateRadiusM) found.push(other);
      }
    }
    return found;
  }

  /**
   * The candidates' scores that are not "distinct". Pairs that scorePair's own "different
   * buildings" rule calls distinct (far apart, unlike addresses) are dropped before scoring:
   * big towns hold thousands of places, and this keeps the work near linear.
   */
  scoreAgainst(record: DedupRecord): PairScore[] {
    const scores: PairScore[] = [];
    const features = featuresOf(record);
    for (const candidate of this.candidates(record)) {
      const other = featuresOf(candidate);
      if (differentBuildings(features, other)) continue;
      const score = record.id < candidate.id ? scoreFeatures(features, other) : scoreFeatures(other, features);
      if (score.decision !== 'distinct') scores.push(score);
    }
    return scores;
  }
}
