// The read model and the SQL reference must return the same places, in the same order, page
// by page, for any query: hundreds of random queries over seeded random places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/kysely.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { insertLieux, randomCommunes, randomLieux, seededRandom } from '../../../test/builders/lieu.ts';
import { loadSnapshot } from './search-index.ts';
import { searchLieux, searchTuning } from './search-engine.ts';
import { searchLieuxSql } from './search.repository.ts';
import { enumeratedFieldValues, enumeratedFields, territoireTypes, type EnumeratedField } from './search.fields.ts';
import type { SearchQuery, SearchResult } from './search.types.ts';
import type { SearchSnapshot } from './read-model.ts';
import { QpvLayer } from './qpv-layer.ts';
import { loadQpvFiles, loadQpvIndex } from '../qpv/qpv.use-cases.ts';
import { qpvVersion } from '../qpv/qpv.repository.ts';

// Real 2015 contours of Rennes (multipolygons) and places scattered over and around them.
const QPV_FILE = '../shared/data/qpv/qpv-2015-rennes.geojson';
const QPV_PROXIMITY_M = 300;
const qpvCodes = ['QP035001', 'QP035002', 'QP035003', 'QP035004', 'QP035005', 'QP035006'];

const values = { ...enumeratedFieldValues, typologie: ['EPN', 'BIB', 'CAF', 'MUNI', 'ASSO'] } as Record<EnumeratedField, readonly string[]>;
const words = ['mediatheque', 'espace', 'numerique', 'maison', 'france', 'services', 'cyber', 'bibliotheque', 'centre', 'social',
  'tiers', 'fablab', 'jaures', 'victor', 'hugo', 'tilleuls', 'gare', 'oeuvre', 'zola', 'exupery', 'lyon', 'villeurbanne',
  'etienne', 'paris', 'montreuil', 'strasbourg', 'metz', 'brest', 'quimper', 'fort', 'champagne', '2000'];

let handle: DbHandle;
let snapshot: SearchSnapshot;

beforeAll(async () => {
  handle = await createTestDatabase();
  await insertLieux(handle.db, randomLieux(seededRandom(42), 400, values));
  const index = await (async () => {
    await loadQpvFiles(handle.db, [QPV_FILE], { proximityM: QPV_PROXIMITY_M });
    return loadQpvIndex(handle.db);
  })();
  const random = seededRandom(7);
  const nearQpv = randomLieux(random, 160, values).map((place, i) => {
    const [minLon, minLat, maxLon, maxLat] = index.shapes[i % index.shapes.length]!.bbox;
    const margin = 0.006; // ~450 m: inside, in holes and bays, near and beyond the 300 m
    return {
      ...place,
      latitude: place.latitude === null ? null : minLat - margin + random() * (maxLat - minLat + 2 * margin),
      longitude: place.longitude === null ? null : minLon - margin + random() * (maxLon - minLon + 2 * margin),
    };
  });
  await insertLieux(handle.db, nearQpv);
  // The links table the SQL reference reads, recomputed for the places just inserted.
  await loadQpvFiles(handle.db, [QPV_FILE], { proximityM: QPV_PROXIMITY_M });
  snapshot = { ...(await loadSnapshot(handle.db)), qpv: new QpvLayer(index, QPV_PROXIMITY_M, await qpvVersion(handle.db)) };
});

afterAll(async () => {
  searchTuning.nearestScanLimit = 2000;
  await handle.close();
});

function typo(random: () => number, word: string): string {
  const at = Math.floor(random() * word.length);
  const letter = String.fromCharCode(97 + Math.floor(random() * 26));
  const kind = random();
  if (kind < 0.33) return word.slice(0, at) + letter + word.slice(at + 1);
  if (kind < 0.66) return word.slice(0, at) + word.slice(at + 1);
  return word.slice(0, at) + letter + word.slice(at);
}

function randomQuery(random: () => number): SearchQuery {
  const query: SearchQuery = { limit: [2, 10, 25, 50, 100][Math.floor(random() * 5)] };
  if (random() < 0.5) {
    const centre = randomCommunes[Math.floor(random() * randomCommunes.length)]!;
    query.point = { latitude: centre.latitude + (random() - 0.5) * 0.5, longitude: centre.longitude + (random() - 0.5) * 0.5 };
    if (random() < 0.6) query.rayon_km = Math.round(random() * 600) / 10 + 0.1;
  }
  if (random() < 0.4) {
    const parts: string[] = [];
    const count = random() < 0.7 ? 1 : 2;
    for (let i = 0; i < count; i++) {
      let word = words[Math.floor(random() * words.length)]!;
      const style = random();
      if (style < 0.3) word = word.slice(0, 1 + Math.floor(random() * word.length));
      else if (style < 0.6) word = typo(random, word);
      else if (style < 0.7) word = word.toUpperCase().replace('E', 'É');
      parts.push(word);
    }
    query.q = parts.join(random() < 0.5 ? ' ' : '-');
  }
  if (random() < 0.3) {
    const type = territoireTypes[Math.floor(random() * territoireTypes.length)]!;
    const place = randomCommunes[Math.floor(random() * randomCommunes.length)]!;
    const code = { commune: place.code_insee, epci: place.code_epci, departement: place.code_departement, region: place.code_region }[type];
    const odd = random();
    // Sometimes a code no place has, sometimes a city made of arrondissements (Lyon, Paris).
    query.territoire = { type, code: odd < 0.1 ? '99999' : type === 'commune' && odd < 0.3 ? (odd < 0.2 ? '69123' : '75056') : code };
  }
  const filters: SearchQuery['filters'] = {};
  for (const field of enumeratedFields) {
    if (random() < 0.12) {
      const allowed = values[field];
      filters[field] = [allowed[Math.floor(random() * allowed.length)]!, ...(random() < 0.4 ? [allowed[Math.floor(random() * allowed.length)]!] : [])];
    }
  }
  query.filters = filters;
  if (random() < 0.35) {
    const qpv: NonNullable<SearchQuery['qpv']> = {};
    const kind = random();
    const code = () => (random() < 0.1 ? 'QP066007' : qpvCodes[Math.floor(random() * qpvCodes.length)]!);
    if (kind < 0.3) qpv.dans = random() < 0.7 ? [code()] : [code(), code()];
    else if (kind < 0.5) qpv.proche = [code()];
    else if (kind < 0.75) qpv.en_qpv = random() < 0.6;
    else qpv.proche_qpv = random() < 0.6;
    query.qpv = qpv;
  }
  if (random() < 0.25) {
    // Whole 2025 including holidays, at random local times, sometimes exactly on the hour.
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 365) * 86_400_000);
    const minutes = random() < 0.3 ? Math.floor(random() * 24) * 60 : Math.floor(random() * 1440);
    query.ouvert_le = new Date(day.getTime() + minutes * 60_000);
  }
  return query;
}

function ids(result: SearchResult): string[] {
  return result.items.map((item) => item.id);
}

describe('read model and SQL reference agree', () => {
  it.each([
    ['scanning candidates', 2000],
    ['through the kd-tree', 0],
  ])('on 150 random queries, page by page, nearest %s', async (_, scanLimit) => {
    searchTuning.nearestScanLimit = scanLimit;
    const random = seededRandom(2025 + scanLimit);
    const now = new Date('2025-06-12T10:00:00+02:00');
    let nonEmpty = 0;
    let multiPage = 0;
    for (let n = 0; n < 150; n++) {
      const query = randomQuery(random);
      let cursor: string | undefined;
      const seen = new Set<string>();
      let pages = 0;
      for (;;) {
        const page = { ...query, curseur: cursor };
        const memory = searchLieux(snapshot, page, now);
        const reference = await searchLieuxSql(handle.db, page, now);
        const context = JSON.stringify({ n, query: page });
        expect(ids(memory), context).toEqual(ids(reference));
        expect(memory.total, context).toBe(reference.total);
        expect(memory.next_cursor, context).toBe(reference.next_cursor);
        expect(memory.items, context).toEqual(reference.items);
        for (const id of ids(memory)) {
          expect(seen.has(id), `duplicate ${id} in ${context}`).toBe(false);
          seen.add(id);
        }
        pages++;
        if (!memory.next_cursor) break;
        cursor = memory.next_cursor;
      }
      expect(seen.size).toBe((await searchLieuxSql(handle.db, query, now)).total);
      if (seen.size > 0) nonEmpty++;
      if (pages > 1) multiPage++;
    }
    // The random queries must exercise something: many non-empty results and real paging.
    expect(nonEmpty).toBeGreaterThan(60);
    expect(multiPage).toBeGreaterThan(25);
  }, 240_000);

  it('with QPV filters, and the QPV of each item, on places over and around the Rennes QPVs', async () => {
    const random = seededRandom(99);
    const now = new Date('2025-06-12T10:00:00+02:00');
    const totals: number[] = [];
    for (let n = 0; n < 60; n++) {
      const query = { ...randomQuery(random), point: undefined, rayon_km: undefined, territoire: undefined, q: undefined };
      query.qpv ??= { en_qpv: true };
      const memory = searchLieux(snapshot, query, now);
      const reference = await searchLieuxSql(handle.db, query, now);
      const context = JSON.stringify({ n, query });
      expect(memory.items, context).toEqual(reference.items);
      expect(memory.total, context).toBe(reference.total);
      totals.push(memory.total);
    }
    // Both inside and near links exist, and the filters select something without selecting everything.
    expect(totals.filter((t) => t > 0).length).toBeGreaterThan(30);
    const all = searchLieux(snapshot, { limit: 100, qpv: { proche_qpv: true } }, now);
    expect(all.items.some((i) => i.qpv?.some((q) => q.relation === 'dans'))).toBe(true);
    expect(all.items.some((i) => i.qpv?.every((q) => q.relation === 'proche'))).toBe(true);
    expect(all.total).toBeLessThan(snapshot.size);
  }, 120_000);
});
