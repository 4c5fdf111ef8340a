import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { loadQpvFiles } from '../qpv/qpv.use-cases.ts';
import { createObservatory } from './observatory.use-cases.ts';
import { insertPlaces, movePlace } from './observatory.test-helpers.ts';

const dataDir = path.resolve('../shared/data');
let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await loadQpvFiles(handle.db, [path.join(dataDir, 'qpv/qpv-2015-rennes.geojson')]);
});
afterAll(async () => {
  await handle?.close();
});

describe('observatory over the real commune frame', () => {
  it('computes, caches per registry version, and recomputes after a change', async () => {
    const observatory = createObservatory({ db: handle.db, referenceDir: dataDir });
    const [blosne] = await insertPlaces(handle.db, [
      { latitude: 48.0874, longitude: -1.6647, code_insee: '35238', services: ['Aide aux démarches administratives'], horaires: 'Mo-Fr 09:00-12:00' },
      { latitude: 48.1114, longitude: -1.6797, code_insee: '35238' },
      { latitude: 48.1114, longitude: -1.6797, code_insee: '35238', status: 'unpublished' },
    ]);
    const first = await observatory.table();
    expect(await observatory.table()).toBe(first); // same version: cached
    const rennes = await observatory.indicators('commune', '35238');
    expect(rennes.nombre_lieux).toBe(2); // the unpublished place does not count
    expect(rennes.population).toBeGreaterThan(200_000);
    expect(rennes.horaires.heures_ouverture_hebdo).toBe(15);
    // Saint-Malo has no place: 0, and its centre is ~ 60 km from Rennes
    const saintMalo = await observatory.indicators('commune', '35288');
    expect(saintMalo.nombre_lieux).toBe(0);
    expect(saintMalo.distance.distance_lieu_le_plus_proche_km).toBeGreaterThan(50);
    expect(saintMalo.distance.distance_lieu_le_plus_proche_km).toBeLessThan(70);
    const blosneQpv = await observatory.indicators('qpv', 'qp035005');
    expect(blosneQpv.nombre_lieux).toBe(1);
    const ille = await observatory.indicators('departement', '35');
    expect(ille.nombre_lieux).toBe(2);
    expect(ille.qpv.nombre).toBe(6);
    expect(ille.qpv.codes_sans_lieu_500_m).toContain('QP035001'); // La Découverte, Saint-Malo
    expect(ille.qpv.codes_sans_lieu_500_m).not.toContain('QP035005');

    await movePlace(handle.db, blosne!, 48.65, -2.0); // to Saint-Malo's QPV area
    const second = await observatory.table();
    expect(second).not.toBe(first);
    expect((await observatory.indicators('qpv', 'QP035005')).nombre_lieux).toBe(0);

    // a write that bypasses the change log is still seen (full re-read)
    await handle.db.updateTable('lieux').set({ code_insee: '35288', updated_at: sql`now()` }).where('id', '=', blosne!).execute();
    expect((await observatory.indicators('commune', '35288')).nombre_lieux).toBe(1);
    // and a logged removal from publication through the incremental path
    await handle.db.updateTable('lieux').set({ status: 'unpublished' }).where('id', '=', blosne!).execute();
    await handle.db.insertInto('lieu_changes').values({ lieu_id: blosne!, kind: 'removed' }).execute();
    expect((await observatory.indicators('commune', '35288')).nombre_lieux).toBe(0);
    expect((await observatory.indicators('commune', '35238')).nombre_lieux).toBe(1);
  }, 120_000);

  it('a French not-found error for an unknown territory', async () => {
    const observatory = createObservatory({ db: handle.db, referenceDir: dataDir });
    await expect(observatory.indicators('commune', '99999')).rejects.toThrow(NotFoundError);
    await expect(observatory.indicators('epci', '123')).rejects.toThrow("Aucun territoire « 123 » trouvé pour l'EPCI.");
  });

  it('keeps working without the commune centres file, and says so', async () => {
    const observatory = createObservatory({ db: handle.db, referenceDir: '/nulle/part' });
    const rennes = await observatory.indicators('commune', '35238');
    expect(rennes.nombre_lieux).toBeGreaterThan(0);
    expect(rennes.distance.distance_lieu_le_plus_proche_km).toBeNull();
    expect(observatory.degradations()[0]).toMatch(/communes-centres-geoapi-2025.json.*introuvable/);
  });
});
