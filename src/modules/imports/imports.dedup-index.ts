// In-memory candidate index for duplicate detection during an import run: places grouped by
// commune plus a static k-d tree (kdbush) of precise positions, so each incoming or changed
// place finds its candidates (same commune, or within 100 m across a commune boundary) without
// a query per row. Scoring stays in imports.dedup.ts; this module only narrows the pairs.
import KDBush from 'kdbush';
import { normalizeText } from '../../lib/text.ts';
import { distanceKm } from './imports.coordinates.ts';
import { candidateRadiusM, scorePair, type DedupRecord, type PairScore } from './imports.dedup.ts';

type Located = DedupRecord & { latitude: number; longitude: number };

const isLocated = (r: DedupRecord): r is Located => r.latitude !== null && r.longitude !== null && !r.position_approximate;

// Beyond this distance scorePair calls two places distinct unless their addresses are alike.
const farApartM = 300;

/** The house number scorePair compares (first word of the address, when it is a number). */
function houseNumber(adresse: string): string | null {
  const first = normalizeText(adresse).split(' ')[0] ?? '';
  return /^\d+[a-z]?$/.test(first) ? first : null;
}

export class DedupIndex {
  private readonly byCommune = new Map<string, DedupRecord[]>();
  private readonly located: Located[];
  private readonly tree: KDBush | null;
  private readonly numbers = new Map<string, string | null>();
  private readonly byId = new Map<string, DedupRecord>();

  constructor(readonly records: readonly DedupRecord[]) {
    for (const r of records) this.byId.set(r.id, r);
    for (const r of records) {
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
    const found = new Map<string, DedupRecord>();
    for (const other of record.code_insee ? (this.byCommune.get(record.code_insee) ?? []) : []) {
      if (other.id !== record.id) found.set(other.id, other);
    }
    if (this.tree && isLocated(record)) {
      const dLat = candidateRadiusM / 1000 / 111.32;
      const dLon = dLat / Math.max(0.01, Math.cos((record.latitude * Math.PI) / 180));
      for (const i of this.tree.range(record.longitude - dLon, record.latitude - dLat, record.longitude + dLon, record.latitude + dLat)) {
        const other = this.located[i]!;
        if (other.id === record.id || other.code_insee === record.code_insee) continue;
        if (distanceKm(record, other) * 1000 <= candidateRadiusM) found.set(other.id, other);
      }
    }
    return [...found.values()];
  }

  /**
   * scorePair for the candidates that can be duplicates: a pair more than 300 m apart whose
   * house numbers differ is "distinct" by scorePair's own rule, so it is not scored (big
   * towns hold thousands of places: this keeps the work near linear).
   */
  scoreAgainst(record: DedupRecord): PairScore[] {
    const scores: PairScore[] = [];
    const number = this.numberOf(record);
    for (const other of this.candidates(record)) {
      if (number !== null && isLocated(record) && isLocated(other)) {
        const otherNumber = this.numberOf(other);
        if (otherNumber !== null && otherNumber !== number && distanceKm(record, other) * 1000 > farApartM) continue;
      }
      const score = record.id < other.id ? scorePair(record, other) : scorePair(other, record);
      if (score.decision !== 'distinct') scores.push(score);
    }
    return scores;
  }

  private numberOf(record: DedupRecord): string | null {
    let number = this.numbers.get(record.adresse);
    if (number === undefined) {
      number = houseNumber(record.adresse);
      this.numbers.set(record.adresse, number);
    }
    return number;
  }
}
