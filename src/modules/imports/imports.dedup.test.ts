import { describe, expect, it } from 'vitest';
import { candidatePairs, findDuplicates, isRealPivot, nameSimilarity, scorePair, type DedupRecord } from './imports.dedup.ts';

let n = 0;
const place = (overrides: Partial<DedupRecord>): DedupRecord => ({
  id: `p${++n}`,
  nom: 'Médiathèque Jean-Jaurès',
  adresse: '12 rue du Commandant Rivière',
  code_insee: '58194',
  latitude: 46.9896,
  longitude: 3.159,
  pivot: '21580194700019',
  telephone: '+33386683500',
  courriels: ['mediatheque@ville-nevers.fr'],
  ...overrides,
});

describe('normalised names', () => {
  it.each([
    ['Médiathèque Jean-Jaurès', 'MEDIATHEQUE JEAN JAURES', 1],
    ['Espace Public Numérique de Planoise', 'EPN Planoise', 1],
    ['Mairie de Saint-Fons - Espace numérique', 'St Fons numérique', 1],
  ])('%j ≈ %j', (a, b, expected) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(expected, 2);
  });

  it('tells different names apart', () => {
    expect(nameSimilarity('Espace numérique de la mairie', 'Médiathèque municipale')).toBeLessThan(0.3);
  });
});

describe('placeholder pivots', () => {
  it.each([
    ['00000000000000', false],
    ['11111111111111', false],
    ['', false],
    [null, false],
    ['21580194700019', true],
    ['W751234567', true],
  ])('%j real: %j', (pivot, real) => {
    expect(isRealPivot(pivot)).toBe(real);
  });
});

describe('scorePair', () => {
  it('merges the same place spelled differently by two sources', () => {
    const a = place({ pivot: '00000000000000' });
    const b = place({ nom: 'MEDIATHEQUE J. JAURES', adresse: '12 r. du Cdt Rivière', latitude: 46.98965, longitude: 3.15905, telephone: '03 86 68 35 00', courriels: ['Mediatheque@ville-nevers.fr'] });
    const result = scorePair(a, b);
    expect(result.decision).toBe('merge');
    expect(result.score).toBeGreaterThanOrEqual(85);
    expect(result.signals).toMatchObject({ pivot: 'unknown', phone: true, email: true });
  });

  it('keeps two different places in one building apart (at most a review)', () => {
    const mairie = place({ nom: 'Espace numérique de la mairie', pivot: '21580194700019' });
    const mediatheque = place({ nom: 'Médiathèque municipale', pivot: '21580194700019', telephone: null, courriels: [] });
    const result = scorePair(mairie, mediatheque);
    expect(result.decision).not.toBe('merge');
  });

  it('keeps branches of one SIRET apart when they are in different buildings', () => {
    const a = place({ nom: 'Emmaüs Connect', pivot: '77567227238637', adresse: '34 rue de l’Épeule', latitude: 50.6886, longitude: 3.1658, code_insee: '59512', telephone: null, courriels: [] });
    const b = place({ nom: 'Emmaüs Connect', pivot: '77567227238637', adresse: '5 place de la Liberté', latitude: 50.6920, longitude: 3.1780, code_insee: '59512', telephone: null, courriels: [] });
    expect(scorePair(a, b).decision).toBe('distinct');
  });

  it.each([
    ['200 m apart', { latitude: 50.6886, longitude: 3.1658 }, { latitude: 50.6904, longitude: 3.1662 }],
    ['without positions', { latitude: null, longitude: null }, { latitude: null, longitude: null }],
  ])('keeps branches of one SIRET in one commune for review at most (%s)', (_case, here, there) => {
    const branch = { nom: 'Emmaüs Connect', pivot: '77567227238637', code_insee: '59512', telephone: '+33180060606', courriels: ['contact@emmaus-connect.org'] };
    const a = place({ ...branch, adresse: '34 rue de l’Épeule', ...here });
    const b = place({ ...branch, adresse: '5 place de la Liberté', ...there });
    const result = scorePair(a, b);
    expect(result.signals.pivot).toBe('same');
    expect(result.decision).not.toBe('merge');
  });

  it('never merges two different real SIRETs automatically', () => {
    const a = place({ pivot: '21580194700019' });
    const b = place({ pivot: '44306184100047' });
    const result = scorePair(a, b);
    expect(result.score).toBeGreaterThanOrEqual(85);
    expect(result.decision).toBe('review');
    expect(result.reason).toBe('Deux SIRET différents : jamais fusionnés automatiquement.');
  });

  it('does not count a placeholder pivot as a disagreement', () => {
    const a = place({ pivot: '00000000000000' });
    const b = place({ pivot: '21580194700019' });
    expect(scorePair(a, b)).toMatchObject({ decision: 'merge', signals: { pivot: 'unknown' } });
  });
});

describe('candidatePairs', () => {
  it('pairs places of one commune and neighbours within 100 m across a commune boundary, not farther', () => {
    const a = place({ code_insee: '69259', latitude: 45.7040, longitude: 4.8826 });
    const sameCommune = place({ code_insee: '69259', latitude: 45.72, longitude: 4.9 });
    const across = place({ code_insee: '69199', latitude: 45.7046, longitude: 4.8830 }); // ≈ 70 m
    const far = place({ code_insee: '69199', latitude: 45.7060, longitude: 4.8840 }); // ≈ 250 m
    const ids = candidatePairs([a, sameCommune, across, far]).map(([x, y]) => `${x.id}-${y.id}`).sort();
    expect(ids).toEqual([`${a.id}-${across.id}`, `${a.id}-${sameCommune.id}`, `${across.id}-${far.id}`].sort());
  });

  it('findDuplicates returns merge and review pairs, best first', () => {
    const a = place({ pivot: '00000000000000' });
    const b = place({ nom: 'Mediatheque Jean Jaures' });
    const c = place({ nom: 'Conseiller numérique CCAS', adresse: '8 place Carnot', latitude: 46.99, longitude: 3.17, telephone: null, courriels: [] });
    const found = findDuplicates([a, b, c]);
    expect(found.map((p) => [p.a, p.b, p.decision])).toEqual([[a.id, b.id, 'merge']]);
  });
});

describe('the candidate index scores exactly the pairs a brute-force scan finds', () => {
  // Places crowded into two communes (many far-apart pairs, some at about 300 m, shared
  // addresses and names spelled differently), plus a commune boundary within 100 m.
  const streets = ['rue des Écoles', 'Rue des Ecoles', 'avenue Jean Jaurès', 'av. Jean-Jaures', 'place de la Mairie', 'chemin du Moulin'];
  const names = ['Médiathèque Jean-Jaurès', 'MEDIATHEQUE JEAN JAURES', 'Espace Public Numérique', 'EPN', 'Mairie de Saint-Fons', 'Centre social Les Tilleuls', 'France Services'];
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const records: DedupRecord[] = Array.from({ length: 600 }, (_, i) => ({
    id: `r${String(i).padStart(3, '0')}`,
    nom: pick(names),
    adresse: random() < 0.1 ? pick(streets) : `${1 + Math.floor(random() * 6)} ${pick(streets)}`,
    code_insee: random() < 0.5 ? '69199' : random() < 0.9 ? '69123' : random() < 0.7 ? '69034' : null,
    // Within ~800 m of one point: distances on both sides of 300 m and of 100 m.
    latitude: random() < 0.1 ? null : 45.7 + (random() - 0.5) * 0.014,
    longitude: 4.85 + (random() - 0.5) * 0.02,
    position_approximate: random() < 0.05,
    pivot: pick([null, '00000000000000', '21690199900016', '21690199900024']),
    telephone: pick([null, '04 78 00 00 01', '+33478000002']),
    courriels: random() < 0.5 ? [] : [pick(['a@b.fr', 'c@d.fr'])],
  }));

  it('same pairs, same scores, from the incoming side only (as an import queries it)', async () => {
    const { DedupIndex } = await import('./imports.dedup-index.ts');
    const existing = records.filter((_, i) => i % 2 === 0);
    const incoming = records.filter((_, i) => i % 2 === 1);
    const index = new DedupIndex(existing);
    const viaIndex = new Map<string, number>();
    for (const r of incoming) for (const p of index.scoreAgainst(r)) viaIndex.set(`${p.a}|${p.b}`, p.score);
    const across = (p: { a: string; b: string }) => incoming.some((r) => r.id === p.a) !== incoming.some((r) => r.id === p.b);
    const bruteForce = new Map(findDuplicates(records).filter(across).map((p) => [`${p.a}|${p.b}`, p.score]));
    expect(bruteForce.size).toBeGreaterThan(50);
    expect(Object.fromEntries(viaIndex)).toEqual(Object.fromEntries(bruteForce));
  });

  it('same decisions, signals and reasons as scorePair (the index skips building distinct pairs)', async () => {
    const { DedupIndex } = await import('./imports.dedup-index.ts');
    const existing = records.filter((_, i) => i % 3 === 0);
    const incoming = records.filter((_, i) => i % 3 !== 0);
    const index = new DedupIndex(existing);
    const key = (p: { a: string; b: string }) => `${p.a}|${p.b}`;
    const viaIndex = incoming.flatMap((r) => index.scoreAgainst(r)).sort((x, y) => key(x).localeCompare(key(y)));
    const isIncoming = new Set(incoming.map((r) => r.id));
    const bruteForce = findDuplicates(records)
      .filter((p) => isIncoming.has(p.a) !== isIncoming.has(p.b))
      .sort((x, y) => key(x).localeCompare(key(y)));
    expect(new Set(bruteForce.map((p) => p.decision))).toEqual(new Set(['merge', 'review']));
    expect(viaIndex).toEqual(bruteForce);
  });
});
