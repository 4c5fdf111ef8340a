// In-memory candidate index for duplicate detection during an import run: places grouped by
// commune plus a static k-d tree (kdbush) of precise positions, so each incoming or changed
// place finds its candidates (same commune, or within 100 m across a commune boundary) without
// a query per row. Scoring stays in imports.dedup.ts; this module only narrows the pairs.
import KDBush from 'kdbush';
import { distanceKm } from './imports.coordinates.ts';
import { candidateRadiusM, dedupFeatures, differentBuildings, scoreFeatures, type DedupFeatures, type DedupRecord, type PairScore } from './imports.dedup.ts';

type Located = DedupRecord & { latitude: number; longitude: number };

const isLocated = (r: DedupRecord): r is Located => r.latitude !== null && r.longitude !== null && !r.position_approximate;

export class DedupIndex {
  private readonly byCommune = new Map<string, DedupFeatures[]>();
  private readonly located: DedupFeatures[];
  private readonly tree: KDBush | null;
  private readonly byId = new Map<string, DedupFeatures>();

  constructor(readonly records: readonly DedupRecord[]) {
    for (const r of records) {
      const features = dedupFeatures(r);
      this.byId.set(r.id, features);
      if (!r.code_insee) continue;
      const group = this.byCommune.get(r.code_insee);
      if (group) group.push(features);
      else this.byCommune.set(r.code_insee, [features]);
    }
    this.located = [...this.byId.values()].filter((f) => f.located);
    if (this.located.length === 0) {
      this.tree = null;
    } else {
      this.tree = new KDBush(this.located.length);
      for (const f of this.located) this.tree.add(f.record.longitude!, f.record.latitude!);
      this.tree.finish();
    }
  }

  get(id: string): DedupRecord | undefined {
    return this.byId.get(id)?.record;
  }

  /** Places that may be the same as `record`: its commune's, and those within 100 m of it. */
  candidates(record: DedupRecord): DedupRecord[] {
    return this.candidateFeatures(record).map((f) => f.record);
  }

  private candidateFeatures(record: DedupRecord): DedupFeatures[] {
    const found: DedupFeatures[] = [];
    for (const other of record.code_insee ? (this.byCommune.get(record.code_insee) ?? []) : []) {
      if (other.record.id !== record.id) found.push(other);
    }
    if (this.tree && isLocated(record)) {
      const dLat = candidateRadiusM / 1000 / 111.32;
      const dLon = dLat / Math.max(0.01, Math.cos((record.latitude * Math.PI) / 180));
      for (const i of this.tree.range(record.longitude - dLon, record.latitude - dLat, record.longitude + dLon, record.latitude + dLat)) {
        const other = this.located[i]!;
        if (other.record.id === record.id || other.record.code_insee === record.code_insee) continue;
        if (distanceKm(record, other.record as Located) * 1000 <= candidateRadiusM) found.push(other);
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
    const features = this.byId.get(record.id)?.record === record ? this.byId.get(record.id)! : dedupFeatures(record);
    for (const other of this.candidateFeatures(record)) {
      if (differentBuildings(features, other)) continue;
      const score = record.id < other.record.id ? scoreFeatures(features, other) : scoreFeatures(other, features);
      if (score.decision !== 'distinct') scores.push(score);
    }
    return scores;
  }
}
