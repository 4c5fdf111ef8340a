// The geocoding stage of imports against a local BAN server and a real database (PGlite, or
// PostgreSQL with DATABASE_URL): which records are looked up, acceptance rules, the persistent
// cache (a second run asks nothing), offline and unreachable fallbacks, and a whole import run
// where a place without coordinates gets its geocoded position.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { banAddresses, startBanServer, type BanServer } from '../../../test/helpers/ban-server.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { checkPosition } from './imports.coordinates.ts';
import type { SourceRecord } from './imports.fields.ts';
import { createBanGeocoder } from './imports.geocoder.ts';
import { geocodeRecords, geocodingNeed, judgeAnswer, minimumScore, notFoundRetryDays } from './imports.geocoding.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { runImport } from './imports.use-cases.ts';
import { formatSummary } from '../../bin/import.command.ts';
import { sourcesShow, sourcesSync } from '../../bin/sources.command.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });

let handle: DbHandle;
let ban: BanServer;
let now = new Date('2025-03-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const geocoder = () => createBanGeocoder({ url: ban.url, backoffMs: 1, retries: 1 });

const record = (row: number, lieu: SourceRecord['lieu']): SourceRecord => ({ row, externalId: `r${row}`, raw: lieu, lieu });
const nevers = { commune: 'Nevers', code_postal: '58000', code_insee: '58194' };
const records = [
  record(2, { nom: 'Médiathèque', ...nevers, adresse: '12 rue du Commandant Rivière' }),
  record(3, { nom: 'Zéro', ...nevers, adresse: '12 rue du Commandant Rivière', latitude: '0', longitude: '0' }),
  record(4, { nom: 'Loin', ...nevers, adresse: '12 rue du Commandant Rivière', latitude: '43.2965', longitude: '5.3698' }),
  record(5, { nom: 'Inconnue', ...nevers, adresse: '99 chemin inconnu' }),
  record(6, { nom: 'Imprécise', ...nevers, adresse: 'rue des Tanneries' }),
  record(7, { nom: 'Bourg', ...nevers, adresse: 'lieu-dit le Bourg' }),
  record(8, { nom: 'Placée', ...nevers, adresse: '12 rue du Commandant Rivière', latitude: '46.99', longitude: '3.16' }),
  record(9, { nom: 'France services', commune: 'Château-Chinon (Ville)', code_postal: '58120', adresse: '2 place Saint-Romain' }),
  record(10, { nom: 'Sans adresse', ...nevers }),
];

beforeAll(async () => {
  handle = await createTestDatabase();
  ban = await startBanServer(banAddresses);
});
afterAll(async () => {
  await ban?.close();
  await handle?.close();
});
afterEach(() => {
  ban.faults.length = 0;
});

describe('which records are geocoded', () => {
  it('those without coordinates, with zero or dropped ones; never those with a usable position or no address', () => {
    const needed = records.map((r) => [r.row, geocodingNeed(r, territories) !== null]);
    expect(needed).toEqual([
      [2, true],
      [3, true],
      [4, true],
      [5, true],
      [6, true],
      [7, true],
      [8, false],
      [9, true],
      [10, false],
    ]);
    // the key folds case and accents; the INSEE code is resolved from the postal code and name
    expect(geocodingNeed(records[7]!, territories)!.key).toBe('2 place saint romain|58120|58062');
    expect(geocodingNeed(record(1, { ...nevers, adresse: '12 RUE DU COMMANDANT RIVIERE' }), territories)!.key).toBe(geocodingNeed(records[0]!, territories)!.key);
  });

  it('accepts an address or street inside the stated commune above the score threshold only', () => {
    const need = geocodingNeed(records[0]!, territories)!;
    const answer = { latitude: 46.98955, longitude: 3.15868, label: '12 Rue du Commandant Rivière 58000 Nevers', score: 0.93, type: 'housenumber', citycode: '58194' };
    expect(judgeAnswer(need, answer)).toMatchObject({ status: 'found', latitude: 46.98955 });
    expect(judgeAnswer(need, { ...answer, score: minimumScore - 0.01 })).toMatchObject({ status: 'refused', message: expect.stringMatching(/trop peu de certitude.*score 0,59 sous le seuil de 0,6/) });
    expect(judgeAnswer(need, { ...answer, citycode: '58086' })).toMatchObject({ status: 'refused', message: expect.stringMatching(/n’est pas dans la commune indiquée \(Nevers, 58194\)/) });
    expect(judgeAnswer(need, { ...answer, type: 'municipality' })).toMatchObject({ status: 'refused', message: expect.stringMatching(/^Seule la commune/) });
    expect(judgeAnswer(need, null)).toMatchObject({ status: 'refused', message: expect.stringMatching(/^Adresse introuvable/) });
  });

  it('Paris: an arrondissement answer matches the city, filtered on the postal code', () => {
    const paris = geocodingNeed(record(1, { commune: 'Paris', adresse: '10 place des Cinq Martyrs du Lycée Buffon' }), territories)!;
    expect(paris.query.citycode).toBeNull();
    const answer = { latitude: 48.838411, longitude: 2.316754, label: '10 Pl des Cinq Martyrs du Lycee Buffon 75015 Paris', score: 0.87, type: 'housenumber', citycode: '75115' };
    expect(judgeAnswer(paris, answer).status).toBe('found');
  });
});

describe('geocodeRecords', () => {
  it('sends the missing addresses in one batch, caches every answer, and the second run asks nothing', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    const first = await geocodeRecords(records, deps);
    expect(first.report).toMatchObject({ service: 'enabled', needed: 7, fromCache: 0, requested: 5, found: 4, refused: 3, unavailable: 0, error: null, notes: [] });
    // one CSV request per filter kind: all these rows have a resolved INSEE code
    expect(ban.requests.map((r) => [r.method, r.path])).toEqual([['POST', '/search/csv/']]);
    expect(first.report.requests).toBe(1);
    expect(first.positions.get(2)).toMatchObject({ status: 'found', latitude: 46.98955, longitude: 3.15868 });
    expect(first.positions.get(9)).toMatchObject({ status: 'found', latitude: 47.06402 });
    expect(first.positions.get(5)).toMatchObject({ status: 'refused' });
    expect(first.positions.get(6)).toMatchObject({ status: 'refused' });
    expect(first.positions.get(7)).toMatchObject({ status: 'refused' });
    expect(first.positions.has(8)).toBe(false);
    const cached = await handle.db.selectFrom('geocoding_cache').selectAll().orderBy('address_key').execute();
    expect(cached.map((c) => [c.address_key, c.found])).toEqual([
      ['12 rue du commandant riviere|58000|58194', true],
      ['2 place saint romain|58120|58062', true],
      ['99 chemin inconnu|58000|58194', false],
      ['lieu dit le bourg|58000|58194', true],
      ['rue des tanneries|58000|58194', true],
    ]);

    const before = ban.requests.length;
    const second = await geocodeRecords(records, deps);
    expect(ban.requests.length).toBe(before);
    expect(second.report).toMatchObject({ needed: 7, fromCache: 7, requested: 0, requests: 0, found: 4, refused: 3 });
    expect([...second.positions]).toEqual([...first.positions]);
  });

  it('asks one address with GET /search/, and again for a "not found" older than the retry delay', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    ban.requests.length = 0;
    const one = await geocodeRecords([record(2, { nom: 'Lyon', commune: 'Vénissieux', code_postal: '69200', adresse: '11 avenue Jean Cagne' })], deps);
    expect(one.report).toMatchObject({ requested: 1, requests: 1, found: 1 });
    expect(ban.requests.map((r) => [r.method, r.path, r.query.get('citycode')])).toEqual([['GET', '/search/', '69259']]);

    const unknown = [records[3]!];
    expect((await geocodeRecords(unknown, deps)).report).toMatchObject({ fromCache: 1, requests: 0, refused: 1 });
    now = new Date(now.getTime() + (notFoundRetryDays + 1) * 86_400_000);
    expect((await geocodeRecords(unknown, deps)).report).toMatchObject({ fromCache: 0, requested: 1, requests: 1, refused: 1 });
  });

  it('offline (no geocoder): cached answers are used, the others keep the commune centre with a run-level note', async () => {
    const offline = await geocodeRecords([records[0]!, record(20, { nom: 'Nouvelle', ...nevers, adresse: '3 rue Nouvelle' })], { db: handle.db, clock, territories, geocoder: null });
    expect(offline.report).toMatchObject({ service: 'disabled', needed: 2, fromCache: 1, requested: 0, found: 1, unavailable: 1 });
    expect(offline.report.notes).toEqual(['Géocodage désactivé (MAILLAGE_GEOCODER_URL=off) : 1 lieu sans coordonnées utilisables placé au centre de leur commune (position approximative).']);
    expect(offline.positions.get(20)).toEqual({ status: 'unavailable' });
  });

  it('unreachable service: the run goes on, nothing is cached for the unanswered, the note gives the reason', async () => {
    ban.faults.push('server-error', 'server-error');
    const fresh = [record(30, { nom: 'A', ...nevers, adresse: '5 rue Neuve' }), record(31, { nom: 'B', ...nevers, adresse: '6 rue Neuve' })];
    const result = await geocodeRecords(fresh, { db: handle.db, clock, territories, geocoder: geocoder() });
    expect(result.report).toMatchObject({ service: 'enabled', needed: 2, unavailable: 2, requests: 2, found: 0 });
    expect(result.report.error).toMatch(/réponse HTTP 500/);
    expect(result.report.notes[0]).toMatch(/^Service d’adresses injoignable \(.*HTTP 500.*\) : 2 lieux sans coordonnées utilisables placés au centre de leur commune/);
    const cached = await handle.db.selectFrom('geocoding_cache').select('address_key').where('address_key', 'like', '%rue neuve%').execute();
    expect(cached).toEqual([]);
  });
});

describe('checkPosition with a geocoded position', () => {
  const found = { status: 'found' as const, latitude: 46.98955, longitude: 3.15868, label: '12 Rue du Commandant Rivière 58000 Nevers', score: 0.93 };
  it('fills a missing position silently, and says where a dropped one went', () => {
    expect(checkPosition(records[0]!.lieu, territories, 2, found)).toEqual({ lieu: { ...records[0]!.lieu, latitude: '46.98955', longitude: '3.15868' }, warnings: [] });
    const zero = checkPosition(records[1]!.lieu, territories, 3, found);
    expect(zero.lieu).toMatchObject({ latitude: '46.98955', longitude: '3.15868' });
    expect(zero.warnings.map((w) => w.message)).toEqual(['Coordonnées nulles (0) ignorées : le lieu est placé à l’adresse retrouvée dans la Base Adresse Nationale (« 12 Rue du Commandant Rivière 58000 Nevers »).']);
  });

  it('a refusal adds its warning on the address and keeps the commune centre', () => {
    const refused = checkPosition(records[1]!.lieu, territories, 3, { status: 'refused', message: 'Adresse introuvable…' });
    expect(refused.lieu).not.toHaveProperty('latitude');
    expect(refused.warnings.map((w) => [w.field, w.message.slice(0, 24)])).toEqual([
      ['latitude', 'Coordonnées nulles (0) i'],
      ['adresse', 'Adresse introuvable…'],
    ]);
  });

  it('leaves an unreadable position for validation to report', () => {
    const lieu = { ...records[0]!.lieu, latitude: 'quarante-six', longitude: '' };
    expect(checkPosition(lieu, territories, 2, found).lieu).toEqual(lieu);
  });
});

describe('runImport geocodes before its transaction', () => {
  const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services';
  const csv = (...rows: string[]) => Buffer.from(`${header}\n${rows.join('\n')}\n`);
  const sansPosition = 'g1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,,,2024-05-02,Aide aux démarches administratives';
  const zero = 'g2,21580194700019,Espace numérique des Bords de Loire,Nevers,58000,58194,12 rue du Commandant Rivière,0,0,2024-05-02,Aide aux démarches administratives';
  const inconnue = 'g3,21580194700019,Point numérique du Banlay,Nevers,58000,58194,40 rue du Banlay,,,2024-05-02,Aide aux démarches administratives';
  const placee = 'g4,21580194700019,France services de Nevers,Nevers,58000,58194,1 rue Charles Roy,46.9903,3.1605,2024-05-02,Aide aux démarches administratives';

  async function place(source: string, externalId: string) {
    return handle.db
      .selectFrom('lieu_sources')
      .innerJoin('sources', 'sources.id', 'lieu_sources.source_id')
      .innerJoin('lieux', 'lieux.id', 'lieu_sources.lieu_id')
      .select(['lieux.latitude', 'lieux.longitude', 'lieux.position_approximate'])
      .where('sources.name', '=', source)
      .where('lieu_sources.external_id', '=', externalId)
      .executeTakeFirstOrThrow();
  }

  it('an address without coordinates gets the geocoded position; refused ones the commune centre with a warning; the CLI summary says so', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    await addSource(deps, { name: 'geo-nievre', producer: 'Département de la Nièvre' });
    ban.requests.length = 0;
    const report = await runImport(deps, { source: 'geo-nievre', bytes: csv(sansPosition, zero, inconnue, placee) });
    expect(report.stats).toMatchObject({ read: 4, accepted: 4, new: 4, warnings: 2 });
    expect(report.geocoding).toMatchObject({ service: 'enabled', needed: 3, found: 2, refused: 1, unavailable: 0, notes: [] });
    expect(await place('geo-nievre', 'g1')).toEqual({ latitude: 46.98955, longitude: 3.15868, position_approximate: false });
    expect(await place('geo-nievre', 'g2')).toEqual({ latitude: 46.98955, longitude: 3.15868, position_approximate: false });
    const g3 = await place('geo-nievre', 'g3');
    expect(g3.position_approximate).toBe(true);
    expect(Math.abs(g3.latitude! - 46.99)).toBeLessThan(0.05);
    expect(await place('geo-nievre', 'g4')).toEqual({ latitude: 46.9903, longitude: 3.1605, position_approximate: false });
    expect(report.problems.map((p) => [p.row, p.field, p.severity, p.message])).toEqual([
      [3, 'latitude', 'warning', 'Coordonnées nulles (0) ignorées : le lieu est placé à l’adresse retrouvée dans la Base Adresse Nationale (« 12 Rue du Commandant Rivière 58000 Nevers »).'],
      [4, 'adresse', 'warning', 'Adresse introuvable dans la Base Adresse Nationale (« 40 rue du Banlay 58000 Nevers ») : le lieu est placé au centre de sa commune (position approximative).'],
    ]);
    const run = await handle.db.selectFrom('import_runs').select(['geocoding']).where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(run.geocoding).toMatchObject({ needed: 3, found: 2, refused: 1 });
    const summary = formatSummary(report, 'nievre.csv');
    expect(summary).toMatch(/à géocoder {13}3 \(sans coordonnées utilisables\)/);
    expect(summary).toMatch(/positions trouvées {3}2/);
    expect(summary).toMatch(/adresses demandées \d+ en 1 requête/);
  });

  it('a re-import of the same addresses (by another source) makes zero requests', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    await addSource(deps, { name: 'geo-copie', producer: 'Copie' });
    ban.requests.length = 0;
    const report = await runImport(deps, { source: 'geo-copie', bytes: csv(sansPosition, zero, inconnue) });
    expect(ban.requests).toEqual([]);
    expect(report.geocoding).toMatchObject({ needed: 3, fromCache: 3, requested: 0, requests: 0, found: 2, refused: 1 });
    expect(await place('geo-copie', 'g1')).toMatchObject({ latitude: 46.98955, position_approximate: false });
  });

  it('offline: the commune centre, flagged approximate, and the run report and summary say why', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: null };
    await addSource(deps, { name: 'geo-offline', producer: 'Hors ligne' });
    const nouvelle = 'o1,21580194700019,Tiers-lieu de la Pique,Nevers,58000,58194,8 rue de la Pique,,,2024-05-02,Aide aux démarches administratives';
    const report = await runImport(deps, { source: 'geo-offline', bytes: csv(nouvelle, sansPosition) });
    expect(report.geocoding).toMatchObject({ service: 'disabled', needed: 2, fromCache: 1, found: 1, unavailable: 1 });
    expect(report.geocoding.notes).toEqual([expect.stringMatching(/^Géocodage désactivé .* 1 lieu sans coordonnées utilisables placé au centre de leur commune/)]);
    expect(await place('geo-offline', 'o1')).toMatchObject({ position_approximate: true });
    expect(await place('geo-offline', 'g1')).toMatchObject({ latitude: 46.98955, position_approximate: false });
    expect(formatSummary(report, 'f.csv')).toContain('Attention : Géocodage désactivé');
    const run = await handle.db.selectFrom('import_runs').select(['geocoding']).where('id', '=', report.runId).executeTakeFirstOrThrow();
    expect(run.geocoding?.notes).toHaveLength(1);

    // Back online, the same file: the row left at its commune centre is processed and geocoded.
    const online = await runImport({ ...deps, geocoder: geocoder() }, { source: 'geo-offline', bytes: csv(nouvelle, sansPosition) });
    expect(online.stats).toMatchObject({ updated: 1, unchanged: 1 });
    expect(online.geocoding).toMatchObject({ service: 'enabled', found: 2, unavailable: 0, notes: [] });
    expect(await place('geo-offline', 'o1')).toEqual({ latitude: 46.98623, longitude: 3.15731, position_approximate: false });
    const again = await runImport({ ...deps, geocoder: geocoder() }, { source: 'geo-offline', bytes: csv(nouvelle, sansPosition) });
    expect(again.stats).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('maillage sources sync prints the geocoding figures', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-geo-'));
    try {
      const file = path.join(dir, 'flux.csv');
      fs.writeFileSync(file, csv('s1,21580194700019,Atelier numérique Saint-Romain,Château-Chinon (Ville),58120,58062,2 place Saint-Romain,,,2024-05-02,Aide aux démarches administratives'));
      const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
      await addSource(deps, { name: 'geo-flux', producer: 'Flux', location: file });
      let printed = '';
      await sourcesSync(deps, 'geo-flux', {}, (text) => (printed += text));
      expect(printed).toMatch(/à géocoder {13}1 \(sans coordonnées utilisables\)\n {4}positions trouvées {3}1\n/);
      expect(await place('geo-flux', 's1')).toEqual({ latitude: 47.06402, longitude: 3.93372, position_approximate: false });
      let shown = '';
      await sourcesShow(deps, 'geo-flux', (text) => (shown += text));
      expect(shown).toMatch(/1 nouvelles, .* 1\/1 géocodées\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migration 0011 has places imported before geocoding, left at their commune centre, processed again', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    await addSource(deps, { name: 'geo-ancien', producer: 'Ancien' });
    const file = csv(inconnue.replace('g3', 'm1'), placee.replace('g4', 'm2'));
    await runImport(deps, { source: 'geo-ancien', bytes: file });
    const skipped = await runImport(deps, { source: 'geo-ancien', bytes: file });
    expect([skipped.stats.unchanged, skipped.problems]).toEqual([2, []]);
    const migration = fs.readFileSync(path.resolve(import.meta.dirname, '../../db/migrations/0011_geocoding_cache.up.sql'), 'utf8');
    await sql.raw(migration.slice(migration.indexOf('UPDATE import_rows'))).execute(handle.db);
    const report = await runImport(deps, { source: 'geo-ancien', bytes: file });
    // m1 (commune centre) is looked at again; m2 (its own position) stays skipped
    expect(report.stats).toMatchObject({ unchanged: 2, updated: 0 });
    expect(report.problems.map((p) => [p.row, p.field])).toEqual([[2, 'adresse']]);
  });

  it('a dry run reports the geocoding too and writes no place', async () => {
    const deps = { db: handle.db, clock, territories, geocoder: geocoder() };
    await addSource(deps, { name: 'geo-dry', producer: 'Simulation' });
    const report = await runImport(deps, { source: 'geo-dry', bytes: csv(sansPosition), dryRun: true });
    expect(report.status).toBe('dry_run');
    expect(report.geocoding).toMatchObject({ needed: 1, found: 1 });
    const links = await handle.db.selectFrom('lieu_sources').innerJoin('sources', 'sources.id', 'lieu_sources.source_id').where('sources.name', '=', 'geo-dry').select('external_id').execute();
    expect(links).toEqual([]);
  });
});
