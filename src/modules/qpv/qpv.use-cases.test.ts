import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { insertPlaces, movePlace } from '../observatory/observatory.test-helpers.ts';
import { loadQpvFiles, qpvOfPlace, recomputeLieuQpv, startQpvSync } from './qpv.use-cases.ts';
import { defaultQpvFiles } from './qpv.file.ts';

const dataDir = path.resolve('../shared/data');
let handle: DbHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe('maillage qpv load, then place links', () => {
  it('loads the reference folder, reports a broken file by name, keeps the rest', async () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'qpv-')), 'casse.geojson');
    fs.writeFileSync(broken, '{"type": "FeatureCollection", "features": [');
    const files = [...defaultQpvFiles(dataDir), broken, '/nulle/part/absent.geojson'];
    // a place inside Le Blosne, one 150 m west of Villejean, one in the town centre, one without position
    const [blosne, nearVillejean, centre] = await insertPlaces(handle.db, [
      { latitude: 48.0878, longitude: -1.6668 },
      { latitude: 48.1207, longitude: -1.7206 },
      { latitude: 48.1114, longitude: -1.6797 },
      { latitude: null, longitude: null },
    ]);
    const report = await loadQpvFiles(handle.db, files, { proximityM: 300 });
    expect(report.files.map((f) => [path.basename(f.file), f.loaded, f.rejected])).toEqual([
      ['qpv-2015-occitanie.geojson', 105, false],
      ['qpv-2015-rennes.geojson', 6, false],
      ['casse.geojson', 0, true],
      ['absent.geojson', 0, true],
    ]);
    expect(report.files[2]!.problems[0]).toMatch(/casse.geojson.*pas du JSON valide/);
    expect(report.files[3]!.problems[0]).toMatch(/absent.geojson.*introuvable/);
    const count = await handle.db.selectFrom('qpv').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(111);

    expect(await qpvOfPlace(handle.db, blosne!)).toEqual([{ code_qp: 'QP035005', relation: 'dans', distance_m: 0 }]);
    const near = await qpvOfPlace(handle.db, nearVillejean!);
    expect(near).toHaveLength(1);
    expect(near[0]).toMatchObject({ code_qp: 'QP035002', relation: 'proche' });
    expect(near[0]!.distance_m).toBeGreaterThan(0);
    expect(near[0]!.distance_m).toBeLessThanOrEqual(300);
    expect(await qpvOfPlace(handle.db, centre!)).toEqual([]);

    // a smaller distance drops the "proche" link
    await recomputeLieuQpv(handle.db, { proximityM: 10 });
    expect(await qpvOfPlace(handle.db, nearVillejean!)).toEqual([]);
    await recomputeLieuQpv(handle.db, { proximityM: 300 });
  });

  it('re-links a place that moved, when the registry notifies or on catch-up', async () => {
    const sync = await startQpvSync(handle, { proximityM: 300 });
    try {
      const [id] = await insertPlaces(handle.db, [{ latitude: 48.1114, longitude: -1.6797 }]);
      await sync.catchUp();
      expect(await qpvOfPlace(handle.db, id!)).toEqual([]);
      await movePlace(handle.db, id!, 48.1263, -1.658); // into Maurepas
      await sync.catchUp();
      expect(await qpvOfPlace(handle.db, id!)).toEqual([{ code_qp: 'QP035004', relation: 'dans', distance_m: 0 }]);
      // through the notification channel: move it into Le Mirail (Toulouse)
      await movePlace(handle.db, id!, 43.5745, 1.401);
      await sql`SELECT pg_notify('lieux_changed', ${id})`.execute(handle.db);
      await expect.poll(() => qpvOfPlace(handle.db, id!), { timeout: 5000 }).toEqual([{ code_qp: 'QP031007', relation: 'dans', distance_m: 0 }]);
    } finally {
      await sync.stop();
    }
  });
});
