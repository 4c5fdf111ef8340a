// HTTP tests of the search API: results shape, filters, pagination, and French problem+json
// errors naming each bad parameter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { fixedClock } from '../../lib/clock.ts';
import { insertLieux } from '../../../test/builders/lieu.ts';
import type { LieuRow } from '../../db/database.ts';

let t: TestApp;
let rows: LieuRow[];

beforeAll(async () => {
  // A Thursday at 10:00 in Paris.
  t = await buildTestApp({ clock: fixedClock('2025-06-12T10:00:00+02:00') });
  rows = await insertLieux(t.deps.db, [
    { nom: 'Médiathèque Jean Jaurès', commune: 'Lyon', latitude: 45.7578, longitude: 4.832, services: ['Aide aux démarches administratives'], frais_a_charge: ['Gratuit'] },
    { nom: 'Cyber-base de la Gare', commune: 'Villeurbanne', code_insee: '69266', latitude: 45.7719, longitude: 4.8902, services: ['Loisirs et créations numériques'], frais_a_charge: ['Payant'], horaires: 'Sa 09:00-12:00' },
    { nom: 'Espace numérique Saint-Étienne', commune: 'Saint-Étienne', code_insee: '42218', code_epci: '244200770', code_departement: '42', latitude: 45.4397, longitude: 4.3872, services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'], frais_a_charge: ['Payant'] },
    { nom: 'Bibliothèque sans position', commune: 'Lyon', latitude: null, longitude: null, services: ['Accès internet et matériel informatique'] },
    { nom: 'Ancien lieu fermé', commune: 'Lyon', status: 'unpublished' },
  ]);
  await t.deps.search.refresh({ full: true });
});

afterAll(async () => {
  await t.close();
});

async function get(url: string) {
  const response = await t.app.inject({ method: 'GET', url });
  return { status: response.statusCode, type: response.headers['content-type'], body: response.json() };
}

const noms = (body: { items: { nom: string }[] }) => body.items.map((item) => item.nom);

describe('GET /api/v1/lieux', () => {
  it('lists published places by name with standard fields and a total', async () => {
    const { status, body } = await get('/api/v1/lieux');
    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(noms(body)).toEqual(['Bibliothèque sans position', 'Cyber-base de la Gare', 'Espace numérique Saint-Étienne', 'Médiathèque Jean Jaurès']);
    const item = body.items.find((i: { id: string }) => i.id === rows[0]!.id);
    expect(item).toMatchObject({ nom: 'Médiathèque Jean Jaurès', code_postal: '69001', services: ['Aide aux démarches administratives'], latitude: 45.7578 });
    expect(item).not.toHaveProperty('search_tokens');
    expect(item).not.toHaveProperty('distance');
    expect(body.next_cursor).toBeNull();
  });

  it('sorts by distance around a point, gives distances in metres and honours the radius', async () => {
    const { body } = await get('/api/v1/lieux?lat=45.7640&lon=4.8357');
    expect(noms(body)).toEqual(['Médiathèque Jean Jaurès', 'Cyber-base de la Gare', 'Espace numérique Saint-Étienne']);
    expect(body.items[0].distance).toBeGreaterThan(500);
    expect(body.items[0].distance).toBeLessThan(1000);
    expect(body.items[2].distance).toBeGreaterThan(45_000);
    const near = await get('/api/v1/lieux?lat=45.7640&lon=4.8357&rayon=10');
    expect(near.body.total).toBe(2);
    expect(noms(near.body)).toEqual(['Médiathèque Jean Jaurès', 'Cyber-base de la Gare']);
  });

  it('filters by text with accents and one typo, by territory and by enumerated fields', async () => {
    expect(noms((await get('/api/v1/lieux?q=MEDIATHEQE')).body)).toEqual(['Médiathèque Jean Jaurès']);
    expect(noms((await get('/api/v1/lieux?q=etienne%20numer')).body)).toEqual(['Espace numérique Saint-Étienne']);
    expect((await get('/api/v1/lieux?departement=42')).body.total).toBe(1);
    expect((await get('/api/v1/lieux?commune=69266')).body.items[0].nom).toBe('Cyber-base de la Gare');
    // Lyon (69123) covers its arrondissements (the builder's places are in the 1st, 69381).
    expect(noms((await get('/api/v1/lieux?commune=69123')).body)).toEqual(['Bibliothèque sans position', 'Médiathèque Jean Jaurès']);
    // OR within a field...
    const either = await get('/api/v1/lieux?services=Aide%20aux%20d%C3%A9marches%20administratives&services=Loisirs%20et%20cr%C3%A9ations%20num%C3%A9riques');
    expect(either.body.total).toBe(3);
    // ...AND across fields.
    const both = await get('/api/v1/lieux?services=Aide%20aux%20d%C3%A9marches%20administratives&frais_a_charge=Payant');
    expect(noms(both.body)).toEqual(['Espace numérique Saint-Étienne']);
  });

  it('keeps places open now or at a given instant', async () => {
    const now = await get('/api/v1/lieux?ouvert_maintenant=true');
    expect(noms(now.body)).toEqual(['Bibliothèque sans position', 'Espace numérique Saint-Étienne', 'Médiathèque Jean Jaurès']);
    const saturday = await get(`/api/v1/lieux?ouvert_le=${encodeURIComponent('2025-06-14T10:00:00+02:00')}`);
    expect(noms(saturday.body)).toEqual(['Cyber-base de la Gare']);
  });

  it('walks every page with the cursor, without duplicates', async () => {
    const seen: string[] = [];
    let url = '/api/v1/lieux?limit=1&lat=45.76&lon=4.83';
    for (;;) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expect(body.total).toBe(3);
      seen.push(...body.items.map((i: { id: string }) => i.id));
      if (!body.next_cursor) break;
      url = `/api/v1/lieux?limit=1&lat=45.76&lon=4.83&curseur=${body.next_cursor}`;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it.each([
    ['lat=45.7', ['lon'], 'obligatoire'],
    ['lon=4.8', ['lat'], 'obligatoire'],
    ['lat=abc&lon=4', ['lat'], 'nombre'],
    ['lat=95&lon=4', ['lat'], 'latitude'],
    ['rayon=5', ['rayon'], 'point'],
    ['services=Cuisine', ['services'], 'valeur inconnue'],
    ['services=Cuisine&frais_a_charge=Cher', ['services', 'frais_a_charge'], 'valeur inconnue'],
    ['curseur=pas-un-curseur', ['curseur'], 'curseur'],
    ['ouvert_le=demain', ['ouvert_le'], 'ISO 8601'],
    ['ouvert_le=2025-13-45T10:00:00Z', ['ouvert_le'], 'ISO 8601'],
    ['limit=500', ['limit'], '100'],
    ['limit=0', ['limit'], '1'],
    ['service=Gratuit', ['service'], 'reconnu'],
    ['departement=69&region=84', ['departement', 'region'], 'Un seul territoire'],
    ['departement=6%209', ['departement'], 'code'],
  ])('rejects %s with a French problem naming %j', async (params, fields, words) => {
    const { status, type, body } = await get(`/api/v1/lieux?${params}`);
    expect(status).toBe(400);
    expect(type).toContain('application/problem+json');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([...fields].sort());
    expect(body.errors.map((e: { message: string }) => e.message).join(' ')).toContain(words);
  });

  it('rejects a cursor of another kind of query (with a point vs without)', async () => {
    const first = await get('/api/v1/lieux?limit=1');
    expect(first.body.next_cursor).toBeTruthy();
    const { status, body } = await get(`/api/v1/lieux?limit=1&lat=45&lon=4&curseur=${first.body.next_cursor}`);
    expect(status).toBe(400);
    expect(body.errors[0].field).toBe('curseur');
  });
});

describe('GET /api/v1/territoires/:type/:code/lieux', () => {
  it('lists the places of a territory', async () => {
    const { status, body } = await get('/api/v1/territoires/departement/69/lieux');
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(noms(body)).not.toContain('Espace numérique Saint-Étienne');
    const epci = await get('/api/v1/territoires/epci/244200770/lieux?limit=5');
    expect(noms(epci.body)).toEqual(['Espace numérique Saint-Étienne']);
  });

  it('answers 404 for an unknown territory and 400 for an unknown type', async () => {
    const missing = await get('/api/v1/territoires/departement/00/lieux');
    expect(missing.status).toBe(404);
    expect(missing.body.title).toContain('00');
    const badType = await get('/api/v1/territoires/canton/69/lieux');
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].field).toBe('type');
  });
});
