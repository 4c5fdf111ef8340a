// Scheduled and on-demand syncs as pg-boss jobs, against a real migrated database (PGlite, or
// PostgreSQL with DATABASE_URL) and a local HTTP server on 127.0.0.1 serving the feeds: the
// syncs run with private addresses allowed (MAILLAGE_SOURCES_ALLOW_PRIVATE), except where the
// refusal itself is tested.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { ValidationError } from '../../lib/errors.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource, getSource } from './sources.use-cases.ts';
import { closeSourceJobs, enqueueDueSyncs, enqueueSync, listSyncJobs, openSourceJobs, processAvailableJobs, startSyncWorker, syncQueue, type SourceJobs, type SyncDeps, type SyncJob } from './sources.jobs.ts';
import { createSourceAs } from './sources.back-office.ts';
import type { AccountPrincipal } from '../accounts/authorize.ts';
import type { Resolver } from '../../lib/public-address.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services';
const feed = [
  header,
  'a1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02,Aide aux démarches administratives',
  'b2,21210231500017,EPN de la Fontaine d’Ouche,Dijon,21000,21231,2 place de la Fontaine d’Ouche,47.3150,5.0050,2024-05-02,Loisirs et créations numériques',
].join('\n');

let handle: DbHandle;
let deps: SyncDeps;
let jobs: SourceJobs;
let server: http.Server;
let base: string;
const hits = new Map<string, number>();
let active = 0;
let maxActive = 0;
let releaseSlow: (() => void) | null = null;
let slowReleased = false;
const now = { value: new Date('2025-03-01T12:00:00Z') };

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock: { now: () => new Date(now.value) }, territories, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-jobs-')), allowPrivateAddresses: true };
  jobs = await openSourceJobs(handle.db, { retryLimit: 2, retryDelaySeconds: 1 });
  server = http.createServer(async (request, response) => {
    hits.set(request.url!, (hits.get(request.url!) ?? 0) + 1);
    active++;
    maxActive = Math.max(maxActive, active);
    try {
      if (request.url === '/lent.csv' && !slowReleased) await new Promise<void>((resolve) => (releaseSlow = resolve));
      if (request.url === '/panne.csv') {
        response.writeHead(503).end('maintenance');
        return;
      }
      if (request.url === '/absent.csv') {
        response.writeHead(404).end('not found');
        return;
      }
      if (request.url === '/colonnes.csv') {
        response.writeHead(200, { 'content-type': 'text/csv' }).end('identifiant;libelle\n1;EPN');
        return;
      }
      if (request.url === '/tout-rejete.csv') {
        response.writeHead(200, { 'content-type': 'text/csv' }).end(`${header}\nz1,21580194700019,Sans commune,,,,,,,2024-05-02,`);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(feed);
    } finally {
      active--;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await closeSourceJobs(jobs);
  await handle.close();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(deps.dataDir, { recursive: true, force: true });
});

const source = (name: string) => getSource(deps, name);
const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('schedules', () => {
  it('rejects a malformed cron expression with a French message naming the field', async () => {
    for (const schedule of ['61 3 * * *', '0 3 * *', 'tous les jours']) {
      const error = await addSource(deps, { name: 'mauvais-cron', producer: 'Réseau', schedule }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      const field = (error as ValidationError).errors.find((e) => e.field === 'schedule');
      expect(field?.message).toMatch(/^La planification doit être une expression cron/);
    }
    await expect(source('mauvais-cron')).rejects.toThrow(/Aucune source/);
  });

  it('enqueues a due schedule once, however often and by how many schedulers it is checked', async () => {
    await addSource(deps, { name: 'planifiee', producer: 'Département de la Nièvre', location: `${base}/lieux.csv`, schedule: '0 3 * * *' });
    // A schedule without a location has nothing to fetch: never queued.
    await addSource(deps, { name: 'sans-emplacement', producer: 'Réseau', schedule: '0 3 * * *' });
    const planned = await source('planifiee');
    // 3 h in Paris on 2 March 2025 (winter time) is 02:00 UTC.
    const row = await handle.db.selectFrom('sources').select('next_sync_at').where('id', '=', planned.id).executeTakeFirstOrThrow();
    expect(new Date(row.next_sync_at!).toISOString()).toBe('2025-03-02T02:00:00.000Z');
    expect(planned.next_sync_at).toBe('2025-03-02T02:00:00.000Z');

    expect((await enqueueDueSyncs(deps, jobs, new Date('2025-03-02T01:59:00Z'))).enqueued).toEqual([]);
    expect((await enqueueDueSyncs(deps, jobs, new Date('2025-03-02T02:00:00Z'))).enqueued).toEqual(['planifiee']);
    expect((await enqueueDueSyncs(deps, jobs, new Date('2025-03-02T02:00:30Z'))).enqueued).toEqual([]);
    expect((await enqueueDueSyncs(deps, jobs, new Date('2025-03-02T14:00:00Z'))).enqueued).toEqual([]);
    let list = await listSyncJobs(handle.db, jobs, planned.id);
    expect(list.map((j) => [j.status, j.trigger, j.attempts])).toEqual([['queued', 'schedule', 0]]);

    // Next slot, two schedulers at once: one claims it; the job already waiting absorbs it.
    const both = await Promise.all([enqueueDueSyncs(deps, jobs, new Date('2025-03-03T02:00:00Z')), enqueueDueSyncs(deps, jobs, new Date('2025-03-03T02:00:00Z'))]);
    expect(both.flatMap((r) => [...r.enqueued, ...r.alreadyQueued])).toEqual(['planifiee']);
    list = await listSyncJobs(handle.db, jobs, planned.id);
    expect(list).toHaveLength(1);

    // Once it ran, the following slot queues a new job.
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 1, failed: 0 });
    expect((await enqueueDueSyncs(deps, jobs, new Date('2025-03-04T02:00:00Z'))).enqueued).toEqual(['planifiee']);
    list = await listSyncJobs(handle.db, jobs, planned.id);
    expect(list.map((j) => j.status)).toEqual(['queued', 'succeeded']);
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 1, failed: 0 });
  });
});

describe('sync jobs', () => {
  it('runs an import of the source’s URL and records the run on the job', async () => {
    const added = await addSource(deps, { name: 'reseau-bfc', producer: 'Hub BFC', location: `${base}/bfc.csv` });
    const id = await enqueueSync(jobs, added, 'manual');
    expect(id).toBeTruthy();
    expect(await enqueueSync(jobs, added, 'manual')).toBeNull(); // one waiting job per source
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 1, failed: 0 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job).toMatchObject({ id, status: 'succeeded', trigger: 'manual', attempts: 1, error: null });
    const run = await handle.db.selectFrom('import_runs').selectAll().where('id', '=', job!.run_id!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ source_id: added.id, status: 'succeeded', read: 2, accepted: 2, file_name: `${base}/bfc.csv` });
    const places = await handle.db.selectFrom('lieu_sources').select('external_id').where('source_id', '=', added.id).orderBy('external_id').execute();
    expect(places.map((p) => p.external_id)).toEqual(['a1', 'b2']);
    expect(hits.get('/bfc.csv')).toBe(1);
  });

  it('retries a failing download with growing delays, then marks the job failed with a French reason', async () => {
    const added = await addSource(deps, { name: 'panne', producer: 'Réseau en panne', location: `${base}/panne.csv` });
    await enqueueSync(jobs, added, 'manual');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = Date.now();
      let job = (await listSyncJobs(handle.db, jobs, added.id))[0]!;
      await waitFor(() => Date.now() > new Date(job.start_after).getTime() + 50, 10_000);
      expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 1 });
      job = (await listSyncJobs(handle.db, jobs, added.id))[0]!;
      expect(job.attempts).toBe(attempt);
      expect(job.error).toMatch(/^Source « panne » : le serveur a répondu HTTP 503 pour http:\/\/127\.0\.0\.1:\d+\/panne\.csv/);
      expect(job.failure).toBe('network');
      if (attempt < 3) {
        expect(job.status).toBe('queued');
        const at = new Date(job.start_after).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
        expect(job.summary).toBe(`Échec réseau — nouvelle tentative à ${at} : ${job.error!.replace(/\.$/, '')}.`);
        delays.push(new Date(job.start_after).getTime() - before);
      } else {
        expect(job.summary).toMatch(/^Échec réseau — plus de nouvelle tentative après 3 essais : Source « panne » : le serveur a répondu HTTP 503/);
        expect(job.status).toBe('failed');
        expect(job.finished_at).not.toBeNull();
      }
    }
    // Backoff with 1 s: the first retry waits 1–2 s, the second 2–4 s.
    expect(delays[0]).toBeGreaterThanOrEqual(900);
    expect(delays[0]).toBeLessThan(2_600);
    expect(delays[1]).toBeGreaterThanOrEqual(1_900);
    expect(hits.get('/panne.csv')).toBe(3);
    // Nothing left to run: a failed job is not retried again.
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 0 });
  }, 30_000);

  it('never runs two jobs of one source at the same time', async () => {
    const added = await addSource(deps, { name: 'lent', producer: 'Réseau lent', location: `${base}/lent.csv` });
    await enqueueSync(jobs, added, 'manual');
    maxActive = 0;
    const first = processAvailableJobs(deps, jobs);
    await waitFor(() => releaseSlow !== null);
    // While the first job downloads, a second one is queued and another worker looks for work.
    expect(await enqueueSync(jobs, added, 'manual')).toBeTruthy();
    expect((await listSyncJobs(handle.db, jobs, added.id)).map((j) => j.status).sort()).toEqual(['queued', 'running']);
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 0 });
    slowReleased = true;
    releaseSlow!();
    expect(await first).toEqual({ succeeded: 2, failed: 0 });
    expect(hits.get('/lent.csv')).toBe(2);
    expect(maxActive).toBe(1);
    const runs = await handle.db.selectFrom('import_runs').select('status').where('source_id', '=', added.id).execute();
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('fails with a French message when a file location is missing', async () => {
    const added = await addSource(deps, { name: 'fichier-absent', producer: 'Réseau', location: path.join(deps.dataDir, 'absent.csv') });
    await enqueueSync(jobs, added, 'cli');
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job!.error).toBe(`Source « fichier-absent » : lecture impossible de « ${path.join(deps.dataDir, 'absent.csv')} » (le fichier n’existe pas).`);
    // The file may be put back: retried, unlike a wrong file.
    expect(job).toMatchObject({ status: 'queued', failure: 'location' });
    expect(job!.summary).toMatch(/^Fichier inaccessible — nouvelle tentative (le \S+ )?à \d\d:\d\d : Source « fichier-absent » : lecture impossible/);
    await jobs.boss.cancel(syncQueue, job!.id); // its retry would run in the next tests
  });
});

describe('failures that a retry cannot fix', () => {
  const runsOf = (sourceId: string) => handle.db.selectFrom('import_runs').select(['status', 'error', 'read', 'rejected']).where('source_id', '=', sourceId).execute();

  it('fails a file with unknown columns at once, saying it will not be retried, in the job and the run', async () => {
    const added = await addSource(deps, { name: 'colonnes', producer: 'Réseau', location: `${base}/colonnes.csv` });
    await enqueueSync(jobs, added, 'manual');
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, failure: 'file' });
    expect(job!.error).toMatch(/^Colonnes non reconnues \(identifiant, libelle\)/);
    expect(job!.summary).toMatch(/^Fichier invalide : Colonnes non reconnues \(identifiant, libelle\) .* — pas de nouvelle tentative\.$/);
    expect(job!.finished_at).not.toBeNull();
    // Nothing waits for a retry, even once its delay would have passed.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 0 });
    expect(hits.get('/colonnes.csv')).toBe(1);
    const runs = await runsOf(added.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs[0]!.error).toBe(job!.summary);
  });

  it('fails a file whose every row is rejected at once, and records its run as failed', async () => {
    const added = await addSource(deps, { name: 'tout-rejete', producer: 'Réseau', location: `${base}/tout-rejete.csv` });
    await enqueueSync(jobs, added, 'manual');
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, failure: 'file', error: 'La seule ligne du fichier n’est pas utilisable (détail dans les erreurs de l’import).' });
    expect(job!.summary).toBe('Fichier invalide : La seule ligne du fichier n’est pas utilisable (détail dans les erreurs de l’import) — pas de nouvelle tentative.');
    const runs = await runsOf(added.id);
    expect(runs).toEqual([{ status: 'failed', error: 'Fichier invalide : la seule ligne du fichier n’est pas utilisable (détail dans les erreurs de l’import) — pas de nouvelle tentative.', read: 1, rejected: 1 }]);
  });

  it('does not retry an address its server says is wrong (HTTP 404): the next scheduled sync will try it again', async () => {
    const added = await addSource(deps, { name: 'absente', producer: 'Réseau', location: `${base}/absent.csv` });
    await enqueueSync(jobs, added, 'manual');
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, failure: 'address' });
    expect(job!.error).toMatch(/^Source « absente » : le serveur a répondu HTTP 404 pour http:\/\/127\.0\.0\.1:\d+\/absent\.csv ; le fichier précédent est conservé\.$/);
    expect(job!.summary).toBe(`${job!.error!.replace(/\.$/, '')} — pas de nouvelle tentative.`);
    expect(hits.get('/absent.csv')).toBe(1);
  });

  it('refuses a loopback URL at sync time unless private addresses are allowed, and does not retry', async () => {
    const added = await addSource(deps, { name: 'boucle', producer: 'Réseau', location: `${base}/boucle.csv` });
    await enqueueSync(jobs, added, 'manual');
    expect(await processAvailableJobs({ ...deps, allowPrivateAddresses: false }, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await listSyncJobs(handle.db, jobs, added.id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1, failure: 'address' });
    expect(job!.error).toBe('Cette adresse pointe vers un réseau privé : 127.0.0.1, adresse de bouclage (la machine elle-même).');
    expect(job!.summary).toBe('Cette adresse pointe vers un réseau privé : 127.0.0.1, adresse de bouclage (la machine elle-même) — pas de nouvelle tentative.');
    expect(hits.get('/boucle.csv')).toBeUndefined();
    // Allowed (MAILLAGE_SOURCES_ALLOW_PRIVATE=true): the same source syncs.
    await enqueueSync(jobs, added, 'manual');
    expect(await processAvailableJobs(deps, jobs)).toEqual({ succeeded: 1, failed: 0 });
    expect(hits.get('/boucle.csv')).toBe(1);
  });

  it('the worker of `maillage serve` does not retry a wrong file either', async () => {
    const added = await addSource(deps, { name: 'colonnes-worker', producer: 'Réseau', location: `${base}/colonnes.csv` });
    await startSyncWorker(deps, jobs, 0.5);
    try {
      await enqueueSync(jobs, added, 'manual');
      let job: SyncJob | undefined;
      const end = Date.now() + 15_000;
      while (Date.now() < end) {
        job = (await listSyncJobs(handle.db, jobs, added.id))[0];
        if (job?.status === 'failed' || job?.status === 'succeeded' || (job?.attempts ?? 0) > 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(job).toMatchObject({ status: 'failed', attempts: 1, max_attempts: 1, failure: 'file' });
      expect(job!.summary).toMatch(/^Fichier invalide : Colonnes non reconnues .* — pas de nouvelle tentative\.$/);
    } finally {
      await jobs.boss.offWork(syncQueue);
    }
  }, 30_000);
});

describe('sources saved from the back-office', () => {
  const admin: AccountPrincipal = { id: '00000000-0000-4000-8000-0000000000aa', role: 'administrateur', scopes: [] };

  it('refuses a URL pointing to a private address, naming the field, and accepts it when allowed', async () => {
    const form = { producer: 'Réseau', location: 'http://10.0.0.8/lieux.csv' };
    const error = await createSourceAs({ ...deps, allowPrivateAddresses: false }, admin, { ...form, name: 'intranet' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ field: 'location', value: 'http://10.0.0.8/lieux.csv', message: 'Cette adresse pointe vers un réseau privé : 10.0.0.8, réseau privé (RFC 1918).' }]);
    const metadata = await createSourceAs({ ...deps, allowPrivateAddresses: false }, admin, { ...form, name: 'metadonnees', location: 'http://169.254.169.254/latest/' }).catch((e: unknown) => e);
    expect((metadata as ValidationError).errors[0]!.message).toMatch(/^Cette adresse pointe vers un réseau privé : 169\.254\.169\.254, adresse lien-local/);
    const resolve: Resolver = async () => [{ address: 'fd00::12', family: 6 }];
    const named = await createSourceAs({ ...deps, allowPrivateAddresses: false, resolve }, admin, { ...form, name: 'nom-prive', location: 'https://flux.interne.example/lieux.csv' }).catch((e: unknown) => e);
    expect((named as ValidationError).errors[0]!.message).toBe('Cette adresse pointe vers un réseau privé : flux.interne.example (fd00::12), réseau privé IPv6 (fc00::/7).');
    for (const name of ['intranet', 'metadonnees', 'nom-prive']) await expect(source(name)).rejects.toThrow(/Aucune source/);
    const allowed = await createSourceAs({ ...deps, allowPrivateAddresses: true }, admin, { ...form, name: 'intranet' });
    expect(allowed.location).toBe('http://10.0.0.8/lieux.csv');
  });
});
