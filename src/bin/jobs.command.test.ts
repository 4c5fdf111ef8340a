// `maillage jobs list|enqueue|run-due` as functions on a real database, and the
// MAILLAGE_JOBS settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/helpers/app.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { addSource } from '../modules/sources/sources.use-cases.ts';
import { closeSourceJobsFor } from '../modules/sources/sources.jobs.ts';
import { jobsEnqueue, jobsList, jobsRunDue } from './jobs.command.ts';

describe('MAILLAGE_JOBS settings', () => {
  it('reads on/off, retry limit and delay, and refuses nonsense in French', () => {
    expect(loadConfig({}).jobs).toEqual({ enabled: true, retryLimit: 3, retryDelaySeconds: 60 });
    expect(loadConfig({ MAILLAGE_JOBS: 'off', MAILLAGE_JOBS_RETRY_LIMIT: '5', MAILLAGE_JOBS_RETRY_DELAY: '10' }).jobs).toEqual({ enabled: false, retryLimit: 5, retryDelaySeconds: 10 });
    expect(loadConfig({ MAILLAGE_JOBS: 'on' }).jobs.enabled).toBe(true);
    expect(() => loadConfig({ MAILLAGE_JOBS: 'parfois' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAILLAGE_JOBS_RETRY_LIMIT: '-1' })).toThrow('MAILLAGE_JOBS_RETRY_LIMIT doit être un entier entre 0 et 20 (reçu « -1 »)');
  });
});

describe('maillage jobs (functions)', () => {
  let t: TestApp;
  let dir: string;
  let lines: string[] = [];
  const out = (text: string) => lines.push(text);

  beforeAll(async () => {
    t = await buildTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-jobs-cli-'));
    t.deps.config.dataDir = dir;
    t.deps.config.jobs = { enabled: true, retryLimit: 1, retryDelaySeconds: 60 };
    fs.writeFileSync(
      path.join(dir, 'lieux.csv'),
      'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj\nx1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02\n',
    );
    await addSource(t.deps, { name: 'fichier', producer: 'Réseau', location: path.join(dir, 'lieux.csv') });
    await addSource(t.deps, { name: 'absent', producer: 'Réseau', location: path.join(dir, 'absent.csv') });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('queues, runs and lists syncs with their French status', async () => {
    await jobsList(t.deps, {}, out);
    expect(lines.join('')).toBe('Aucune synchronisation en file ou récente.\n');
    lines = [];
    await jobsEnqueue(t.deps, 'fichier', out);
    await jobsEnqueue(t.deps, 'fichier', out);
    await jobsEnqueue(t.deps, 'absent', out);
    expect(lines[0]).toMatch(/^Synchronisation de « fichier » mise en file \([0-9a-f-]{36}\)\.\n$/);
    expect(lines[1]).toBe('Une synchronisation de « fichier » attend déjà son tour.\n');
    lines = [];
    await jobsRunDue(t.deps, out);
    expect(lines.join('')).toBe('Synchronisations exécutées : 1 réussie(s), 1 échouée(s) (les échecs réseau et les fichiers inaccessibles sont retentés plus tard, voir « maillage jobs list »).\n');
    lines = [];
    await jobsList(t.deps, {}, out);
    const text = lines.join('');
    // A missing file may be put back: retried, unlike a wrong file.
    expect(text).toMatch(/^absent · en attente · ligne de commande · tentatives 1\/2 · créée le .+ · Fichier inaccessible — nouvelle tentative (le \S+ )?à \d\d:\d\d : Source « absent » : lecture impossible de « .+absent\.csv » \(le fichier n’existe pas\)\.\n/m);
    expect(text).toMatch(/^fichier · réussie · ligne de commande · tentatives 1\/2 · créée le .+ · import [0-9a-f-]{36}\n/m);
    await closeSourceJobsFor(t.deps.db);
  });
});
