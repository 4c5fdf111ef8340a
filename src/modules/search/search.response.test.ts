// The search API writes its JSON straight from the stored item bytes: the text must be exactly
// JSON.stringify of what the in-process search returns, for tricky values too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertLieux } from '../../../test/builders/lieu.ts';
import { fixedClock } from '../../lib/clock.ts';
import { searchLieux } from './search-engine.ts';
import { decodeItem, encodeItem, itemJsonLength, writeItemJson } from './search.item.ts';
import type { SearchQuery } from './search.types.ts';

function itemJson(bytes: Uint8Array): string {
  const out = Buffer.alloc(itemJsonLength(bytes));
  const end = writeItemJson(bytes, out, 0);
  expect(end).toBe(out.length);
  return `${out.toString('utf8')}}`;
}

describe('stored item bytes', () => {
  const tricky = [
    { id: 'a', nom: 'Quote " backslash \\ slash / tab \t newline \n unit separator \u001f end', n: 0 },
    { id: 'b', nom: 'Émoji 🧑‍💻, accents éèàç, ligature œ, CJK 漢字', latitude: -45.123456789, longitude: 1e-7, ok: true, no: false },
    { id: 'c', empty: '', nothing: null, list: [], nested: [['x', null], { k: 'v' }], skipped: undefined, count: 12 },
    { id: 'd', date: new Date('2025-03-14T10:30:00Z'), lone: 'surrogate \ud800 alone' },
    {},
  ];

  it('writes the JSON object of each item, byte for byte what JSON.stringify gives', () => {
    for (const value of tricky) {
      const bytes = encodeItem(value);
      expect(itemJson(bytes)).toBe(JSON.stringify(value));
      expect(decodeItem(bytes)).toEqual(JSON.parse(JSON.stringify(value)));
    }
  });

  it('writes at any offset and leaves the bytes around untouched', () => {
    const bytes = encodeItem(tricky[1]!);
    const out = Buffer.alloc(itemJsonLength(bytes) + 6, 0x2e);
    const end = writeItemJson(bytes, out, 3);
    expect(out.subarray(0, 3).toString()).toBe('...');
    expect(out.subarray(end).toString()).toBe('...');
    expect(`${out.subarray(3, end).toString()}}`).toBe(JSON.stringify(tricky[1]));
  });
});

describe('GET /api/v1/lieux body', () => {
  let t: TestApp;
  const now = new Date('2025-06-12T10:00:00+02:00');

  beforeAll(async () => {
    t = await buildTestApp({ clock: fixedClock(now.toISOString()) });
    await insertLieux(t.deps.db, [
      { nom: 'Médiathèque « Jean » "Jaurès" \\ 🧑‍💻', commune: 'Lyon', latitude: 45.7578, longitude: 4.832, complement_adresse: 'Bâtiment B\n2e étage' },
      { nom: 'Cyber-base de la Gare', commune: 'Villeurbanne', code_insee: '69266', latitude: 45.7719, longitude: 4.8902, horaires: 'Sa 09:00-12:00', frais_a_charge: ['Payant'] },
      { nom: 'Espace sans position', commune: 'Lyon', latitude: null, longitude: null, site_web: [], courriels: [] },
      ...Array.from({ length: 7 }, (_, i) => ({ nom: `Espace numérique ${i}`, latitude: 45.75 + i / 100, longitude: 4.85 - i / 100 })),
    ]);
    await t.deps.search.refresh({ full: true });
  });

  afterAll(async () => {
    await t.close();
  });

  async function expectSameAsInProcess(url: string, query: SearchQuery): Promise<string | null> {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const expected = searchLieux(t.deps.search.current(), query, now);
    expect(expected.items.length).toBeGreaterThan(0);
    expect(response.body).toBe(JSON.stringify(expected));
    return expected.next_cursor;
  }

  it('lists by name, page after page', async () => {
    let cursor = await expectSameAsInProcess('/api/v1/lieux?limit=4', { limit: 4 });
    expect(cursor).not.toBeNull();
    cursor = await expectSameAsInProcess(`/api/v1/lieux?limit=4&curseur=${cursor}`, { limit: 4, curseur: cursor! });
    await expectSameAsInProcess(`/api/v1/lieux?limit=4&curseur=${cursor}`, { limit: 4, curseur: cursor! });
  });

  it('around a point with distances, filters and open now', async () => {
    const point = { latitude: 45.764, longitude: 4.8357 };
    const cursor = await expectSameAsInProcess('/api/v1/lieux?lat=45.764&lon=4.8357&limit=3', { point, limit: 3 });
    await expectSameAsInProcess(`/api/v1/lieux?lat=45.764&lon=4.8357&limit=3&curseur=${cursor}`, { point, limit: 3, curseur: cursor! });
    await expectSameAsInProcess('/api/v1/lieux?lat=45.764&lon=4.8357&frais_a_charge=Gratuit&ouvert_maintenant=true', {
      point,
      filters: { frais_a_charge: ['Gratuit'] },
      ouvert_maintenant: true,
    });
  });

  it('by text and in a territory, and an empty page', async () => {
    await expectSameAsInProcess('/api/v1/lieux?q=jaures', { q: 'jaures' });
    await expectSameAsInProcess('/api/v1/territoires/commune/69266/lieux', { territoire: { type: 'commune', code: '69266' } });
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/lieux?q=introuvable' });
    expect(response.body).toBe('{"total":0,"items":[],"next_cursor":null}');
  });
});
