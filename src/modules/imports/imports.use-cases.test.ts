// The import pipeline against a real migrated database (PGlite, or PostgreSQL with DATABASE_URL).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { ImportFileError } from './imports.errors.ts';
import { diff, emptyRecord, listLieuVersions, recordOf, updateLieu } from '../lieux/lieux.use-cases.ts';
import { importErrorsCsv, runImport, type ImportDeps } from './imports.use-cases.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/imports');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));
const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });

const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services';
const csv = (...rows: string[]) => Buffer.from(`${header}\n${rows.join('\n')}\n`);
const rowA = 'a1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02,Aide aux démarches administratives';
const rowB = 'b2,21210231500017,EPN de la Fontaine d’Ouche,Dijon,21000,21231,2 place de la Fontaine d’Ouche,47.3150,5.0050,2024-05-02,Loisirs et créations numériques';
const rowC = 'c3,21250056500016,Espace numérique de Planoise,Besançon,25000,25056,1 rue Jean Wyrsch,47.2240,5.9760,2024-05-02,Compréhension du monde numérique';
const rowD = 'd4,21390198000016,France services de Lons-le-Saunier,Lons-le-Saunier,39000,39300,4 avenue Jean Moulin,46.6740,5.5550,2024-05-02,Aide aux démarches administratives';

let handle: DbHandle;
let deps: ImportDeps;
let now = new Date('2025-03-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const advanceDays = (days: number) => (now = new Date(now.getTime() + days * 86_400_000));

async function counts() {
  const db = handle.db;
  const one = async (table: 'lieux' | 'lieu_versions' | 'lieu_changes' | 'import_rows' | 'lieu_sources' | 'lieu_field_provenance' | 'import_errors') =>
    Number((await db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    lieux: await one('lieux'),
    lieu_versions: await one('lieu_versions'),
    lieu_changes: await one('lieu_changes'),
    import_rows: await one('import_rows'),
    lieu_sources: await one('lieu_sources'),
    lieu_field_provenance: await one('lieu_field_provenance'),
    import_errors: await one('import_errors'),
  };
}

async function placeOf(source: string, externalId: string) {
  return handle.db
    .selectFrom('lieu_sources')
    .innerJoin('sources', 'sources.id', 'lieu_sources.source_id')
    .innerJoin('lieux', 'lieux.id', 'lieu_sources.lieu_id')
    .selectAll('lieux')
    .select(['lieu_sources.removed_at'])
    .where('sources.name', '=', source)
    .where('lieu_sources.external_id', '=', externalId)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock, territories };
  for (const name of ['bfc', 'nievre', 'hdf', 'atomic', 'dry', 'coords', 'errors', 'chunks', 'chunks-first', 'chunks-second']) {
    await addSource(deps, { name, producer: `Producteur ${name}` });
  }
});
afterAll(async () => handle?.close());

describe('a run written in chunks', () => {
  it('writes every chunk and finds duplicates across chunks, as one run', async () => {
    const rows = [
      'k1,00000000000000,Médiathèque de Saint-Claude,Saint-Claude,39200,39478,1 place de l’Abbaye,46.3872,5.8636,2024-05-02,Aide aux démarches administratives',
      'k2,00000000000000,EPN du Haut-Jura,Saint-Claude,39200,39478,20 rue du Pré,46.3890,5.8680,2024-05-02,Loisirs et créations numériques',
      'k3,00000000000000,Espace France services de Morez,Hauts de Bienne,39400,39368,5 rue Pasteur,46.5230,6.0250,2024-05-02,Aide aux démarches administratives',
      'k4,00000000000000,Mediatheque St Claude,Saint-Claude,39200,39478,1 place de l’Abbaye,46.3872,5.8636,2024-05-02,Aide aux démarches administratives',
      'k5,00000000000000,Tiers-lieu de Morbier,Morbier,39400,39367,3 rue de la Gare,46.5360,6.0160,2024-05-02,Loisirs et créations numériques',
    ];
    const report = await runImport(deps, { source: 'chunks', bytes: csv(...rows), chunkSize: 2 });
    expect(report.stats).toMatchObject({ read: 5, accepted: 5, new: 5, rejected: 0, duplicates: 1 });
    const first = await placeOf('chunks', 'k1');
    const fourth = await placeOf('chunks', 'k4');
    const pair = await handle.db.selectFrom('lieu_duplicates').selectAll().where('found_run_id', '=', report.runId).executeTakeFirstOrThrow();
    expect([pair.lieu_a, pair.lieu_b].sort()).toEqual([first.id, fourth.id].sort());
    const source = await handle.db.selectFrom('sources').select('id').where('name', '=', 'chunks').executeTakeFirstOrThrow();
    const count = async (table: 'import_rows' | 'lieu_sources' | 'lieu_provenance') =>
      Number((await handle.db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).where('source_id', '=', source.id).executeTakeFirstOrThrow()).n);
    expect([await count('import_rows'), await count('lieu_sources'), await count('lieu_provenance')]).toEqual([5, 5, 5]);
    // The same file again, in other chunks: every row unchanged.
    const again = await runImport(deps, { source: 'chunks', bytes: csv(rows[4]!, ...rows.slice(0, 4)), chunkSize: 3 });
    expect(again.stats).toMatchObject({ read: 5, unchanged: 5, new: 0, updated: 0 });
  });

  it('reads each département of the registry when a chunk first needs it, and lets each place be merged into once across chunks', async () => {
    const place = (id: string, nom: string) => `${id},00000000000000,${nom},Vesoul,70000,70550,2 rue Pierre Rayer,47.6230,6.1550,2024-05-02,Aide aux démarches administratives`;
    await runImport(deps, { source: 'chunks-first', bytes: csv(place('v1', 'Espace numérique de Vesoul')) });
    const existing = await placeOf('chunks-first', 'v1');
    // Chunk 1 is in the Jura only: Haute-Saône (70) is read for chunk 2. Chunks 2 and 3 both
    // strongly duplicate the existing place: the first is merged into it, the second is not.
    const rows = [
      'j1,00000000000000,Médiathèque de Dole,Dole,39100,39198,2 rue Sombardier,47.0920,5.4900,2024-05-02,Aide aux démarches administratives',
      place('w1', 'Espace numerique de Vesoul'),
      place('w2', 'Espace numérique Vesoul'),
    ];
    const report = await runImport(deps, { source: 'chunks-second', bytes: csv(...rows), chunkSize: 1 });
    expect(report.stats).toMatchObject({ read: 3, accepted: 3, new: 2, merged: 1 });
    expect((await placeOf('chunks-second', 'w1')).id).toBe(existing.id);
    const second = await placeOf('chunks-second', 'w2');
    expect(second.id).not.toBe(existing.id);
    const pairs = await handle.db.selectFrom('lieu_duplicates').select(['lieu_a', 'lieu_b']).where('found_run_id', '=', report.runId).execute();
    expect(pairs.map((p) => [p.lieu_a, p.lieu_b].sort())).toContainEqual([existing.id, second.id].sort());
  });
});

describe('runImport lifecycle', () => {
  it('creates places with history, change log, source links, provenance and raw rows', async () => {
    const report = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB, rowC), fileName: 'bfc.csv' });
    expect(report.status).toBe('succeeded');
    expect(report.stats).toEqual({ read: 3, accepted: 3, rejected: 0, new: 3, updated: 0, unchanged: 0, merged: 0, removed: 0, unpublished: 0, warnings: 0, duplicates: 0 });
    const a = await placeOf('bfc', 'a1');
    expect(a).toMatchObject({ nom: 'Médiathèque Jean-Jaurès', code_departement: '58', status: 'published', removed_at: null });
    const versions = await handle.db.selectFrom('lieu_versions').selectAll().where('lieu_id', '=', a.id).execute();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ action: 'create', actor_kind: 'source', changes: null });
    // Derived from the snapshot when read: every field given, from empty.
    const row = await handle.db.selectFrom('lieux').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    const [history] = await listLieuVersions(deps, a.id);
    expect(history!.changes).toEqual(diff(emptyRecord(), recordOf(row)));
    expect(history!.changes.nom).toEqual({ from: null, to: 'Médiathèque Jean-Jaurès' });
    const provenance = await handle.db.selectFrom('lieu_field_provenance').select('field').where('lieu_id', '=', a.id).orderBy('field').execute();
    expect(provenance.map((p) => p.field)).toEqual(expect.arrayContaining(['nom', 'pivot', 'services', 'latitude', 'date_maj']));
    expect(provenance.map((p) => p.field)).not.toContain('telephone'); // not given by the source
    const run = await handle.db.selectFrom('import_runs').selectAll().where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'succeeded', read: 3, accepted: 3, new: 3, file_name: 'bfc.csv', format: 'standard-csv' });
  });

  it('re-importing the unchanged file changes nothing', async () => {
    const before = await counts();
    advanceDays(1);
    const report = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB, rowC) });
    expect(report.stats).toMatchObject({ accepted: 3, new: 0, updated: 0, unchanged: 3, removed: 0 });
    const after = await counts();
    expect(after).toEqual(before);
  });

  it('the same file twice more: recognised without rewriting the raw rows, then a changed file takes the full path', async () => {
    const runOf = (id: string) => handle.db.selectFrom('import_runs').select(['id', 'rows_run_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const rowsRuns = async () => [...new Set((await handle.db.selectFrom('import_rows').innerJoin('sources', 'sources.id', 'import_rows.source_id').select('last_run_id').where('sources.name', '=', 'bfc').execute()).map((r) => r.last_run_id))];
    const [written] = await rowsRuns();
    advanceDays(1);
    const second = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB, rowC) });
    advanceDays(1);
    const third = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB, rowC) });
    expect(third.stats).toMatchObject({ read: 3, accepted: 3, unchanged: 3, new: 0, updated: 0, removed: 0 });
    expect(third.geocoding.notes.join(' ')).toContain('Fichier identique');
    // Both runs name the run that wrote the rows; the rows still point at it.
    expect((await runOf(second.runId)).rows_run_id).toBe(written);
    expect((await runOf(third.runId)).rows_run_id).toBe(written);
    expect(await rowsRuns()).toEqual([written]);
    const links = await handle.db.selectFrom('lieu_sources').select('last_seen_at').where('external_id', 'in', ['a1', 'b2', 'c3']).execute();
    for (const l of links) expect(new Date(l.last_seen_at).getTime()).toBe(now.getTime());
  });

  it('updates a changed row and takes the source away from a missing one, without unpublishing it yet', async () => {
    advanceDays(1);
    const changedB = rowB.replace('Loisirs et créations numériques', 'Loisirs et créations numériques|Accès internet et matériel informatique');
    const report = await runImport(deps, { source: 'bfc', bytes: csv(rowA, changedB) });
    expect(report.stats).toMatchObject({ read: 2, accepted: 2, new: 0, updated: 1, unchanged: 1, removed: 1, unpublished: 0 });
    const b = await placeOf('bfc', 'b2');
    expect(b.services).toEqual(['Loisirs et créations numériques', 'Accès internet et matériel informatique']);
    const c = await placeOf('bfc', 'c3');
    expect(c.status).toBe('published');
    expect(c.removed_at).not.toBeNull();
    const versions = await handle.db.selectFrom('lieu_versions').select(['action', 'changes']).where('lieu_id', '=', b.id).orderBy('version').execute();
    expect(versions.map((v) => v.action)).toEqual(['create', 'update']);
    expect(Object.keys(versions[1]!.changes ?? {})).toEqual(['services']);
  });

  it('unpublishes a place no source has listed for the grace period, and keeps its history', async () => {
    advanceDays(10);
    const early = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB.replace('Loisirs et créations numériques', 'Loisirs et créations numériques|Accès internet et matériel informatique')), graceDays: 30 });
    expect(early.stats.unpublished).toBe(0);
    advanceDays(25);
    const late = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB.replace('Loisirs et créations numériques', 'Loisirs et créations numériques|Accès internet et matériel informatique')), graceDays: 30 });
    expect(late.stats).toMatchObject({ unchanged: 2, removed: 0, unpublished: 1 });
    const c = await placeOf('bfc', 'c3');
    expect(c.status).toBe('unpublished');
    const versions = await handle.db.selectFrom('lieu_versions').select(['action', 'reason']).where('lieu_id', '=', c.id).orderBy('version').execute();
    expect(versions.map((v) => v.action)).toEqual(['create', 'unpublish']);
    expect(versions[1]!.reason).toMatch(/plus de 30 jours/);
    const change = await handle.db.selectFrom('lieu_changes').select('kind').where('lieu_id', '=', c.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(change.kind).toBe('removed');
  });

  it('republishes a place that comes back in its feed', async () => {
    advanceDays(1);
    const report = await runImport(deps, { source: 'bfc', bytes: csv(rowA, rowB.replace('Loisirs et créations numériques', 'Loisirs et créations numériques|Accès internet et matériel informatique'), rowC) });
    expect(report.stats).toMatchObject({ updated: 1, unchanged: 2 });
    const c = await placeOf('bfc', 'c3');
    expect(c.status).toBe('published');
    expect(c.removed_at).toBeNull();
  });
});

describe('runImport atomicity and dry run', () => {
  it('a run killed midway changes nothing and leaves a failed run record', async () => {
    await runImport(deps, { source: 'atomic', bytes: csv(rowA.replace('a1', 'x1')) });
    const before = await counts();
    const stop = (done: number) => {
      if (done === 2) throw new Error('processus interrompu');
    };
    await expect(runImport(deps, { source: 'atomic', bytes: csv(rowA.replace('a1', 'x1').replace('Jean-Jaurès', 'Jean Jaurès'), rowB.replace('b2', 'x2'), rowC.replace('c3', 'x3')), onProgress: stop })).rejects.toThrow(
      /n’a rien modifié : processus interrompu/,
    );
    expect(await counts()).toEqual(before);
    const runs = await handle.db
      .selectFrom('import_runs')
      .innerJoin('sources', 'sources.id', 'import_runs.source_id')
      .select(['status', 'error'])
      .where('sources.name', '=', 'atomic')
      .orderBy('started_at')
      .execute();
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'failed']);
    expect(runs[1]!.error).toMatch(/processus interrompu/);
    expect((await placeOf('atomic', 'x1')).nom).toBe('Médiathèque Jean-Jaurès');
  });

  it('a run stopped while an earlier chunk is being written changes nothing either', async () => {
    const before = await counts();
    // One record per chunk: when the third record is prepared, the second chunk's writes are in flight.
    const stop = (done: number) => {
      if (done === 3) throw new Error('processus interrompu');
    };
    const bytes = csv(rowA.replace('a1', 'y1'), rowB.replace('b2', 'y2'), rowC.replace('c3', 'y3'), rowD.replace(/^[^,]*/, 'y4'));
    await expect(runImport(deps, { source: 'atomic', bytes, chunkSize: 1, onProgress: stop })).rejects.toThrow(/n’a rien modifié : processus interrompu/);
    // What a statement sent after the rollback would have written outside the transaction shows up here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await counts()).toEqual(before);
  });

  it('a dry run reports the stats and writes nothing', async () => {
    const before = await counts();
    const report = await runImport(deps, { source: 'dry', bytes: csv(rowA.replace('a1', 'd1'), rowB.replace('b2', 'd2'), rowD), dryRun: true });
    expect(report.status).toBe('dry_run');
    // d1 and d2 are the places source bfc already gives: attached to them, not created again
    expect(report.stats).toMatchObject({ read: 3, accepted: 3, new: 1, merged: 2 });
    expect(await counts()).toEqual(before);
    const runs = await handle.db.selectFrom('import_runs').innerJoin('sources', 'sources.id', 'import_runs.source_id').select('status').where('sources.name', '=', 'dry').execute();
    expect(runs).toEqual([]);
  });

  it('an unreadable file records a failed run with the French reason and throws it', async () => {
    await expect(runImport(deps, { source: 'errors', bytes: Buffer.from('') })).rejects.toThrow(ImportFileError);
    const run = await handle.db.selectFrom('import_runs').innerJoin('sources', 'sources.id', 'import_runs.source_id').select(['status', 'error']).where('sources.name', '=', 'errors').executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'failed', error: 'Le fichier est vide.' });
  });
});

describe('runImport validation and enrichment', () => {
  it('stores row errors, downloadable as CSV, and imports the valid rows', async () => {
    const bad = 'e1,123,Espace sans code postal,Nevers,580,,1 rue Nulle,,,2024-05-02,Cours de cuisine';
    const report = await runImport(deps, { source: 'errors', bytes: csv(rowD.replace('d4', 'e0'), bad) });
    expect(report.stats).toMatchObject({ read: 2, accepted: 1, rejected: 1, new: 1 });
    const fields = report.problems.filter((p) => p.row === 3).map((p) => p.field).sort();
    expect(fields).toEqual(['code_postal', 'pivot', 'services']);
    const text = await importErrorsCsv(deps, report.runId);
    const lines = text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('ligne;champ;valeur;message;gravite');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('3;code_postal;580;'))).toMatch(/5 chiffres\.;erreur$/);
    expect(lines.find((l) => l.startsWith('3;services;Cours de cuisine;'))).toBeDefined();
  });

  it('corrects swapped coordinates, drops zero and far-away ones to the commune centre', async () => {
    const swapped = 's1,21580194700019,Médiathèque inversée,Nevers,58000,58194,12 rue du Commandant Rivière,3.1590,46.9896,2024-05-02,';
    const zero = 's2,21580194700019,Médiathèque zéro,Nevers,58000,58194,12 rue du Commandant Rivière,0,0,2024-05-02,';
    const far = 's3,21580194700019,Médiathèque lointaine,Nevers,58000,58194,12 rue du Commandant Rivière,43.2965,5.3698,2024-05-02,';
    const missing = 's4,21580194700019,Médiathèque sans position,Nevers,58000,58194,12 rue du Commandant Rivière,,,2024-05-02,';
    const report = await runImport(deps, { source: 'coords', bytes: csv(swapped, zero, far, missing) });
    expect(report.stats).toMatchObject({ accepted: 4, new: 4, warnings: 3 });
    expect(report.problems.map((p) => [p.row, p.severity, p.message.slice(0, 31)])).toEqual([
      [2, 'warning', 'Latitude et longitude étaient i'],
      [3, 'warning', 'Coordonnées nulles (0) ignorées'],
      [4, 'warning', expect.stringMatching(/^La position est à \d+ km de/)],
    ]);
    const s1 = await placeOf('coords', 's1');
    expect([s1.latitude, s1.longitude, s1.position_approximate]).toEqual([46.9896, 3.159, false]);
    for (const id of ['s2', 's3', 's4']) {
      const place = await placeOf('coords', id);
      expect(place.position_approximate).toBe(true);
      expect(Math.abs(place.latitude! - 46.99)).toBeLessThan(0.1);
    }
  });

  it('imports the legacy v0.1 fixture end to end: mapped values pass the v1 validation', async () => {
    const report = await runImport(deps, { source: 'hdf', bytes: fixture('legacy-v0.csv') });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.stats).toMatchObject({ read: 2, accepted: 2, new: 2 });
    const lille = await placeOf('hdf', 'hdf-17');
    expect(lille.frais_a_charge).toEqual(['Gratuit', 'Gratuit sous condition']);
    expect(lille.prise_en_charge_specifique).toEqual(['Langues étrangères (autres)', 'Handicaps mentaux']);
  });

  it('imports every other format fixture without row errors', async () => {
    await addSource(deps, { name: 'di', producer: 'data·inclusion' });
    await addSource(deps, { name: 'geo', producer: 'Région Sud' });
    await addSource(deps, { name: 'cd24', producer: 'Département de la Dordogne', format: 'mapping', mapping: JSON.parse(fixture('tableau-departement.mapping.json').toString()) });
    await addSource(deps, { name: 'nev', producer: 'Département de la Nièvre' });
    const di = await runImport(deps, { source: 'di', bytes: fixture('data-inclusion.json') });
    // the second structure has no SIRET: accepted with the standard's placeholder pivot (unknown), and a warning saying so
    expect(di.problems.map((p) => [p.row, p.field, p.severity])).toEqual([[2, 'siret', 'warning']]);
    expect(di.stats).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    const geo = await runImport(deps, { source: 'geo', bytes: fixture('lieux.geojson') });
    expect(geo.stats).toMatchObject({ accepted: 1, rejected: 1 });
    const cd24 = await runImport(deps, { source: 'cd24', bytes: fixture('tableau-departement.tsv') });
    expect(cd24.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(cd24.stats.new).toBe(2);
    const nev = await runImport(deps, { source: 'nev', bytes: fixture('standard-v1.csv') });
    expect(nev.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // its Médiathèque Jean-Jaurès is the place source bfc gives: attached to it
    expect(nev.stats).toMatchObject({ new: 1, merged: 1 });
  });
});

describe('runImport duplicates', () => {
  const mine = 'm1,00000000000000,Médiathèque François-Mitterrand,Clamecy,58500,58079,2 place Saint-Jean,47.45962,3.51902,2024-05-02,';

  it('attaches the same place given by another source to the existing place instead of creating a second one', async () => {
    await addSource(deps, { name: 'dup-a', producer: 'Ville de Nevers' });
    await addSource(deps, { name: 'dup-b', producer: 'Hub numérique BFC' });
    const theirs = 't1,21580079000014,MEDIATHEQUE F. MITTERRAND,Clamecy,58500,58079,2 pl. Saint Jean,47.45965,3.51905,2024-05-02,Loisirs et créations numériques';
    const other = 't2,21580079000022,Conseillère numérique du CCAS,Clamecy,58500,58079,8 rue Bourgeoise,47.4625,3.5230,2024-05-02,';
    await runImport(deps, { source: 'dup-a', bytes: csv(mine) });
    advanceDays(1);
    const report = await runImport(deps, { source: 'dup-b', bytes: csv(theirs, other) });
    expect(report.stats).toMatchObject({ accepted: 2, new: 1, merged: 1 });
    const a = await placeOf('dup-a', 'm1');
    const b = await placeOf('dup-b', 't1');
    expect(b.id).toBe(a.id);
    // conflict rules (imports.merge.ts), both sources of equal priority: the most recent gives
    // the name and the address group; a real SIRET beats the placeholder; lists are unioned
    expect(b).toMatchObject({ nom: 'MEDIATHEQUE F. MITTERRAND', adresse: '2 pl. Saint Jean', pivot: '21580079000014', services: ['Loisirs et créations numériques'] });
    const versions = await handle.db.selectFrom('lieu_versions').select(['action', 'actor_id']).where('lieu_id', '=', a.id).orderBy('version').execute();
    expect(versions.map((v) => v.action)).toEqual(['create', 'update']);
    const provenance = await handle.db
      .selectFrom('lieu_field_provenance as p')
      .innerJoin('sources', 'sources.id', 'p.source_id')
      .select(['p.field', 'sources.name'])
      .where('p.lieu_id', '=', a.id)
      .execute();
    expect(Object.fromEntries(provenance.map((p) => [p.field, p.name]))).toMatchObject({ nom: 'dup-b', pivot: 'dup-b', services: 'dup-b', date_maj: 'dup-b' });
    // both sources' values are kept as contributions, so either can withdraw its own later
    const contributors = await handle.db.selectFrom('lieu_field_contributions').select('contributor').distinct().where('lieu_id', '=', a.id).execute();
    expect(contributors).toHaveLength(2);
    const run = await handle.db.selectFrom('import_runs').select(['merged', 'new']).where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(run).toEqual({ merged: 1, new: 1 });
    // re-importing: the attached record is unchanged, not merged again
    const again = await runImport(deps, { source: 'dup-b', bytes: csv(theirs, other) });
    expect(again.stats).toMatchObject({ unchanged: 2, new: 0, merged: 0 });
  });

  it('never merges two different real SIRETs: the pair waits for review', async () => {
    await addSource(deps, { name: 'dup-c', producer: 'Association numérique du Haut-Nivernais' });
    const rival = 'r1,30012345600018,Médiathèque F. Mitterrand,Clamecy,58500,58079,2 pl. Saint Jean,47.45964,3.51904,2024-05-02,';
    const report = await runImport(deps, { source: 'dup-c', bytes: csv(rival) });
    expect(report.stats).toMatchObject({ new: 1, merged: 0 });
    const a = await placeOf('dup-a', 'm1');
    const c = await placeOf('dup-c', 'r1');
    expect(c.id).not.toBe(a.id);
    const pairs = await handle.db
      .selectFrom('lieu_duplicates')
      .selectAll()
      .where((eb) => eb.or([eb('lieu_a', '=', c.id), eb('lieu_b', '=', c.id)]))
      .execute();
    expect(pairs).toHaveLength(1);
    expect([pairs[0]!.lieu_a, pairs[0]!.lieu_b].sort()).toEqual([a.id, c.id].sort());
    expect(pairs[0]).toMatchObject({ decision: 'review', status: 'pending', reason: expect.stringMatching(/SIRET différents/) });
    expect(report.stats.duplicates).toBe(1);
    expect([a.status, c.status]).toEqual(['published', 'published']);
    const run = await handle.db.selectFrom('import_runs').select('duplicates').where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(run.duplicates).toBe(1);
  });
});

describe('runImport conflict rules', () => {
  it('keeps a value an account edited, reports the refused source value, and applies the rest', async () => {
    await addSource(deps, { name: 'acct', producer: 'Département du Jura' });
    const row = (phone: string, services: string) =>
      `j1,21390198000024,Médiathèque de Dole,Dole,39100,39198,2 rue Bauzonnet,47.0920,5.4900,2024-05-02,${services}`.replace('2024-05-02', `2024-05-02,${phone}`);
    const header2 = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,telephone,services';
    const file = (phone: string, services: string) => Buffer.from(`${header2}\n${row(phone, services)}\n`);
    await runImport(deps, { source: 'acct', bytes: file('+33384000001', 'Aide aux démarches administratives') });
    const place = await placeOf('acct', 'j1');
    advanceDays(1);
    await updateLieu(deps, place.id, { telephone: '+33384000002' }, { kind: 'account', id: 'gestionnaire-dole' });
    advanceDays(1);
    const report = await runImport(deps, { source: 'acct', bytes: file('+33384000003', 'Aide aux démarches administratives|Loisirs et créations numériques') });
    expect(report.stats).toMatchObject({ updated: 1, warnings: 1 });
    expect(report.problems).toEqual([expect.objectContaining({ field: 'telephone', value: '+33384000003', severity: 'warning', message: expect.stringMatching(/^Valeur non appliquée/) })]);
    const after = await placeOf('acct', 'j1');
    expect(after.telephone).toBe('+33384000002');
    expect(after.services).toEqual(['Aide aux démarches administratives', 'Loisirs et créations numériques']);
  });
});

describe('runImport of a file identical to the last run', () => {
  it('recognises every row without reading the file again, reports the same row errors, writes nothing else', async () => {
    await addSource(deps, { name: 'same', producer: 'Département de la Côte-d’Or' });
    const bad = 'z2,123,Espace sans code postal,Nevers,580,,1 rue Nulle,,,2024-05-02,';
    const bytes = csv(rowD.replace('d4', 'z1').replace('Lons-le-Saunier,39000', 'Lons-le-Saunier,39000').replace('France services', 'Maison France services'), bad);
    const first = await runImport(deps, { source: 'same', bytes });
    expect(first.stats).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    expect(first.stages).toHaveProperty('read');
    const before = await counts();
    advanceDays(1);
    const again = await runImport(deps, { source: 'same', bytes, fileName: 'same.csv' });
    expect(again.stages).not.toHaveProperty('read'); // the file was not read
    expect(again.stats).toMatchObject({ read: 2, accepted: 1, rejected: 1, new: 0, updated: 0, unchanged: 1, removed: 0 });
    expect(again.problems.map((p) => [p.row, p.field])).toEqual(first.problems.map((p) => [p.row, p.field]));
    const after = await counts();
    expect({ ...after, import_errors: before.import_errors }).toEqual(before);
    expect(after.import_errors).toBe(before.import_errors + first.problems.length);
    const z1 = await handle.db
      .selectFrom('lieu_sources')
      .innerJoin('sources', 'sources.id', 'lieu_sources.source_id')
      .select('last_seen_at')
      .where('sources.name', '=', 'same')
      .where('external_id', '=', 'z1')
      .executeTakeFirstOrThrow();
    expect(new Date(z1.last_seen_at).toISOString()).toBe(now.toISOString());
    // a changed file takes the full path again
    const changed = await runImport(deps, { source: 'same', bytes: Buffer.concat([bytes, Buffer.from('\n')]) });
    expect(changed.stages).toHaveProperty('read');
    expect(changed.stats).toMatchObject({ unchanged: 1, rejected: 1 });
  });
});

