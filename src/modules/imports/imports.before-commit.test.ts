// runImport's beforeCommit hook (the network API's audit entry and pushed-body hash) commits or
// rolls back with the import itself, on the full path and on the unchanged-file path.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { systemClock } from '../../lib/clock.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { runImport, type ImportDeps } from './imports.use-cases.ts';

const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services';
const body = Buffer.from(`${header}\na1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02,Aide aux démarches administratives\n`);

let handle: DbHandle;
let deps: ImportDeps;
beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock: systemClock, territories: createTerritories({ referenceDir: path.resolve('../shared/data') }) };
  await addSource(deps, { name: 'reseau', producer: 'Réseau test' });
});
afterAll(async () => handle?.close());

const places = async () => Number((await handle.db.selectFrom('lieux').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const audits = () => handle.db.selectFrom('audit_log').select('action').where('action', 'like', 'test.%').execute();
const audited = (action: string) => async (trx: Parameters<typeof recordAudit>[0]) => recordAudit(trx, deps.clock, { account_id: null, action, target_type: 'source', target_id: null, ip: null });

describe('runImport beforeCommit', () => {
  it('a failing hook rolls the whole import back', async () => {
    await expect(runImport(deps, { source: 'reseau', bytes: body, beforeCommit: () => Promise.reject(new Error('panne simulée')) })).rejects.toThrow(/panne simulée/);
    expect(await places()).toBe(0);
    expect(await audits()).toEqual([]);
  });

  it('a successful import commits with exactly one entry from its hook; a dry run never calls it', async () => {
    await runImport(deps, { source: 'reseau', bytes: body, dryRun: true, beforeCommit: audited('test.dry') });
    const report = await runImport(deps, { source: 'reseau', bytes: body, beforeCommit: audited('test.push') });
    expect(report.stats.new).toBe(1);
    expect(await audits()).toEqual([{ action: 'test.push' }]);
  });

  it('the unchanged-file path runs the hook too, and rolls back with it', async () => {
    await expect(runImport(deps, { source: 'reseau', bytes: body, beforeCommit: () => Promise.reject(new Error('panne simulée')) })).rejects.toThrow(/panne simulée/);
    const runs = await handle.db.selectFrom('import_runs').select('status').orderBy('started_at').execute();
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded', 'failed']); // failed runs are recorded outside the rolled-back transaction
    await runImport(deps, { source: 'reseau', bytes: body, beforeCommit: audited('test.again') });
    expect((await audits()).map((a) => a.action).sort()).toEqual(['test.again', 'test.push']);
  });
});
