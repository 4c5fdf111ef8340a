// Duplicate detection across sources (pure, no database): candidate pairs in the same commune
// or within 100 m across a commune boundary, scored on normalised names, address, distance,
// pivot, phone and e-mail, and classified merge / review / distinct. Thresholds and the
// reasons behind them are in docs/imports.md ("Deduplication").
import { normalizeText } from '../../lib/text.ts';
import { distanceKm } from './imports.coordinates.ts';

export interface DedupRecord {
  id: string;
  nom: string;
  adresse: string;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Commune centre rather than the address: the position says nothing about the building. */
  position_approximate?: boolean;
  pivot: string | null;
  telephone: string | null;
  courriels: string[];
}

export type DedupDecision = 'merge' | 'review' | 'distinct';

export interface PairScore {
  a: string;
  b: string;
  /** 0–100, weighted mean of the signals both records carry. */
  score: number;
  decision: DedupDecision;
  signals: { name: number; address: number | null; distance_m: number | null; pivot: 'same' | 'different' | 'same_siren' | 'unknown'; phone: boolean | null; email: boolean | null };
  /** Why an otherwise strong pair is not merged automatically (French, shown in the review queue). */
  reason?: string;
}

export const mergeThreshold = 85;
export const reviewThreshold = 60;
export const candidateRadiusM = 100;

const weights = { name: 40, address: 20, distance: 15, pivot: 10, phone: 10, email: 5 };

/** Placeholder pivots (ANCT's 00000000000000, all-same digits) carry no identity. */
export function isRealPivot(pivot: string | null): pivot is string {
  if (!pivot) return false;
  const compact = pivot.replace(/\s/g, '');
  if (/^(\d)\1+$/.test(compact)) return false;
  return /^\d{14}$/.test(compact) || /^W\d{9}$/i.test(compact) || /^\d{9}$/.test(compact);
}

const abbreviations: Record<string, string> = {
  st: 'saint', ste: 'sainte', av: 'avenue', bd: 'boulevard', bld: 'boulevard', pl: 'place', r: 'rue', ch: 'chemin',
  imp: 'impasse', rte: 'route', all: 'allee', epn: 'espace public numerique', cs: 'centre social', fs: 'france services',
  bibli: 'bibliotheque', mediath: 'mediatheque', cyber: 'cyberbase',
};

// Words every other place name carries: they say nothing about which place it is.
const stopWords = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'et', 'a', 'au', 'aux', 'en', 'mairie', 'espace', 'ville', 'commune', 'lieu', 'point']);

export function nameTokens(nom: string): string[] {
  const words = normalizeText(nom).split(' ').flatMap((w) => (abbreviations[w] ?? w).split(' '));
  return words.filter((w) => w !== '' && !stopWords.has(w));
}

function bigrams(text: string): Map<string, number> {
  const map = new Map<string, number>();
  const t = ` ${text} `;
  for (let i = 0; i < t.length - 1; i++) map.set(t.slice(i, i + 2), (map.get(t.slice(i, i + 2)) ?? 0) + 1);
  return map;
}

/** Sørensen–Dice similarity of character bigrams (0–1): robust to typos and word order. */
export function dice(a: string, b: string): number {
  if (a === '' && b === '') return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let total = 0;
  for (const [k, n] of x) {
    common += Math.min(n, y.get(k) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  const setA = new Set(ta);
  const setB = new Set(tb);
  const inter = [...setA].filter((w) => setB.has(w)).length;
  const jaccard = setA.size + setB.size - inter === 0 ? 1 : inter / (setA.size + setB.size - inter);
  return Math.max(jaccard, dice([...ta].sort().join(' '), [...tb].sort().join(' ')));
}

function addressParts(adresse: string): { number: string | null; street: string } {
  const words = normalizeText(adresse).split(' ').map((w) => abbreviations[w] ?? w);
  const number = /^\d+[a-z]?$/.test(words[0] ?? '') ? words.shift()! : null;
  const rest = words.filter((w) => !['bis', 'ter'].includes(w));
  return { number, street: rest.join(' ') };
}

export function addressSimilarity(a: string, b: string): number {
  const x = addressParts(a);
  const y = addressParts(b);
  if (x.number && y.number && x.number !== y.number) return 0;
  return dice(x.street, y.street);
}

function phoneKey(phone: string | null): string | null {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 9 ? digits.slice(-9) : null;
}

function hasPosition(r: DedupRecord): r is DedupRecord & { latitude: number; longitude: number } {
  return r.latitude !== null && r.longitude !== null && !r.position_approximate;
}

export function scorePair(a: DedupRecord, b: DedupRecord): PairScore {
  const name = nameSimilarity(a.nom, b.nom);
  const address = addressSimilarity(a.adresse, b.adresse);
  const distanceM = hasPosition(a) && hasPosition(b) ? distanceKm(a, b) * 1000 : null;
  const pivot = isRealPivot(a.pivot) && isRealPivot(b.pivot)
    ? a.pivot === b.pivot ? 'same' : a.pivot.slice(0, 9) === b.pivot.slice(0, 9) ? 'same_siren' : 'different'
    : 'unknown';
  const pa = phoneKey(a.telephone);
  const pb = phoneKey(b.telephone);
  const phone = pa && pb ? pa === pb : null;
  const ea = a.courriels.map((e) => e.toLowerCase());
  const email = ea.length && b.courriels.length ? b.courriels.some((e) => ea.includes(e.toLowerCase())) : null;

  let sum = weights.name * name + weights.address * address;
  let weight = weights.name + weights.address;
  if (distanceM !== null) {
    sum += weights.distance * (distanceM <= 30 ? 1 : distanceM <= 100 ? 0.7 : distanceM <= 300 ? 0.3 : 0);
    weight += weights.distance;
  }
  if (pivot === 'same' || pivot === 'different') {
    sum += weights.pivot * (pivot === 'same' ? 1 : 0);
    weight += weights.pivot;
  }
  if (phone !== null) {
    sum += weights.phone * (phone ? 1 : 0);
    weight += weights.phone;
  }
  if (email !== null) {
    sum += weights.email * (email ? 1 : 0);
    weight += weights.email;
  }
  const score = Math.round((100 * sum) / weight);
  const signals = { name: round(name), address: round(address), distance_m: distanceM === null ? null : Math.round(distanceM), pivot, phone, email } as const;

  let decision: DedupDecision = score >= mergeThreshold ? 'merge' : score >= reviewThreshold ? 'review' : 'distinct';
  let reason: string | undefined;
  // Different buildings: two branches of one organisation, never the same place.
  if (distanceM !== null && distanceM > 300 && address < 0.8) decision = 'distinct';
  // Same building, different names: a mairie and its médiathèque are two places.
  if (decision === 'merge' && name < 0.5) {
    decision = 'review';
    reason = 'Même adresse mais noms différents : deux lieux distincts dans un même bâtiment ?';
  }
  if (decision === 'merge' && pivot === 'different') {
    decision = 'review';
    reason = 'Deux SIRET différents : jamais fusionnés automatiquement.';
  }
  return { a: a.id, b: b.id, score, decision, signals, ...(reason ? { reason } : {}) };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Pairs worth scoring: same commune, or within 100 m of each other across a commune boundary. */
export function candidatePairs(records: DedupRecord[]): [DedupRecord, DedupRecord][] {
  const seen = new Set<string>();
  const pairs: [DedupRecord, DedupRecord][] = [];
  const add = (x: DedupRecord, y: DedupRecord) => {
    if (x.id === y.id) return;
    const key = x.id < y.id ? `${x.id}|${y.id}` : `${y.id}|${x.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push(x.id < y.id ? [x, y] : [y, x]);
  };
  const byCommune = new Map<string, DedupRecord[]>();
  for (const r of records) if (r.code_insee) byCommune.set(r.code_insee, [...(byCommune.get(r.code_insee) ?? []), r]);
  for (const group of byCommune.values()) for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) add(group[i]!, group[j]!);
  // A grid of ~0.002° cells (≥ 100 m at French latitudes): neighbours are in the 9 cells around.
  const cell = 0.002;
  type Located = DedupRecord & { latitude: number; longitude: number };
  const grid = new Map<string, Located[]>();
  const located = records.filter(hasPosition);
  for (const r of located) {
    const key = `${Math.floor(r.latitude / cell)}:${Math.floor(r.longitude / cell)}`;
    grid.set(key, [...(grid.get(key) ?? []), r]);
  }
  for (const r of located) {
    const la = Math.floor(r.latitude / cell);
    const lo = Math.floor(r.longitude / cell);
    for (let dl = -1; dl <= 1; dl++) for (let dn = -1; dn <= 1; dn++) {
      for (const other of grid.get(`${la + dl}:${lo + dn}`) ?? []) {
        if (other.code_insee !== r.code_insee && distanceKm(r, other) * 1000 <= candidateRadiusM) add(r, other);
      }
    }
  }
  return pairs;
}

/** Scores every candidate pair and keeps those worth merging or reviewing. */
export function findDuplicates(records: DedupRecord[]): PairScore[] {
  return candidatePairs(records)
    .map(([a, b]) => scorePair(a, b))
    .filter((p) => p.decision !== 'distinct')
    .sort((x, y) => y.score - x.score);
}
