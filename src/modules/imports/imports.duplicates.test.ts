// Review queue, merge and split against a real migrated database (PGlite, or PostgreSQL with DATABASE_URL).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { ConflictError } from '../../lib/errors.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource, type Source } from '../sources/sources.use-cases.ts';
import { createLieu, getLieu, listLieuVersions, unpublishLieu, updateLieu, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { scorePair } from './imports.dedup.ts';
import { emptyState, mergeIncoming, type MergeRecord } from './imports.merge.ts';
import { loadMergeState, saveMergeResult } from './imports.merge.repository.ts';
import { listDuplicates, mergedInto, mergeLieux, rejectDuplicate, splitLieu } from './imports.duplicates.ts';
import { runImport } from './imports.use-cases.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const moderator = { kind: 'account' as const, id: 'moderateur-1' };

let handle: DbHandle;
let deps: LieuxDeps;
let now = new Date('2026-03-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const later = (hours: number) => (now = new Date(now.getTime() + hours * 3_600_000));
let region: Source;
let reseau: Source;

const nevers = (overrides: MergeRecord = {}): MergeRecord => ({
  pivot: '21580194700019',
  nom: 'Médiathèque Jean-Jaurès',
  commune: 'Nevers',
  code_postal: '58000',
  code_insee: '58194',
  adresse: '12 rue du Commandant Rivière',
  latitude: 46.9896,
  longitude: 3.159,
  telephone: '+33386683500',
  courriels: ['mediatheque@ville-nevers.fr'],
  services: ['Aide aux démarches administratives'],
  date_maj: '2026-02-01',
  ...overrides,
});

/** What the import apply stage does for a new record: create the place, link it, store its contributions. */
async function imported(source: Source, externalId: string, record: MergeRecord) {
  const result = mergeIncoming(emptyState(), { origin: { kind: 'source', id: source.id, priority: source.priority }, at: clock.now(), record });
  const lieu = await createLieu(deps, result.fields, { kind: 'source', id: source.id });
  await handle.db.insertInto('lieu_sources').values({ source_id: source.id, external_id: externalId, lieu_id: lieu.id, first_seen_at: now, last_seen_at: now }).execute();
  await saveMergeResult(handle.db, lieu.id, result, '00000000-0000-4000-8000-000000000001');
  return lieu;
}

async function proposed(aId: string, bId: string) {
  const [x, y] = [await handle.db.selectFrom('lieux').selectAll().where('id', '=', aId).executeTakeFirstOrThrow(), await handle.db.selectFrom('lieux').selectAll().where('id', '=', bId).executeTakeFirstOrThrow()];
  const record = (r: typeof x) => ({ ...r, position_approximate: r.position_approximate });
  const [first, second] = x.id < y.id ? [x, y] : [y, x];
  const score = scorePair(record(first), record(second));
  await handle.db
    .insertInto('lieu_duplicates')
    .values({ lieu_a: first.id, lieu_b: second.id, score: score.score, decision: score.decision === 'merge' ? 'merge' : 'review', signals: JSON.stringify(score.signals), reason: score.reason ?? null, found_run_id: null, found_at: now })
    .execute();
  return score;
}

/** Everything a split must give back, for one place. */
async function stateOf(id: string) {
  const { updated_at: _u, ...lieu } = await getLieu(deps, id);
  const links = await handle.db.selectFrom('lieu_sources').select(['source_id', 'external_id']).where('lieu_id', '=', id).orderBy('external_id').execute();
  const provenance = await handle.db.selectFrom('lieu_field_provenance').select(['field', 'source_id']).where('lieu_id', '=', id).orderBy('field').execute();
  const contributions = await handle.db.selectFrom('lieu_field_contributions').select(['field', 'contributor', 'value']).where('lieu_id', '=', id).orderBy('field').orderBy('contributor').execute();
  return { lieu, links, provenance, contributions };
}

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock, territories };
  region = await addSource(deps, { name: 'region-bfc', producer: 'Région Bourgogne-Franche-Comté', priority: 200 });
  reseau = await addSource(deps, { name: 'reseau-nievre', producer: 'Réseau des médiathèques de la Nièvre', priority: 100 });
});

afterAll(async () => {
  await handle?.close();
});

describe('merge of the same place spelled differently by two sources', () => {
  it('is proposed for merge, then combines both records under the kept id with the conflict rules', async () => {
    const a = await imported(reseau, 'nev-1', nevers());
    const b = await imported(region, 'R-58-001', nevers({ nom: 'MEDIATHEQUE J. JAURES', adresse: '12 r. du Cdt Rivière', pivot: '00000000000000', telephone: '03 86 68 35 00', services: ['Accès internet et matériel informatique'], horaires: 'Mo-Fr 09:00-18:00' }));
    expect((await proposed(a.id, b.id)).decision).toBe('merge');
    const queue = await listDuplicates(deps);
    expect(queue.map((p) => [p.lieu_a.id, p.lieu_b.id].sort())).toContainEqual([a.id, b.id].sort());

    later(1);
    const report = await mergeLieux(deps, a.id, b.id, moderator);
    expect(report.lieu.id).toBe(a.id);
    expect(report.lieu.nom).toBe('MEDIATHEQUE J. JAURES'); // the region's priority is higher
    expect(report.lieu.pivot).toBe('21580194700019'); // a placeholder never wins
    expect(report.lieu.horaires).toBe('Mo-Fr 09:00-18:00');
    expect([...report.lieu.services].sort()).toEqual(['Accès internet et matériel informatique', 'Aide aux démarches administratives']);
    expect((await getLieu(deps, b.id)).status).toBe('unpublished');
    expect(await mergedInto(deps, b.id)).toBe(a.id);
    const links = await handle.db.selectFrom('lieu_sources').select('external_id').where('lieu_id', '=', a.id).orderBy('external_id').execute();
    expect(links.map((l) => l.external_id)).toEqual(['R-58-001', 'nev-1']);
    const provenance = await handle.db.selectFrom('lieu_field_provenance').select(['field', 'source_id']).where('lieu_id', '=', a.id).where('field', '=', 'nom').executeTakeFirstOrThrow();
    expect(provenance.source_id).toBe(region.id);
    expect((await listDuplicates(deps)).some((p) => p.lieu_a.id === b.id || p.lieu_b.id === b.id)).toBe(false);
    expect((await listDuplicates(deps, { status: 'confirmed' })).map((p) => [p.lieu_a.id, p.lieu_b.id].sort())).toContainEqual([a.id, b.id].sort());
    const versionsA = await listLieuVersions(deps, a.id);
    const versionsB = await listLieuVersions(deps, b.id);
    expect(versionsA.at(-1)?.reason).toContain(b.id);
    expect(versionsB.at(-1)).toMatchObject({ action: 'unpublish', reason: expect.stringContaining(a.id) });
    const changes = await handle.db.selectFrom('lieu_changes').select(['lieu_id', 'kind']).where('lieu_id', 'in', [a.id, b.id]).orderBy('seq', 'desc').limit(2).execute();
    expect(changes).toEqual(expect.arrayContaining([{ lieu_id: a.id, kind: 'updated' }, { lieu_id: b.id, kind: 'removed' }]));
    await expect(mergeLieux(deps, a.id, b.id, moderator)).rejects.toThrow(/déjà fusionné/);
    await expect(mergeLieux(deps, b.id, a.id, moderator)).rejects.toThrow(/déjà fusionné/);
  });
});

describe('places that must not be merged', () => {
  it('two different places in one building go to review, and a rejected pair is never proposed again', async () => {
    const mairie = await imported(reseau, 'vz-1', nevers({ nom: 'Espace numérique de la mairie', adresse: '1 place de la Mairie', commune: 'Varennes-Vauzelles', code_postal: '58640', code_insee: '58303', latitude: 47.0123, longitude: 3.1412, courriels: [] }));
    const mediatheque = await imported(region, 'vz-2', nevers({ nom: 'Médiathèque Paul Éluard', adresse: '1 place de la Mairie', commune: 'Varennes-Vauzelles', code_postal: '58640', code_insee: '58303', latitude: 47.0123, longitude: 3.1412, courriels: [] }));
    const score = await proposed(mairie.id, mediatheque.id);
    expect(score.decision).toBe('review');
    const pair = await rejectDuplicate(deps, mediatheque.id, mairie.id);
    expect(pair.status).toBe('rejected');
    expect((await listDuplicates(deps)).some((p) => p.lieu_a.id === pair.lieu_a.id && p.lieu_b.id === pair.lieu_b.id)).toBe(false);
    // A later import run finding the pair again keeps its status.
    await handle.db.insertInto('lieu_duplicates').values({ lieu_a: pair.lieu_a.id, lieu_b: pair.lieu_b.id, score: 70, decision: 'review', signals: '{}', reason: null, found_run_id: null, found_at: now })
      .onConflict((oc) => oc.columns(['lieu_a', 'lieu_b']).doUpdateSet({ score: 70 })).execute();
    expect((await listDuplicates(deps, { status: 'rejected' })).filter((p) => p.lieu_a.id === pair.lieu_a.id && p.lieu_b.id === pair.lieu_b.id)).toHaveLength(1);
    expect((await getLieu(deps, mairie.id)).status).toBe('published');
    expect((await getLieu(deps, mediatheque.id)).status).toBe('published');
  });

  it('two different real SIRETs are refused without an explicit confirmation', async () => {
    const x = await imported(reseau, 'cs-1', nevers({ nom: 'Centre social du Banlay', pivot: '44306184100047', adresse: '2 rue Claude Tillier' }));
    const y = await imported(region, 'cs-2', nevers({ nom: 'Centre social Banlay', pivot: '21580194700019', adresse: '2 rue Claude Tillier' }));
    expect((await proposed(x.id, y.id)).decision).toBe('review');
    await expect(mergeLieux(deps, x.id, y.id, moderator)).rejects.toBeInstanceOf(ConflictError);
    expect((await getLieu(deps, y.id)).status).toBe('published');
    const forced = await mergeLieux(deps, x.id, y.id, moderator, { force: true });
    expect(forced.lieu.pivot).toBe('21580194700019'); // the region's, higher priority
  });

  it('never merges into a place that is no longer published', async () => {
    const gone = await imported(reseau, 'gone-1', nevers({ nom: 'Cyber-base fermée', adresse: '8 rue des Ouches' }));
    const other = await imported(region, 'gone-2', nevers({ nom: 'Cyber base fermee', adresse: '8 rue des Ouches' }));
    await unpublishLieu(deps, gone.id, moderator, 'Fermé');
    await expect(mergeLieux(deps, gone.id, other.id, moderator)).rejects.toThrow(/retiré du registre/);
    expect((await getLieu(deps, other.id)).status).toBe('published');
  });

  it('branches of one SIRET are not merged automatically', async () => {
    const branch = (nom: string, adresse: string, latitude: number, longitude: number) => nevers({ nom, adresse, latitude, longitude, pivot: '77567227238637', telephone: null, courriels: [] });
    const one = await imported(reseau, 'em-1', branch('Emmaüs Connect Nevers', '34 rue de Nièvre', 46.9901, 3.1602));
    const two = await imported(region, 'em-2', branch('Emmaüs Connect Nevers', '5 place Carnot', 46.9918, 3.1611)); // ≈ 200 m
    const three = await imported(region, 'em-3', branch('Emmaüs Connect Nevers', '20 boulevard Pierre de Coubertin', 46.9790, 3.1430)); // ≈ 1.7 km
    expect((await proposed(one.id, two.id)).decision).toBe('review');
    expect(scorePair({ ...one, position_approximate: false }, { ...three, position_approximate: false }).decision).toBe('distinct');
  });
});

describe('split', () => {
  it('undoes a merge exactly: both places, links, contributions and provenance', async () => {
    const a = await imported(reseau, 'pl-1', nevers({ nom: 'EPN de Planoise', commune: 'Besançon', code_postal: '25000', code_insee: '25056', adresse: '1 rue Jean Wyrsch', latitude: 47.224, longitude: 5.976, pivot: '00000000000000', services: ['Compréhension du monde numérique'] }));
    const b = await imported(region, 'pl-2', nevers({ nom: 'Espace public numérique Planoise', commune: 'Besançon', code_postal: '25000', code_insee: '25056', adresse: '1 r. Jean Wyrsch', latitude: 47.2241, longitude: 5.9761, pivot: '21250056500016', horaires: 'Tu 14:00-18:00', services: ['Loisirs et créations numériques'] }));
    const beforeA = await stateOf(a.id);
    const beforeB = await stateOf(b.id);
    later(2);
    const merged = await mergeLieux(deps, a.id, b.id, moderator);
    expect(merged.lieu.pivot).toBe('21250056500016');
    expect(await stateOf(a.id)).not.toEqual(beforeA);
    later(2);
    const split = await splitLieu(deps, b.id, moderator);
    expect(split.champs_conserves).toEqual([]);
    expect(await stateOf(a.id)).toEqual(beforeA);
    expect(await stateOf(b.id)).toEqual(beforeB);
    expect(await mergedInto(deps, b.id)).toBeNull();
    expect((await listLieuVersions(deps, b.id)).map((v) => v.action)).toEqual(['create', 'unpublish', 'republish']);
    expect((await listLieuVersions(deps, a.id)).at(-1)?.reason).toMatch(/Séparation/);
    expect((await listDuplicates(deps, { status: 'rejected' })).some((p) => [p.lieu_a.id, p.lieu_b.id].includes(b.id))).toBe(true);
    await expect(splitLieu(deps, b.id, moderator)).rejects.toThrow(/rien à séparer/);
  });

  it('restores a commune-centre position as a commune centre', async () => {
    const a = await imported(reseau, 'lo-1', nevers({ nom: 'France services de Lons-le-Saunier', commune: 'Lons-le-Saunier', code_postal: '39000', code_insee: '39300', adresse: '4 avenue Jean Moulin', latitude: null, longitude: null }));
    const b = await imported(region, 'lo-2', nevers({ nom: 'France Services Lons le Saunier', commune: 'Lons-le-Saunier', code_postal: '39000', code_insee: '39300', adresse: '4 av. Jean Moulin', latitude: 46.674, longitude: 5.555 }));
    expect(a.position_approximate).toBe(true);
    const beforeA = await stateOf(a.id);
    const merged = await mergeLieux(deps, a.id, b.id, moderator);
    expect(merged.lieu).toMatchObject({ latitude: 46.674, longitude: 5.555, position_approximate: false });
    await splitLieu(deps, b.id, moderator);
    expect(await stateOf(a.id)).toEqual(beforeA);
  });

  it('keeps on the kept place what was edited after the merge', async () => {
    const a = await imported(reseau, 'dj-1', nevers({ nom: 'EPN de la Fontaine d’Ouche', commune: 'Dijon', code_postal: '21000', code_insee: '21231', adresse: '2 place de la Fontaine d’Ouche', latitude: 47.315, longitude: 5.005 }));
    const b = await imported(region, 'dj-2', nevers({ nom: 'EPN Fontaine d’Ouche', commune: 'Dijon', code_postal: '21000', code_insee: '21231', adresse: '2 place Fontaine d’Ouche', latitude: 47.315, longitude: 5.005, telephone: '+33380000000' }));
    const beforeA = await getLieu(deps, a.id);
    await mergeLieux(deps, a.id, b.id, moderator);
    later(1);
    await updateLieu(deps, a.id, { presentation_resume: 'Ateliers numériques pour tous' }, { kind: 'account', id: 'gestionnaire-9' });
    const split = await splitLieu(deps, b.id, moderator);
    expect(split.champs_conserves).toContain('presentation_resume');
    expect(split.lieu.presentation_resume).toBe('Ateliers numériques pour tous');
    // The moderator's merge and split are not edits of the place: sources still update its fields.
    const state = await loadMergeState(handle.db, a.id);
    const accountFields = Object.entries(state!.contributions).filter(([, list]) => list.some((c) => c.origin.kind === 'account')).map(([field]) => field);
    expect(accountFields).toEqual(['presentation_resume']);
    expect(split.lieu.nom).toBe(beforeA.nom);
    expect(split.lieu.telephone).toBe(beforeA.telephone);
    expect(split.separe.status).toBe('published');
  });
});

describe('merge state from the database', () => {
  it('does not count a commune centre derived after an account edit as the account’s position', async () => {
    const lieu = await imported(region, 'cc-1', nevers({ nom: 'EPN de Clamecy', commune: 'Clamecy', code_postal: '58500', code_insee: '58079', adresse: '2 rue de la Monnaie', latitude: null, longitude: null }));
    later(1);
    await updateLieu(deps, lieu.id, { commune: 'Decize', code_postal: '58300', adresse: '1 place du Champ de Foire' }, { kind: 'account', id: 'gestionnaire-4' });
    const state = await loadMergeState(handle.db, lieu.id);
    expect(state?.contributions.commune?.some((c) => c.origin.kind === 'account')).toBe(true);
    expect((state?.contributions.latitude ?? []).some((c) => c.origin.kind === 'account')).toBe(false);
  });

  it('treats an account edit as outranking sources and reports the source value it refuses', async () => {
    const lieu = await imported(region, 'ac-1', nevers({ nom: 'Cyber-base de Cosne', commune: 'Cosne-Cours-sur-Loire', code_postal: '58200', code_insee: '58086', adresse: '3 rue du Général de Gaulle', latitude: 47.411, longitude: 2.925 }));
    later(1);
    await updateLieu(deps, lieu.id, { telephone: '+33386260000' }, { kind: 'account', id: 'gestionnaire-3' });
    const state = await loadMergeState(handle.db, lieu.id);
    expect(state?.contributions.telephone?.map((c) => c.origin.kind).sort()).toEqual(['account', 'source']);
    later(1);
    const next = mergeIncoming(state!, { origin: { kind: 'source', id: region.id, priority: region.priority }, at: clock.now(), record: nevers({ nom: 'Cyber-base de Cosne', commune: 'Cosne-Cours-sur-Loire', code_postal: '58200', code_insee: '58086', adresse: '3 rue du Général de Gaulle', latitude: 47.411, longitude: 2.925, telephone: '+33386999999' }) });
    expect(next.fields.telephone).toBe('+33386260000');
    expect(next.conflicts).toEqual([expect.objectContaining({ field: 'telephone', kept: '+33386260000', incoming: '+33386999999', account: 'gestionnaire-3' })]);
  });
});

describe('merge and split with import runs', () => {
  const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,telephone,date_maj,services';
  const csv = (row: string) => Buffer.from(`${header}\n${row}\n`);
  const linkOf = async (sourceId: string, externalId: string) =>
    (await handle.db.selectFrom('lieu_sources').select('lieu_id').where('source_id', '=', sourceId).where('external_id', '=', externalId).executeTakeFirstOrThrow()).lieu_id;

  it('sends a merged record’s later imports to the kept place, and back after a split', async () => {
    const importDeps = { db: handle.db, clock, territories };
    const a = 'mq-1,21250056500016,Maison de quartier de Montrapon,Besançon,25000,25056,15 rue de Fontaine-Écu,47.2560,6.0100,0381000001,2026-02-01,Aide aux démarches administratives';
    const b = 'B-77,00000000000000,MdQ Montrapon - Fontaine Ecu,Besançon,25000,25056,15 r. Fontaine-Ecu,47.2561,6.0101,,2026-02-02,Accès internet et matériel informatique';
    await runImport(importDeps, { source: 'reseau-nievre', bytes: csv(a) });
    later(1);
    const second = await runImport(importDeps, { source: 'region-bfc', bytes: csv(b) });
    const idA = await linkOf(reseau.id, 'mq-1');
    const idB = await linkOf(region.id, 'B-77');
    // An uncertain pair: a second place, and the pair in the review queue.
    expect(second.stats).toMatchObject({ new: 1 });
    expect(idB).not.toBe(idA);
    const queued = (await listDuplicates(deps)).find((p) => [p.lieu_a.id, p.lieu_b.id].sort().join() === [idA, idB].sort().join());
    expect(queued?.decision).toBe('review');
    later(1);
    await mergeLieux(deps, idA, idB, moderator);
    expect(await linkOf(region.id, 'B-77')).toBe(idA);
    later(1);
    const unchanged = await runImport(importDeps, { source: 'region-bfc', bytes: csv(b) });
    expect(unchanged.stats).toMatchObject({ unchanged: 1, new: 0 });
    later(1);
    const changed = await runImport(importDeps, { source: 'region-bfc', bytes: csv(b.replace(',,2026-02-02', ',0381999999,2026-02-10')) });
    expect(changed.stats).toMatchObject({ new: 0 });
    expect((await getLieu(deps, idB)).status).toBe('unpublished');
    expect(await mergedInto(deps, idB)).toBe(idA);

    later(1);
    await splitLieu(deps, idB, moderator);
    expect(await linkOf(region.id, 'B-77')).toBe(idB);
    later(1);
    await runImport(importDeps, { source: 'region-bfc', bytes: csv(b.replace(',,2026-02-02', ',0381888888,2026-02-20')) });
    expect((await getLieu(deps, idB)).telephone).toBe('+33381888888');
    expect((await getLieu(deps, idB)).status).toBe('published');
    expect((await getLieu(deps, idA)).telephone).not.toBe('+33381888888');
  });
});
