// Contribution use cases against a real database: a manager's edit (preview = save), its
// history, and the import conflicts it causes (stored once per place, field and source;
// settled by keeping the edit or taking the source's value), with authorisation.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { createAccountByOperator } from '../accounts/accounts.use-cases.ts';
import type { AccountPrincipal } from '../accounts/authorize.ts';
import { ForbiddenError } from '../accounts/authorize.ts';
import { getLieu } from '../lieux/lieux.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { runImport } from '../imports/imports.use-cases.ts';
import { ValidationError } from '../../lib/errors.ts';
import { openConflicts, resolveConflict } from './conflicts.use-cases.ts';
import { formValuesOf } from './edit-form.ts';
import { placeForEdit, previewEdit, saveEdit, StaleEditError } from './edit.use-cases.ts';
import { placeHistory } from './history.use-cases.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,horaires,services';
const row = (id: string, nom: string, horaires: string, services: string) =>
  `${id},21390198000024,${nom},Dole,39100,39198,2 rue Bauzonnet,47.0920,5.4900,2024-05-02,${horaires},${services}`;
const file = (horaires: string, services = 'Aide aux démarches administratives') =>
  Buffer.from(`${header}\n${row('m1', 'Médiathèque de Dole', horaires, services)}\n${row('m2', 'Maison France services de Dole', 'Mo 09:00-12:00', 'Aide aux démarches administratives')}\n`);

let handle: DbHandle;
let now = new Date('2026-04-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const advanceDays = (days: number) => (now = new Date(now.getTime() + days * 86_400_000));
let deps: { db: DbHandle['db']; clock: typeof clock; territories: typeof territories };
let lieuId: string;
let otherId: string;
let manager: AccountPrincipal;
let stranger: AccountPrincipal;
const ctx = (account: AccountPrincipal) => ({ account, ip: '192.0.2.1' });
const rows = () => handle.db.selectFrom('lieu_conflicts').selectAll().orderBy('created_at').execute();

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock, territories };
  await addSource(deps, { name: 'cd39', producer: 'Département du Jura' });
  await runImport(deps, { source: 'cd39', bytes: file('Mo-Fr 09:00-12:00') });
  const links = await handle.db.selectFrom('lieu_sources').select(['external_id', 'lieu_id']).execute();
  lieuId = links.find((l) => l.external_id === 'm1')!.lieu_id;
  otherId = links.find((l) => l.external_id === 'm2')!.lieu_id;
  const accounts = { db: handle.db, clock, mailer: createMemoryMailer(), publicUrl: 'http://test' };
  const m = await createAccountByOperator(accounts, { email: 'dole@example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieuId }] });
  const s = await createAccountByOperator(accounts, { email: 'autre@example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: otherId }] });
  manager = { id: m.id, role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieuId }] };
  stranger = { id: s.id, role: 'gestionnaire', scopes: [{ kind: 'lieu', code: otherId }] };
});
afterAll(async () => handle?.close());

describe('editing a place', () => {
  it('previews exactly what saving writes, without writing anything', async () => {
    advanceDays(1);
    const lieu = await placeForEdit(deps, lieuId, manager);
    const form = { ...formValuesOf(lieu), horaires: 'Mo-Fr 10:00-18:00', services: [...lieu.services, 'Loisirs et créations numériques'] };
    const preview = await previewEdit(deps, lieuId, form, ctx(manager));
    expect(preview.changes.map((c) => c.field)).toEqual(['horaires', 'date_maj', 'services']);
    expect(preview.changes.find((c) => c.field === 'horaires')).toEqual({ field: 'horaires', label: 'Horaires d’ouverture', list: false, from: 'Mo-Fr 09:00-12:00', to: 'Mo-Fr 10:00-18:00' });
    expect(preview.changes.find((c) => c.field === 'services')).toMatchObject({ list: true, added: ['Loisirs et créations numériques'], removed: [] });
    expect((await getLieu(deps, lieuId)).horaires).toBe('Mo-Fr 09:00-12:00');
    expect(await handle.db.selectFrom('audit_log').selectAll().execute()).toEqual([]);

    const saved = await saveEdit(deps, lieuId, form, ctx(manager), lieu.updated_at);
    expect(saved.changes).toEqual(preview.changes);
    expect(saved.lieu).toMatchObject({ horaires: 'Mo-Fr 10:00-18:00', date_maj: '2026-04-02' });
    expect(await handle.db.selectFrom('audit_log').select(['action', 'account_id']).execute()).toEqual([{ action: 'lieu.update', account_id: manager.id }]);
  });

  it('refuses to save over a change made since the diff was shown, and bad values field by field', async () => {
    const lieu = await getLieu(deps, lieuId);
    await expect(saveEdit(deps, lieuId, { ...formValuesOf(lieu), nom: 'Autre nom' }, ctx(manager), '2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(StaleEditError);
    const invalid = previewEdit(deps, lieuId, { ...formValuesOf(lieu), horaires: 'n’importe quand', code_postal: '' }, ctx(manager));
    await expect(invalid).rejects.toBeInstanceOf(ValidationError);
    const error = (await invalid.catch((e: ValidationError) => e)) as ValidationError;
    expect(error.errors.map((e) => e.field).sort()).toEqual(['code_postal', 'horaires']);
    expect((await getLieu(deps, lieuId)).nom).toBe('Médiathèque de Dole');
  });

  it('refuses an account that does not manage the place', async () => {
    await expect(placeForEdit(deps, lieuId, stranger)).rejects.toBeInstanceOf(ForbiddenError);
    const lieu = await getLieu(deps, lieuId);
    await expect(saveEdit(deps, lieuId, { ...formValuesOf(lieu), nom: 'Piraté' }, ctx(stranger))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(placeHistory(deps, lieuId, stranger)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('shows the history newest first, the reader’s edits as “Vous”, sources by name, never an e-mail', async () => {
    const { entries } = await placeHistory(deps, lieuId, manager);
    expect(entries.map((e) => [e.version, e.action, e.actor])).toEqual([
      [2, 'update', 'Vous'],
      [1, 'create', 'Source « cd39 » (Département du Jura)'],
    ]);
    expect(entries[0]!.changes.map((c) => c.label)).toEqual(['Horaires d’ouverture', 'Date de mise à jour', 'Services proposés']);
    const seenByModerator = await placeHistory(deps, lieuId, { id: stranger.id, role: 'moderateur', scopes: [] });
    expect(seenByModerator.entries[0]!.actor).toBe('Un compte gestionnaire de lieu');
    expect(JSON.stringify(seenByModerator)).not.toContain('@example.org');
  });
});

describe('import conflicts with a manager’s edit', () => {
  it('an import refusing the edited value opens one conflict, shown to the manager', async () => {
    advanceDays(1);
    await runImport(deps, { source: 'cd39', bytes: file('Mo-Sa 09:00-12:00') });
    const lieu = await getLieu(deps, lieuId);
    expect(lieu.horaires).toBe('Mo-Fr 10:00-18:00');
    const open = await openConflicts(deps, manager, [lieu]);
    expect(open).toEqual([
      expect.objectContaining({ lieu_id: lieuId, field: 'horaires', label: 'Horaires d’ouverture', source: 'cd39', source_value: 'Mo-Sa 09:00-12:00', kept_value: 'Mo-Fr 10:00-18:00' }),
    ]);
    await expect(openConflicts(deps, stranger, [lieu])).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('a second import updates the open conflict rather than duplicating it', async () => {
    advanceDays(1);
    await runImport(deps, { source: 'cd39', bytes: file('Mo-Sa 08:00-12:00') });
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ field: 'horaires', source_value: 'Mo-Sa 08:00-12:00', status: 'open' });
  });

  it('refuses an account that does not manage the place, and an unknown conflict', async () => {
    const [conflict] = await rows();
    await expect(resolveConflict(deps, conflict!.id, 'reprendre', ctx(stranger))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resolveConflict(deps, '4f0c2a55-1d7e-4a57-9b8e-2f9a1c3d4e5f', 'garder', ctx(manager))).rejects.toMatchObject({ status: 404 });
    expect((await rows())[0]).toMatchObject({ status: 'open' });
  });

  it('“keep mine” resolves it and keeps the manager’s value', async () => {
    const [conflict] = await rows();
    await resolveConflict(deps, conflict!.id, 'garder', ctx(manager));
    expect((await rows())[0]).toMatchObject({ status: 'resolved', resolution: 'kept', resolved_by: manager.id });
    expect((await getLieu(deps, lieuId)).horaires).toBe('Mo-Fr 10:00-18:00');
    expect(await openConflicts(deps, manager, [await getLieu(deps, lieuId)])).toEqual([]);
    await expect(resolveConflict(deps, conflict!.id, 'garder', ctx(manager))).rejects.toMatchObject({ status: 404 });
  });

  it('“take the source’s value” applies it as the manager’s edit and resolves it', async () => {
    advanceDays(1);
    await runImport(deps, { source: 'cd39', bytes: file('Mo-Sa 07:30-12:00') });
    const open = await openConflicts(deps, manager, [await getLieu(deps, lieuId)]);
    expect(open).toHaveLength(1);
    await resolveConflict(deps, open[0]!.id, 'reprendre', ctx(manager));
    const lieu = await getLieu(deps, lieuId);
    expect(lieu.horaires).toBe('Mo-Sa 07:30-12:00');
    const latest = await handle.db.selectFrom('lieu_versions').selectAll().where('lieu_id', '=', lieuId).orderBy('version', 'desc').executeTakeFirstOrThrow();
    expect(latest).toMatchObject({ actor_kind: 'account', actor_id: manager.id });
    expect(Object.keys(latest.changes ?? {})).toContain('horaires');
    expect((await rows()).map((r) => [r.status, r.resolution])).toEqual([
      ['resolved', 'kept'],
      ['resolved', 'taken'],
    ]);
    const audit = await handle.db.selectFrom('audit_log').select('action').orderBy('seq').execute();
    expect(audit.map((a) => a.action).slice(-3)).toEqual(['lieu.conflict.keep', 'lieu.update', 'lieu.conflict.take']);
  });
});
