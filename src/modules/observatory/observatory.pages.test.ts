import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadQpvFiles } from '../qpv/qpv.use-cases.ts';
import { insertPlaces } from './observatory.test-helpers.ts';

const dataDir = path.resolve('../shared/data');
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await loadQpvFiles(t.deps.db, [path.join(dataDir, 'qpv/qpv-2015-rennes.geojson')]);
  await insertPlaces(t.deps.db, [{ latitude: 48.0874, longitude: -1.6647, code_insee: '35238', services: ['Aide aux démarches administratives'] }]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('observatory pages', () => {
  it('shows France with its régions, and a commune with its figures and uncovered QPVs', async () => {
    const france = await t.app.inject({ url: '/observatoire' });
    expect(france.statusCode).toBe(200);
    expect(france.headers['content-type']).toContain('text/html');
    expect(france.body).toContain('Couverture par région');
    expect(france.body).toContain('href="/observatoire/region/53"');
    const rennes = await t.app.inject({ url: '/observatoire/commune/35238' });
    expect(rennes.statusCode).toBe(200);
    expect(rennes.body).toContain('<h1>Rennes</h1>');
    expect(rennes.body).toContain('Aide aux démarches administratives');
    expect(rennes.body).toContain('href="/observatoire/qpv/QP035004"'); // Maurepas: no place within 500 m
    expect(rennes.body).not.toContain('href="/observatoire/qpv/QP035005"'); // Le Blosne has one
    const epci = await t.app.inject({ url: '/observatoire/epci/243500139' });
    expect(epci.body).toContain('Couverture par commune');
  }, 120_000);

  it('has a methodology page, and French 404s', async () => {
    const method = await t.app.inject({ url: '/observatoire/methodologie' });
    expect(method.statusCode).toBe(200);
    expect(method.body).toContain('Méthode, sources et limites');
    const unknownType = await t.app.inject({ url: '/observatoire/canton/1' });
    expect(unknownType.statusCode).toBe(404);
    expect(unknownType.body).toContain('Aucun type de territoire');
    const unknownCode = await t.app.inject({ url: '/observatoire/commune/99999' });
    expect(unknownCode.statusCode).toBe(404);
  });
});
