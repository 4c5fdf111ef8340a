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
/** Beyond this distance two places with unlike addresses are different buildings. */
export const farApartM = 300;

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

/** The same bigrams as `bigrams`, as sorted numeric codes (a multiset): compared without allocating. */
export function bigramCodes(text: string): Uint32Array {
  const t = ` ${text} `;
  const codes = new Uint32Array(t.length - 1);
  for (let i = 0; i < t.length - 1; i++) codes[i] = t.charCodeAt(i) * 65_536 + t.charCodeAt(i + 1);
  return codes.sort();
}

/** `dice` on two bigramCodes multisets (a merge of two sorted arrays). */
function diceOf(x: Uint32Array, y: Uint32Array, bothEmpty: boolean): number {
  return diceOfRange(x, y, 0, y.length, bothEmpty);
}

/** `diceOf` with `y` the codes y[from..to) (a slice of a packed array, without copying it). */
export function diceOfRange(x: Uint32Array, y: Uint32Array, from: number, to: number, bothEmpty: boolean): number {
  if (bothEmpty) return 1;
  let common = 0;
  let i = 0;
  let j = from;
  const xLength = x.length;
  while (i < xLength && j < to) {
    const xi = x[i]!;
    const yj = y[j]!;
    if (xi === yj) {
      common++;
      i++;
      j++;
    } else if (xi < yj) i++;
    else j++;
  }
  const total = xLength + (to - from);
  return total === 0 ? 0 : (2 * common) / total;
}

export function nameSimilarity(a: string, b: string): number {
  return nameSimilarityOf(nameFeatures(a), nameFeatures(b));
}

interface NameFeatures {
  words: Set<string>;
  bigrams: Uint32Array;
}

function nameFeatures(nom: string): NameFeatures {
  const tokens = nameTokens(nom);
  return { words: new Set(tokens), bigrams: bigramCodes([...tokens].sort().join(' ')) };
}

function nameSimilarityOf(a: NameFeatures, b: NameFeatures): number {
  let inter = 0;
  for (const w of a.words) if (b.words.has(w)) inter++;
  const union = a.words.size + b.words.size - inter;
  const jaccard = union === 0 ? 1 : inter / union;
  return Math.max(jaccard, diceOf(a.bigrams, b.bigrams, a.words.size === 0 && b.words.size === 0));
}

export function addressParts(adresse: string): { number: string | null; street: string } {
  const words = normalizeText(adresse).split(' ').map((w) => abbreviations[w] ?? w);
  const number = /^\d+[a-z]?$/.test(words[0] ?? '') ? words.shift()! : null;
  const rest = words.filter((w) => !['bis', 'ter'].includes(w));
  return { number, street: rest.join(' ') };
}

export interface AddressFeatures {
  number: string | null;
  street: string;
  bigrams: Uint32Array;
}

function addressFeatures(adresse: string): AddressFeatures {
  const parts = addressParts(adresse);
  return { ...parts, bigrams: bigramCodes(parts.street) };
}

function addressSimilarityOf(x: AddressFeatures, y: AddressFeatures): number {
  if (x.number && y.number && x.number !== y.number) return 0;
  return diceOf(x.bigrams, y.bigrams, x.street === '' && y.street === '');
}

export function addressSimilarity(a: string, b: string): number {
  return addressSimilarityOf(addressFeatures(a), addressFeatures(b));
}

function phoneKey(phone: string | null): string | null {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 9 ? digits.slice(-9) : null;
}

function hasPosition(r: DedupRecord): r is DedupRecord & { latitude: number; longitude: number } {
  return r.latitude !== null && r.longitude !== null && !r.position_approximate;
}

/**
 * What scoring reads of a record, computed once per record rather than once per pair
 * (normalising and cutting names and addresses into bigrams is most of a pair's cost).
 */
export interface DedupFeatures {
  record: DedupRecord;
  name: NameFeatures;
  address: AddressFeatures;
  located: boolean;
  /** cos(latitude), for flat distances in differentBuildings. */
  cosLatitude: number;
  pivot: string | null;
  phone: string | null;
  emails: string[];
}

export function dedupFeatures(record: DedupRecord): DedupFeatures {
  return new LazyFeatures(record);
}

/** The features of `record` with its address features already known (as the index interns them). */
export function featuresWithAddress(record: DedupRecord, address: AddressFeatures): DedupFeatures {
  const features = new LazyFeatures(record);
  features.knownAddress = address;
  return features;
}

/**
 * DedupFeatures computed field by field on first use: most pairs are settled on positions
 * and addresses alone, and the names, pivots, phones and e-mails of most places are never read.
 */
class LazyFeatures implements DedupFeatures {
  readonly located: boolean;
  readonly cosLatitude: number;
  knownAddress: AddressFeatures | undefined = undefined;
  private knownName: NameFeatures | undefined = undefined;
  private knownPivot: string | null | undefined = undefined;
  private knownPhone: string | null | undefined = undefined;
  private knownEmails: string[] | undefined = undefined;

  constructor(readonly record: DedupRecord) {
    this.located = hasPosition(record);
    this.cosLatitude = Math.cos(((record.latitude ?? 0) * Math.PI) / 180);
  }

  get name(): NameFeatures {
    return (this.knownName ??= nameFeatures(this.record.nom));
  }

  get address(): AddressFeatures {
    return (this.knownAddress ??= addressFeatures(this.record.adresse));
  }

  get pivot(): string | null {
    if (this.knownPivot === undefined) this.knownPivot = isRealPivot(this.record.pivot) ? this.record.pivot : null;
    return this.knownPivot;
  }

  get phone(): string | null {
    if (this.knownPhone === undefined) this.knownPhone = phoneKey(this.record.telephone);
    return this.knownPhone;
  }

  get emails(): string[] {
    return (this.knownEmails ??= this.record.courriels.map((e) => e.toLowerCase()));
  }
}

/** Metres between two located records (null when either position says nothing about the building). */
export function distanceM(a: DedupFeatures, b: DedupFeatures): number | null {
  return a.located && b.located ? distanceKm(a.record as { latitude: number; longitude: number }, b.record as { latitude: number; longitude: number }) * 1000 : null;
}

// Metres per degree of latitude; a degree of longitude is this times cos(latitude).
const metresPerDegree = 111_320;

/**
 * True when scoreFeatures would call the pair distinct by its "different buildings" rule
 * alone (far apart, unlike addresses): a cheap test that spares scoring most pairs of a big
 * town. Distances are first compared on a flat approximation, with a 2 % margin so that it
 * never disagrees with the exact distance the score uses.
 */
export function differentBuildings(a: DedupFeatures, b: DedupFeatures): boolean {
  if (!a.located || !b.located) return false;
  const dy = (a.record.latitude! - b.record.latitude!) * metresPerDegree;
  const dx = (a.record.longitude! - b.record.longitude!) * metresPerDegree * a.cosLatitude;
  const flat = dx * dx + dy * dy;
  if (flat <= (farApartM * 0.98) ** 2) return false;
  if (addressSimilarityOf(a.address, b.address) >= 0.8) return false;
  return flat > (farApartM * 1.02) ** 2 || distanceM(a, b)! > farApartM;
}

export function scorePair(a: DedupRecord, b: DedupRecord): PairScore {
  return scoreFeatures(dedupFeatures(a), dedupFeatures(b));
}

export function scoreFeatures(fa: DedupFeatures, fb: DedupFeatures): PairScore {
  return scoreOf(fa, fb, false)!;
}

/** scoreFeatures, or null when the pair is "distinct" (nothing is built for the many pairs that are). */
export function scoreUnlessDistinct(fa: DedupFeatures, fb: DedupFeatures): PairScore | null {
  return scoreOf(fa, fb, true);
}

function scoreOf(fa: DedupFeatures, fb: DedupFeatures, nullIfDistinct: boolean): PairScore | null {
  const a = fa.record;
  const b = fb.record;
  const address = addressSimilarityOf(fa.address, fb.address);
  const metres = distanceM(fa, fb);
  const pivot = fa.pivot !== null && fb.pivot !== null
    ? fa.pivot === fb.pivot ? 'same' : fa.pivot.slice(0, 9) === fb.pivot.slice(0, 9) ? 'same_siren' : 'different'
    : 'unknown';
  const phone = fa.phone && fb.phone ? fa.phone === fb.phone : null;
  const email = fa.emails.length && fb.emails.length ? sharesEmail(fa.emails, fb.emails) : null;
  const weight = weights.name + weights.address + (metres !== null ? weights.distance : 0) + (pivot === 'same' || pivot === 'different' ? weights.pivot : 0) +
    (phone !== null ? weights.phone : 0) + (email !== null ? weights.email : 0);
  if (nullIfDistinct) {
    // Distinct whatever the names: far apart with unlike addresses, or below the review
    // threshold even with equal names (the score only grows with the name similarity).
    if (metres !== null && metres > farApartM && address < 0.8) return null;
    if (Math.round((100 * weightedSum(1, address, metres, pivot, phone, email)) / weight) < reviewThreshold) return null;
  }
  const name = nameSimilarityOf(fa.name, fb.name);
  const score = Math.round((100 * weightedSum(name, address, metres, pivot, phone, email)) / weight);

  let decision: DedupDecision = score >= mergeThreshold ? 'merge' : score >= reviewThreshold ? 'review' : 'distinct';
  let reason: string | undefined;
  // Different buildings: two branches of one organisation, never the same place.
  if (metres !== null && metres > farApartM && address < 0.8) decision = 'distinct';
  if (nullIfDistinct && decision === 'distinct') return null;
  const signals = { name: round(name), address: round(address), distance_m: metres === null ? null : Math.round(metres), pivot, phone, email } as const;
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

/** The weighted sum of the signals both records carry (the score is this over their weights). */
function weightedSum(name: number, address: number, metres: number | null, pivot: PairScore['signals']['pivot'], phone: boolean | null, email: boolean | null): number {
  let sum = weights.name * name + weights.address * address;
  if (metres !== null) sum += weights.distance * (metres <= 30 ? 1 : metres <= 100 ? 0.7 : metres <= 300 ? 0.3 : 0);
  if (pivot === 'same' || pivot === 'different') sum += weights.pivot * (pivot === 'same' ? 1 : 0);
  if (phone !== null) sum += weights.phone * (phone ? 1 : 0);
  if (email !== null) sum += weights.email * (email ? 1 : 0);
  return sum;
}

function sharesEmail(x: readonly string[], y: readonly string[]): boolean {
  for (const e of y) if (x.includes(e)) return true;
  return false;
}

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
