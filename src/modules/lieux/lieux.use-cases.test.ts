import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { fixedClock } from '../../lib/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import {
  createLieu,
  createLieux,
  diff,
  emptyRecord,
  getLieu,
  getPublishedLieu,
  listLieuVersions,
  LieuxBatchValidationError,
  recordOf,
  republishLieu,
  unpublishLieu,
  updateLieu,
  type LieuxDeps,
} from './lieux.use-cases.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const cli = { kind: 'cli' as const };

const record = (overrides: Record<string, unknown> = {}) => ({
  pivot: '21750001600019',
  nom: 'Espace numérique Péclet',
  commune: 'Paris',
  code_postal: '75015',
  adresse: '31 rue Péclet',
  date_maj: '2024-05-31',
  services: 'Aide aux démarches administratives|Loisirs et créations numériques',
  telephone: '01 23 45 67 89',
  ...overrides,
});

describe('lieux use cases', () => {
  let handle: DbHandle;
  let deps: LieuxDeps;

  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock: fixedClock('2026-06-10T10:00:00Z'), territories };
  });
  afterAll(() => handle?.close());

  const countRows = async (table: 'lieux' | 'lieu_versions' | 'lieu_changes', lieuId?: string) => {
    let query = handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (lieuId) query = query.where(table === 'lieux' ? 'id' : 'lieu_id', '=', lieuId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  it('creates a place with its version, change log entry and notification', async () => {
    const received: string[] = [];
    const unlisten = await handle.listen('lieux_changed', (payload) => received.push(payload));
    const lieu = await createLieu(deps, record(), { kind: 'cli', id: 'operateur' });

    expect(lieu).toMatchObject({
      nom: 'Espace numérique Péclet',
      telephone: '+33123456789',
      code_insee: '75115',
      code_departement: '75',
      position_approximate: true,
      status: 'published',
      services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'],
      created_at: '2026-06-10T10:00:00.000Z',
    });
    expect(lieu.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(lieu)).not.toContain('search_tokens');
    expect(Object.keys(lieu)).not.toContain('version');

    const row = await handle.db.selectFrom('lieux').selectAll().where('id', '=', lieu.id).executeTakeFirstOrThrow();
    expect(row.search_tokens).toEqual(['espace', 'numerique', 'peclet', 'paris']);
    expect(row.sort_key).toBe('espace numerique peclet');
    expect(row.version).toBe(1);

    const [version] = await listLieuVersions(deps, lieu.id);
    expect(version).toMatchObject({ version: 1, action: 'create', actor_kind: 'cli', actor_id: 'operateur' });
    expect(version!.changes.nom).toEqual({ from: null, to: 'Espace numérique Péclet' });
    expect(version!.changes.complement_adresse).toBeUndefined();
    expect(version!.snapshot).toMatchObject({ id: lieu.id, nom: 'Espace numérique Péclet' });
    // A creation's changes are not stored (migration 0022) but derived from the snapshot: the
    // same fields, values and order as the changes stored before, read back from jsonb.
    const stored = await handle.db.selectFrom('lieu_versions').select('changes').where('lieu_id', '=', lieu.id).executeTakeFirstOrThrow();
    expect(stored.changes).toBeNull();
    const before = diff(emptyRecord(), recordOf(row));
    const asStored = (await sql<{ c: Record<string, unknown> }>`SELECT ${JSON.stringify(before)}::jsonb AS c`.execute(handle.db)).rows[0]!.c;
    expect(Object.keys(before).length).toBeGreaterThan(10);
    expect(version!.changes).toEqual(before);
    expect(JSON.stringify(version!.changes)).toBe(JSON.stringify(asStored));

    const change = await handle.db.selectFrom('lieu_changes').selectAll().where('lieu_id', '=', lieu.id).executeTakeFirstOrThrow();
    expect(change.kind).toBe('added');
    await expect.poll(() => received).toContain(String(change.seq));
    await unlisten();
  });

  it('refuses an invalid place in French and writes nothing', async () => {
    const before = await countRows('lieux');
    const error = await createLieu(deps, record({ code_postal: 'ABCDE', courriels: 'pas un mail' }), cli).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/n’a pas été enregistré/);
    expect(error.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code_postal', 'courriels']);
    expect(await countRows('lieux')).toBe(before);
  });

  it('creates a batch all or nothing, naming each bad record', async () => {
    const before = { lieux: await countRows('lieux'), changes: await countRows('lieu_changes') };
    const error = await createLieux(deps, [record({ nom: 'Premier' }), record({ pivot: '12' }), record({ date_maj: 'hier', nom: '' })], cli).catch((e) => e);
    expect(error).toBeInstanceOf(LieuxBatchValidationError);
    expect(error.records.map((e: { index: number; field: string }) => `${e.index}:${e.field}`).sort()).toEqual(['1:pivot', '2:date_maj', '2:nom']);
    expect(error.errors.map((e: { field: string }) => e.field)).toContain('[1].pivot');
    expect(await countRows('lieux')).toBe(before.lieux);
    expect(await countRows('lieu_changes')).toBe(before.changes);

    const created = await createLieux(deps, [record({ nom: 'Lot A' }), record({ nom: 'Lot B' })], cli);
    expect(created.map((l) => l.nom)).toEqual(['Lot A', 'Lot B']);
    expect(await countRows('lieux')).toBe(before.lieux + 2);
  });

  it('refuses a batch whose ids repeat or already exist, writing nothing', async () => {
    const id = '0b7e2a52-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
    const twice = await createLieux(deps, [record({ id }), record({ id })], cli).catch((e) => e);
    expect(twice).toBeInstanceOf(LieuxBatchValidationError);
    expect(twice.records[0]).toMatchObject({ index: 1, field: 'id' });

    await createLieu(deps, record({ id, nom: 'Déjà là' }), cli);
    const before = await countRows('lieux');
    const again = await createLieux(deps, [record({ nom: 'Nouveau' }), record({ id })], cli).catch((e) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.message).toMatch(/déjà/);
    expect(await countRows('lieux')).toBe(before); // the first, valid record was rolled back too
  });

  it('updates only what changed, with a version and a change entry', async () => {
    const lieu = await createLieu(deps, record({ nom: 'Avant', latitude: 48.8411, longitude: 2.2998 }), cli);
    const later = { ...deps, clock: fixedClock('2026-06-12T08:00:00Z') };
    const updated = await updateLieu(later, lieu.id, { nom: 'Après', horaires: 'Mo-Fr 09:00-17:00' }, { kind: 'account', id: 'a1' });
    expect(updated).toMatchObject({ nom: 'Après', horaires: 'Mo-Fr 09:00-17:00', date_maj: '2026-06-12', updated_at: '2026-06-12T08:00:00.000Z' });
    expect(updated.latitude).toBe(48.8411);

    const versions = await listLieuVersions(deps, lieu.id);
    expect(versions.map((v) => v.action)).toEqual(['create', 'update']);
    expect(versions[1]!.changes).toEqual({
      nom: { from: 'Avant', to: 'Après' },
      horaires: { from: null, to: 'Mo-Fr 09:00-17:00' },
      date_maj: { from: '2024-05-31', to: '2026-06-12' },
    });
    const row = await handle.db.selectFrom('lieux').select(['sort_key', 'version']).where('id', '=', lieu.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ sort_key: 'apres', version: 2 });
    const kinds = await handle.db.selectFrom('lieu_changes').select('kind').where('lieu_id', '=', lieu.id).orderBy('seq').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['added', 'updated']);
  });

  it('writes nothing when an update changes nothing', async () => {
    const lieu = await createLieu(deps, record({ nom: 'Stable' }), cli);
    const later = { ...deps, clock: fixedClock('2026-06-20T08:00:00Z') };
    // Same values written differently: trimmed name, other phone form, accent-free enumerations.
    const same = await updateLieu(
      later,
      lieu.id,
      { nom: '  Stable ', telephone: '+33 1 23 45 67 89', services: ['aide aux demarches administratives', 'loisirs et creations numeriques'] },
      cli,
    );
    expect(same).toEqual(lieu);
    expect(await countRows('lieu_versions', lieu.id)).toBe(1);
    expect(await countRows('lieu_changes', lieu.id)).toBe(1);
  });

  it('re-validates the whole record and keeps it unchanged on error', async () => {
    const lieu = await createLieu(deps, record({ nom: 'Intact' }), cli);
    const error = await updateLieu(deps, lieu.id, { nom: '', horaires: 'pas des horaires' }, cli).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e: { field: string }) => e.field).sort()).toEqual(['horaires', 'nom']);
    expect((await getLieu(deps, lieu.id)).nom).toBe('Intact');
    expect(await countRows('lieu_versions', lieu.id)).toBe(1);
  });

  it('moves territory codes and the approximate position with the commune', async () => {
    const lieu = await createLieu(deps, record(), cli);
    const moved = await updateLieu(deps, lieu.id, { commune: 'Bourg-en-Bresse', code_postal: '01000', adresse: '1 place de la Mairie' }, cli);
    expect(moved).toMatchObject({ code_insee: '01053', code_departement: '01', code_region: '84', position_approximate: true });
    expect(moved.latitude).toBeCloseTo(46.2, 1);
    const exact = await updateLieu(deps, lieu.id, { latitude: '46,2051', longitude: 5.2255 }, cli);
    expect(exact).toMatchObject({ latitude: 46.2051, longitude: 5.2255, position_approximate: false });
  });

  it('refuses to change an id and answers unknown ids in French', async () => {
    const lieu = await createLieu(deps, record(), cli);
    await expect(updateLieu(deps, lieu.id, { id: '11111111-1111-4111-8111-111111111111' }, cli)).rejects.toThrow(/ne peut pas être modifié/);
    await expect(getLieu(deps, '11111111-1111-4111-8111-111111111111')).rejects.toThrow(NotFoundError);
    await expect(getLieu(deps, 'pas-un-uuid')).rejects.toThrow(/Aucun lieu/);
    await expect(updateLieu(deps, 'pas-un-uuid', { nom: 'x' }, cli)).rejects.toThrow(NotFoundError);
    await expect(listLieuVersions(deps, '11111111-1111-4111-8111-111111111111')).rejects.toThrow(NotFoundError);
  });

  it('unpublishes and republishes with reason, version and change log', async () => {
    const lieu = await createLieu(deps, record({ nom: 'Fermé pour travaux' }), cli);
    const gone = await unpublishLieu(deps, lieu.id, { kind: 'account', id: 'moderateur-1' }, 'Lieu fermé définitivement');
    expect(gone.status).toBe('unpublished');
    await expect(getPublishedLieu(deps, lieu.id)).rejects.toMatchObject({ status: 410 });
    expect((await getLieu(deps, lieu.id)).status).toBe('unpublished');

    await unpublishLieu(deps, lieu.id, cli); // already unpublished: nothing written
    await updateLieu(deps, lieu.id, { nom: 'Rouvert' }, cli); // silent in the change feed
    const back = await republishLieu(deps, lieu.id, cli);
    expect(back.status).toBe('published');

    const versions = await listLieuVersions(deps, lieu.id);
    expect(versions.map((v) => `${v.version}:${v.action}`)).toEqual(['1:create', '2:unpublish', '3:update', '4:republish']);
    expect(versions[1]).toMatchObject({ reason: 'Lieu fermé définitivement', actor_id: 'moderateur-1', changes: { status: { from: 'published', to: 'unpublished' } } });
    const kinds = await handle.db.selectFrom('lieu_changes').select('kind').where('lieu_id', '=', lieu.id).orderBy('seq').execute();
    expect(kinds.map((k) => k.kind)).toEqual(['added', 'removed', 'added']);
  });
});
