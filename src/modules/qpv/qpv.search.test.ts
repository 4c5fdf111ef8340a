// QPV attributes end to end on a running app: contours loaded while the server runs, places
// written afterwards, then the search filters (API and page), the place API and the place page,
// and a place that moves into a QPV. Real 2015 contours of Rennes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertLieu, recordLieuChange } from '../../../test/builders/lieu.ts';
import { loadQpvFiles, loadQpvIndex } from './qpv.use-cases.ts';
import { searchLieuxSql } from '../search/search.repository.ts';

const QPV_FILE = '../shared/data/qpv/qpv-2015-rennes.geojson';
let t: TestApp;
const ids: Record<'blosne' | 'nearVillejean' | 'centre', string> = { blosne: '', nearVillejean: '', centre: '' };

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function search(params: string): Promise<{ ids: string[]; items: Record<string, unknown>[] }> {
  const response = await t.app.inject({ url: `/api/v1/lieux?${params}&limit=100` });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as { items: Record<string, unknown>[] };
  return { ids: body.items.map((i) => i.id as string).sort(), items: body.items };
}

beforeAll(async () => {
  t = await buildTestApp();
  // Contours loaded by another process (the CLI) while the server runs: it is told by notification.
  await loadQpvFiles(t.deps.db, [QPV_FILE], { proximityM: 300 });
  await until(() => t.deps.search.qpvVersion !== undefined, 'the contours in the read model');
  const villejean = (await loadQpvIndex(t.deps.db)).shapes.find((s) => s.code === 'QP035002')!;
  const ring = villejean.geometry.coordinates[0]![0] as number[][];
  const west = ring.find((p) => p[0] === villejean.bbox[0])!;
  const common = { code_insee: '35238', code_postal: '35000', commune: 'Rennes', code_departement: '35', code_region: '53', code_epci: '243500139' };
  const places = {
    blosne: { nom: 'Espace numérique du Blosne', latitude: 48.0878, longitude: -1.6668 },
    nearVillejean: { nom: 'Cyber-base Villejean ouest', latitude: west[1]!, longitude: west[0]! - 0.002 }, // ~149 m
    centre: { nom: 'Médiathèque du centre', latitude: 48.1114, longitude: -1.6797 },
  };
  for (const [key, place] of Object.entries(places)) {
    const row = await insertLieu(t.deps.db, { ...common, ...place });
    ids[key as keyof typeof ids] = row.id;
    await recordLieuChange(t.deps.db, row.id, 'added');
  }
  await t.deps.search.refresh();
  await until(async () => (await t.deps.db.selectFrom('lieu_qpv').select('lieu_id').execute()).length >= 2, 'lieu_qpv links');
});

afterAll(async () => {
  await t?.close();
});

describe('QPV search filters (API)', () => {
  it('en_qpv, proche_qpv, qpv and qpv_proche select the right places', async () => {
    expect((await search('en_qpv=true')).ids).toEqual([ids.blosne]);
    expect((await search('proche_qpv=true')).ids).toEqual([ids.blosne, ids.nearVillejean].sort());
    expect((await search('en_qpv=false')).ids).toEqual([ids.nearVillejean, ids.centre].sort());
    expect((await search('proche_qpv=false')).ids).toEqual([ids.centre]);
    expect((await search('qpv=QP035005')).ids).toEqual([ids.blosne]);
    expect((await search('qpv=QP035002')).ids).toEqual([]);
    expect((await search('qpv_proche=QP035002')).ids).toEqual([ids.nearVillejean]);
    expect((await search('qpv=QP035002&qpv=QP035005')).ids).toEqual([ids.blosne]);
  });

  it('gives each item its QPV beside the standard fields, and the SQL reference agrees', async () => {
    const { items } = await search('proche_qpv=true');
    const near = items.find((i) => i.id === ids.nearVillejean)!;
    const qpv = near.qpv as { code: string; nom: string; relation: string; distance_m: number }[];
    expect(qpv).toHaveLength(1);
    expect(qpv[0]).toMatchObject({ code: 'QP035002', nom: 'Villejean', relation: 'proche' });
    expect(qpv[0]!.distance_m).toBeGreaterThan(140);
    expect(qpv[0]!.distance_m).toBeLessThan(160);
    expect(items.find((i) => i.id === ids.blosne)!.qpv).toEqual([{ code: 'QP035005', nom: 'Le Blosne', relation: 'dans', distance_m: 0 }]);
    const reference = await searchLieuxSql(t.deps.db, { limit: 100, qpv: { proche_qpv: true } }, new Date());
    expect(JSON.parse(JSON.stringify(reference.items))).toEqual(items);
    expect(Object.keys(items.find((i) => i.id === ids.centre) ?? {})).not.toContain('qpv');
  });

  it('rejects a malformed QPV code with a French problem naming the parameter', async () => {
    const response = await t.app.inject({ url: '/api/v1/lieux?qpv=Rennes' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toContain('qpv');
    expect(response.body).toContain('code QPV');
  });
});

describe('QPV on the place API, the place page and the search page', () => {
  it('the place API carries the computed qpv field', async () => {
    const inside = (await t.app.inject({ url: `/api/v1/lieux/${ids.blosne}` })).json() as Record<string, unknown>;
    expect(inside.qpv).toEqual([{ code: 'QP035005', nom: 'Le Blosne', relation: 'dans', distance_m: 0 }]);
    const outside = (await t.app.inject({ url: `/api/v1/lieux/${ids.centre}` })).json() as Record<string, unknown>;
    expect(outside).not.toHaveProperty('qpv');
    expect(outside.nom).toBe('Médiathèque du centre');
  });

  it('the place page says which QPV the place is in or near', async () => {
    const inside = await t.app.inject({ url: `/lieux/${ids.blosne}` });
    expect(inside.body).toContain('Situé dans le quartier prioritaire Le Blosne (QP035005)');
    expect(inside.body).toContain('href="/observatoire/qpv/QP035005"');
    const near = await t.app.inject({ url: `/lieux/${ids.nearVillejean}` });
    expect(near.body).toMatch(/À 150 m du quartier prioritaire Villejean \(QP035002\)/);
    expect((await t.app.inject({ url: `/lieux/${ids.centre}` })).body).not.toContain('quartier prioritaire');
  });

  it('the search page filters by QPV and explains a bad value', async () => {
    const page = await t.app.inject({ url: '/recherche?q=&qpv=dans' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Espace numérique du Blosne');
    expect(page.body).not.toContain('Médiathèque du centre');
    expect(page.body).toContain('Dans le quartier prioritaire Le Blosne'.replace('Dans', 'Situé dans'));
    expect(page.body).toMatch(/<option value="dans" selected/);
    const near = await t.app.inject({ url: '/recherche?qpv=proche' });
    expect(near.body).toContain('Cyber-base Villejean ouest');
    expect(near.body).not.toContain('Médiathèque du centre');
    const bad = await t.app.inject({ url: '/recherche?qpv=partout' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('« qpv »');
  });
});

describe('recomputed when a place changes', () => {
  it('a place moved into Villejean is found by the QPV filters in both engines', async () => {
    await t.deps.db.updateTable('lieux').set({ latitude: 48.1213, longitude: -1.7094 }).where('id', '=', ids.centre).execute();
    await recordLieuChange(t.deps.db, ids.centre);
    await t.deps.search.refresh();
    expect((await search('qpv=QP035002')).ids).toEqual([ids.centre]);
    await until(
      async () => (await searchLieuxSql(t.deps.db, { limit: 10, qpv: { dans: ['QP035002'] } }, new Date())).items.length === 1,
      'the links of the moved place',
    );
  });
});
