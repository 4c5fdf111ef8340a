// The import pipeline stores the source values it refuses because an account edited the field
// (lieu_conflicts, migration 0021): one open conflict per place, field and source.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { createLieu, updateLieu } from '../lieux/lieux.use-cases.ts';
import { loadMergeState } from './imports.merge.repository.ts';
import { runImport, type ImportDeps } from './imports.use-cases.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,horaires,services';
const file = (horaires: string, services = 'Aide aux démarches administratives') =>
  Buffer.from(`${header}\nk1,21390198000024,Médiathèque de Dole,Dole,39100,39198,2 rue Bauzonnet,47.0920,5.4900,2024-05-02,${horaires},${services}\n`);

let handle: DbHandle;
let deps: ImportDeps;
let now = new Date('2026-03-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const advanceDays = (days: number) => (now = new Date(now.getTime() + days * 86_400_000));
const conflicts = () => handle.db.selectFrom('lieu_conflicts').selectAll().orderBy('created_at').execute();

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock, territories };
  await addSource(deps, { name: 'jura', producer: 'Département du Jura' });
});
afterAll(async () => handle?.close());

describe('import conflicts with an account edit', () => {
  let lieuId: string;

  it('stores nothing while nobody edited the place', async () => {
    const report = await runImport(deps, { source: 'jura', bytes: file('Mo-Fr 09:00-12:00') });
    expect(report.stats.new).toBe(1);
    lieuId = (await handle.db.selectFrom('lieu_sources').select('lieu_id').executeTakeFirstOrThrow()).lieu_id;
    expect(await conflicts()).toEqual([]);
  });

  it('a dry run stores nothing', async () => {
    advanceDays(1);
    await updateLieu(deps, lieuId, { horaires: 'Mo-Fr 10:00-18:00' }, { kind: 'account', id: 'a7c1e0a4-7a52-4b8e-9d55-0d9a3c7d1f10' });
    advanceDays(1);
    const report = await runImport(deps, { source: 'jura', bytes: file('Mo-Sa 09:00-12:00'), dryRun: true });
    expect(report.problems.some((p) => p.field === 'horaires' && p.severity === 'warning')).toBe(true);
    expect(await conflicts()).toEqual([]);
  });

  it('an import refusing the edited field opens one conflict with both values and the run', async () => {
    const report = await runImport(deps, { source: 'jura', bytes: file('Mo-Sa 09:00-12:00') });
    const rows = await conflicts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lieu_id: lieuId, field: 'horaires', source_value: 'Mo-Sa 09:00-12:00', kept_value: 'Mo-Fr 10:00-18:00', run_id: report.runId, status: 'open' });
  });

  it('a later run updates the open conflict instead of adding one', async () => {
    advanceDays(1);
    const report = await runImport(deps, { source: 'jura', bytes: file('Mo-Sa 08:00-12:00') });
    const rows = await conflicts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source_value: 'Mo-Sa 08:00-12:00', run_id: report.runId, status: 'open' });
    expect(new Date(rows[0]!.updated_at).getTime()).toBeGreaterThan(new Date(rows[0]!.created_at).getTime());
  });

  it('a value the manager chose to ignore is not raised again while the source repeats it', async () => {
    await handle.db.updateTable('lieu_conflicts').set({ status: 'resolved', resolution: 'kept', resolved_at: now }).execute();
    advanceDays(1);
    await runImport(deps, { source: 'jura', bytes: file('Mo-Sa 08:00-12:00', 'Aide aux démarches administratives|Loisirs et créations numériques') });
    expect((await conflicts()).map((c) => c.status)).toEqual(['resolved']);
    advanceDays(1);
    await runImport(deps, { source: 'jura', bytes: file('Mo-Sa 07:00-12:00') });
    const rows = await conflicts();
    expect(rows.map((c) => [c.status, c.source_value])).toEqual([
      ['resolved', 'Mo-Sa 08:00-12:00'],
      ['open', 'Mo-Sa 07:00-12:00'],
    ]);
  });
});

describe('a place created by an account', () => {
  it('counts the fields it gave as the account’s, from its creation (changes derived from the snapshot)', async () => {
    const account = { kind: 'account' as const, id: '5d0c6a1e-2f3b-4c8d-9e0f-1a2b3c4d5e6f' };
    const record = { pivot: '21390198000024', nom: 'Espace numérique de Dole', commune: 'Dole', code_postal: '39100', adresse: '5 rue des Arènes', date_maj: '2026-02-01', horaires: 'Tu-Sa 14:00-18:00' };
    const lieu = await createLieu(deps, record, account);
    const version = await handle.db.selectFrom('lieu_versions').select('changes').where('lieu_id', '=', lieu.id).executeTakeFirstOrThrow();
    expect(version.changes).toBeNull();
    const state = await loadMergeState(handle.db, lieu.id);
    expect(state!.contributions.horaires).toEqual([expect.objectContaining({ origin: account, value: 'Tu-Sa 14:00-18:00' })]);
    expect(state!.contributions.nom).toEqual([expect.objectContaining({ origin: account, value: 'Espace numérique de Dole' })]);
  });
});
