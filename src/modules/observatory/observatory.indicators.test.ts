import { describe, expect, it } from 'vitest';
import { QpvIndex, type QpvShape } from '../qpv/qpv.geometry.ts';
import type { CommuneFrame, FrameCommune } from './commune-frame.ts';
import { computeIndicators, type PlaceForIndicators } from './observatory.indicators.ts';

// A small territory checked by hand: département 31 in région 76, EPCI E1 = {A, B, C}; D has no EPCI.
const communes: FrameCommune[] = [
  { code: '31001', nom: 'A', population: 10_000, codeEpci: 'E1', codeDepartement: '31', codeRegion: '76', centre: [1.0, 43.0] },
  { code: '31002', nom: 'B', population: 5_000, codeEpci: 'E1', codeDepartement: '31', codeRegion: '76', centre: [1.0, 43.1] },
  { code: '31003', nom: 'C', population: 1_000, codeEpci: 'E1', codeDepartement: '31', codeRegion: '76', centre: [1.0, 43.3] },
  { code: '31004', nom: 'D', population: 4_000, codeEpci: null, codeDepartement: '31', codeRegion: '76', centre: [1.1, 43.0] },
];
const frame: CommuneFrame = {
  communes,
  byCode: new Map(communes.map((c) => [c.code, c])),
  parentOf: new Map([['31101', '31001']]),
  epcis: new Map([['E1', { code: 'E1', nom: 'CC Test' }]]),
  departements: new Map([['31', { code: '31', nom: 'Haute-Garonne', region: '76' }]]),
  regions: new Map([['76', { code: '76', nom: 'Occitanie' }]]),
  degradations: [],
};

function square(code: string, commune: string, lon: number, lat: number, size: number): QpvShape {
  const ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]];
  return { code, nom: code, commune, liste: '2015', population: 2_000, bbox: [lon, lat, lon + size, lat + size], geometry: { type: 'Polygon', coordinates: [ring] } };
}
// QP031001 covers A's centre (P1 on its corner, P2 inside); QP031002, near D, has no place nearby.
const qpvIndex = new QpvIndex([square('QP031001', '31001', 1.0, 43.0, 0.001), square('QP031002', '31004', 1.05, 43.05, 0.001)]);

const AIDE = 'Aide aux démarches administratives';
const ACCES = 'Accès internet et matériel informatique';
const LOISIRS = 'Loisirs et créations numériques';
function place(id: string, code_insee: string, lonLat: [number, number] | null, services: string[], horaires: string | null): PlaceForIndicators {
  return { id, code_insee, latitude: lonLat?.[1] ?? null, longitude: lonLat?.[0] ?? null, code_epci: null, code_departement: '31', code_region: '76', services, horaires };
}
const places = [
  place('p1', '31001', [1.0, 43.0], [AIDE, ACCES], 'Mo-Fr 09:00-12:00'), // 15 h a week
  place('p2', '31101', [1.0, 43.0005], [AIDE], '24/7'), // an arrondissement-like code of A; 168 h
  place('p3', '31002', [1.0, 43.1], [], 'pas des horaires'), // invalid hours: not counted
  place('p4', '31003', null, [LOISIRS], null), // no position: counted, but no distance
];
const table = computeIndicators({ frame, places, qpvIndex });
const kmPerDegree = (6371 * Math.PI) / 180; // great-circle km per degree of latitude

describe('coverage indicators on a small territory (figures checked by hand)', () => {
  it('counts places and places per 10,000 inhabitants at every level', () => {
    const commune = (code: string) => table.get('commune', code)!;
    expect([commune('31001').nombre_lieux, commune('31002').nombre_lieux, commune('31003').nombre_lieux, commune('31004').nombre_lieux]).toEqual([2, 1, 1, 0]);
    expect(commune('31001').lieux_pour_10000_habitants).toBe(2); // 2 / 10 000
    expect(commune('31003').lieux_pour_10000_habitants).toBe(10); // 1 / 1 000
    expect(commune('31004').lieux_pour_10000_habitants).toBe(0);
    const epci = table.get('epci', 'E1')!;
    expect([epci.nombre_lieux, epci.population, epci.lieux_pour_10000_habitants]).toEqual([4, 16_000, 2.5]);
    const dep = table.get('departement', '31')!;
    expect([dep.nombre_lieux, dep.population, dep.lieux_pour_10000_habitants]).toEqual([4, 20_000, 2]);
    expect(table.get('region', '76')!.nombre_lieux).toBe(4);
    expect(table.get('france', 'FR')!.nombre_lieux).toBe(4);
  });

  it('counts services offered and hours open per week across places', () => {
    const epci = table.get('epci', 'E1')!;
    expect(epci.services[AIDE]).toBe(2);
    expect(epci.services[ACCES]).toBe(1);
    expect(epci.services[LOISIRS]).toBe(1);
    expect(epci.services['Compréhension du monde numérique']).toBe(0);
    expect(Object.keys(epci.services)).toHaveLength(9);
    expect(epci.horaires).toEqual({ lieux_avec_horaires: 2, heures_ouverture_hebdo: 183, heures_moyennes_par_lieu: 91.5 });
  });

  it('measures distances from commune centres and the population far from any place', () => {
    const commune = (code: string) => table.get('commune', code)!.distance.distance_lieu_le_plus_proche_km;
    expect(commune('31001')).toBe(0);
    expect(commune('31002')).toBe(0);
    expect(commune('31003')!).toBeCloseTo(0.2 * kmPerDegree, 1); // C → p3: 0.2° of latitude ≈ 22.24 km
    const dLon = 0.1 * kmPerDegree * Math.cos((43 * Math.PI) / 180); // D → p1 ≈ 8.13 km
    expect(commune('31004')!).toBeCloseTo(dLon, 1);
    const dep = table.get('departement', '31')!.distance;
    expect(dep.communes).toBe(4);
    expect(dep.distance_moyenne_km!).toBeCloseTo((1_000 * 0.2 * kmPerDegree + 4_000 * dLon) / 20_000, 1);
    expect(dep.distance_max_km!).toBeCloseTo(0.2 * kmPerDegree, 1);
    expect(dep.part_population_plus_5_km).toBe(0.25); // C and D: 5 000 / 20 000
    expect(dep.part_population_plus_10_km).toBe(0.05); // C only
    expect(dep.part_population_plus_20_km).toBe(0.05);
    const epci = table.get('epci', 'E1')!.distance;
    expect(epci.part_population_plus_5_km).toBe(0.0625); // C: 1 000 / 16 000
  });

  it('a commune with no place: zero places, and its distance to the nearest one elsewhere', () => {
    const d = table.get('commune', '31004')!;
    expect(d.nombre_lieux).toBe(0);
    expect(d.services[AIDE]).toBe(0);
    expect(d.horaires.heures_moyennes_par_lieu).toBeNull();
    expect(d.distance.part_population_plus_5_km).toBe(1);
    expect(d.distance.part_population_plus_20_km).toBe(0);
  });

  it('finds QPVs with no place inside or within 500 m', () => {
    const covered = table.qpv.find((q) => q.code === 'QP031001')!;
    expect(covered).toMatchObject({ lieux_dans: 2, lieux_500_m: 2, distance_lieu_le_plus_proche_m: 0, couvert: true });
    const uncovered = table.qpv.find((q) => q.code === 'QP031002')!;
    expect(uncovered).toMatchObject({ lieux_dans: 0, lieux_500_m: 0, distance_lieu_le_plus_proche_m: null, couvert: false });
    const dep = table.get('departement', '31')!.qpv;
    expect(dep).toEqual({ nombre: 2, sans_lieu_500_m: 1, codes_sans_lieu_500_m: ['QP031002'] });
    expect(table.get('epci', 'E1')!.qpv).toEqual({ nombre: 1, sans_lieu_500_m: 0, codes_sans_lieu_500_m: [] });
    const qpv = table.get('qpv', 'QP031001')!;
    expect([qpv.nombre_lieux, qpv.population, qpv.lieux_pour_10000_habitants]).toEqual([2, 2_000, 10]);
  });

  it('with an empty registry, everyone is beyond 20 km and distances are unknown', () => {
    const empty = computeIndicators({ frame, places: [], qpvIndex });
    const dep = empty.get('departement', '31')!;
    expect(dep.nombre_lieux).toBe(0);
    expect(dep.distance.distance_moyenne_km).toBeNull();
    expect(dep.distance.part_population_plus_20_km).toBe(1);
    expect(empty.get('commune', '31001')!.distance.distance_lieu_le_plus_proche_km).toBeNull();
    expect(empty.qpv.every((q) => !q.couvert)).toBe(true);
  });
});
