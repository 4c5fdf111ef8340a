import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadQpvFiles } from '../qpv/qpv.use-cases.ts';
import { importBroadband } from './broadband.use-cases.ts';
import { insertPlaces } from './observatory.test-helpers.ts';

const dataDir = path.resolve('../shared/data');
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await loadQpvFiles(t.deps.db, [path.join(dataDir, 'qpv/qpv-2015-rennes.geojson')]);
  await importBroadband(t.deps.db, path.join(dataDir, 'haut-debit'));
  await insertPlaces(t.deps.db, [
    { latitude: 48.0874, longitude: -1.6647, code_insee: '35238', services: ['Aide aux démarches administratives'], horaires: 'Mo-Fr 09:00-12:00,14:00-17:00' },
    { latitude: 48.1114, longitude: -1.6797, code_insee: '35238' },
  ]);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/territoires/{type}/{code}/indicateurs', () => {
  it('gives a commune its indicators, broadband and fragility figures with vintages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/commune/35238/indicateurs' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ type: 'commune', code: '35238', nom: 'Rennes', nombre_lieux: 2 });
    expect(body.services['Aide aux démarches administratives']).toBe(1);
    expect(body.horaires).toEqual({ lieux_avec_horaires: 1, heures_ouverture_hebdo: 30, heures_moyennes_par_lieu: 30 });
    expect(body.distance.distance_lieu_le_plus_proche_km).toBeLessThan(2);
    expect(body.haut_debit).toMatchObject({ locaux_raccordables: 79976, millesime: 'Arcep T1 2018' });
    expect(body.fragilite_numerique.millesime).toBe('IFN ANCT 2023');
    expect(body.sources).toContain('Arcep T1 2018');
  }, 120_000);

  it('serves France, a QPV and a commune with no place', async () => {
    const france = (await t.app.inject({ url: '/api/v1/territoires/france/fr/indicateurs' })).json();
    expect(france).toMatchObject({ code: 'FR', nombre_lieux: 2 });
    expect(france.qpv).toMatchObject({ nombre: 6, sans_lieu_500_m: 5 });
    const blosne = (await t.app.inject({ url: '/api/v1/territoires/qpv/QP035005/indicateurs' })).json();
    expect(blosne).toMatchObject({ type: 'qpv', nom: 'Le Blosne', nombre_lieux: 1, population: 11550 });
    const saintMalo = (await t.app.inject({ url: '/api/v1/territoires/commune/35288/indicateurs' })).json();
    expect(saintMalo.nombre_lieux).toBe(0);
    expect(saintMalo.lieux_pour_10000_habitants).toBe(0);
  }, 120_000);

  it('answers 404 and 400 in French problem+json', async () => {
    const missing = await t.app.inject({ url: '/api/v1/territoires/epci/999999999/indicateurs' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(missing.json())).toContain('Aucun territoire « 999999999 » trouvé');
    const bad = await t.app.inject({ url: '/api/v1/territoires/canton/123/indicateurs' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});

describe('GET /api/v1/qpv', () => {
  it('lists QPVs with their coverage and filters them', async () => {
    const all = (await t.app.inject({ url: '/api/v1/qpv' })).json();
    expect(all).toHaveLength(6);
    const uncovered = (await t.app.inject({ url: '/api/v1/qpv?couvert=false' })).json() as { code: string }[];
    expect(uncovered.map((q) => q.code).sort()).toEqual(['QP035001', 'QP035002', 'QP035003', 'QP035004', 'QP035006']);
    const blosne = all.find((q: { code: string }) => q.code === 'QP035005');
    expect(blosne).toMatchObject({ departement: '35', commune: '35238', lieux_dans: 1, couvert: true, distance_lieu_le_plus_proche_m: 0 });
    expect((await t.app.inject({ url: '/api/v1/qpv?departement=31' })).json()).toEqual([]);
    expect((await t.app.inject({ url: '/api/v1/qpv?departement=abc' })).statusCode).toBe(400);
  });
});

describe('GET /api/v1/observatoire/double-fracture', () => {
  it('exports the list as CSV', async () => {
    const res = await t.app.inject({ url: '/api/v1/observatoire/double-fracture?format=csv&limit=5&tri=population' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^type,code,nom,population,taux_ftth/);
    const json = (await t.app.inject({ url: '/api/v1/observatoire/double-fracture?limit=3&tri=taux_ftth&ordre=asc' })).json();
    expect(json).toHaveLength(3);
    expect(json[0].taux_ftth).toBeLessThanOrEqual(json[2].taux_ftth);
    expect((await t.app.inject({ url: '/api/v1/observatoire/double-fracture?seuil_taux_ftth=2' })).statusCode).toBe(400);
  }, 120_000);
});
