// The change feed over HTTP, fed by real import runs: additions, updates, removals, paging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { runImport } from './imports.use-cases.ts';

const header = 'id,pivot,nom,commune,code_postal,adresse,date_maj';
const a = 'a1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,12 rue du Commandant Rivière,2024-05-02';
const b = 'b2,21210231500017,EPN de la Fontaine d’Ouche,Dijon,21000,2 place de la Fontaine d’Ouche,2024-05-02';
const csv = (...rows: string[]) => Buffer.from(`${header}\n${rows.join('\n')}\n`);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await addSource(t.deps, { name: 'bfc', producer: 'Région BFC' });
});
afterAll(async () => t?.close());

const feed = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/lieux/changes${query}` });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/v1/lieux/changes', () => {
  it('lists additions, updates and removals in order, with a cursor', async () => {
    const start = (await feed('?since=0&limit=5000')).body.next_since as number;
    await runImport(t.deps, { source: 'bfc', bytes: csv(a, b) });
    const first = await feed(`?since=${start}`);
    expect(first.status).toBe(200);
    expect(first.body.changes.map((c: { kind: string; lieu: { nom: string } }) => [c.kind, c.lieu.nom])).toEqual([
      ['added', 'Médiathèque Jean-Jaurès'],
      ['added', 'EPN de la Fontaine d’Ouche'],
    ]);
    expect(first.body.has_more).toBe(false);
    const cursor = first.body.next_since as number;
    expect(cursor).toBe(first.body.changes[1].seq);

    await runImport(t.deps, { source: 'bfc', bytes: csv(a.replace('Jean-Jaurès', 'Jean Jaurès'), b) });
    // b leaves the feed and, with a zero-day grace period, is unpublished at once
    await runImport(t.deps, { source: 'bfc', bytes: csv(a.replace('Jean-Jaurès', 'Jean Jaurès')), graceDays: 0 });
    const next = await feed(`?since=${cursor}&limit=1`);
    expect(next.body.changes).toHaveLength(1);
    expect(next.body.changes[0]).toMatchObject({ kind: 'updated', lieu: { nom: 'Médiathèque Jean Jaurès' } });
    expect(next.body.has_more).toBe(true);
    const last = await feed(`?since=${next.body.next_since}`);
    expect(last.body.changes).toEqual([expect.objectContaining({ kind: 'removed', lieu: null })]);
    expect(last.body.has_more).toBe(false);
    const empty = await feed(`?since=${last.body.next_since}`);
    expect(empty.body).toEqual({ changes: [], next_since: last.body.next_since, has_more: false });
  });

  it('answers 400 in French for a bad cursor', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/lieux/changes?since=-1' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(res.json())).toMatch(/since/);
  });
});
