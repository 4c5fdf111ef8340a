import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { systemClock } from '../lib/clock.ts';
import { ImportFileError } from '../modules/imports/imports.errors.ts';
import type { ImportDeps } from '../modules/imports/imports.use-cases.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';
import { importCommand, importErrorsCommand } from './import.command.ts';
import { sourcesAdd, sourcesList, sourcesShow, sourcesSync } from './sources.command.ts';

const referenceDir = path.resolve('../shared/data');
const fixtures = path.resolve('test/fixtures/imports');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-import-cli-'));

describe('maillage import / sources (functions)', () => {
  let handle: DbHandle;
  let deps: ImportDeps;
  let lines: string[] = [];
  const out = (text: string) => lines.push(text);
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock: systemClock, territories: createTerritories({ referenceDir }) };
    server = http.createServer((req, res) => {
      if (req.url === '/lieux.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(fs.readFileSync(path.join(fixtures, 'standard-v1.json')));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await handle?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('adds, lists and shows sources; rejects a bad mapping in French', async () => {
    await sourcesAdd(deps, 'nievre', { producer: 'Département de la Nièvre' }, out);
    await sourcesAdd(deps, 'cd24', { producer: 'Département de la Dordogne', format: 'mapping', mapping: path.join(fixtures, 'tableau-departement.mapping.json'), priority: '120' }, out);
    expect(lines.join('')).toBe('Source créée : nievre (Département de la Nièvre)\nSource créée : cd24 (Département de la Dordogne)\n');
    const badMapping = path.join(tmp, 'mapping.json');
    fs.writeFileSync(badMapping, '{"fields": {"nom_lieu": "Nom"}}');
    await expect(sourcesAdd(deps, 'autre', { producer: 'X', mapping: badMapping }, out)).rejects.toMatchObject({
      errors: [{ field: 'mapping', message: 'Mapping invalide : « nom_lieu » n\'est pas un champ du standard.' }],
    });
    await expect(sourcesAdd(deps, 'nievre', { producer: 'Doublon' }, out)).rejects.toThrow('Une source s’appelle déjà « nievre ».');
    lines = [];
    await sourcesList(deps, out);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^cd24 · Département de la Dordogne · format mapping · priorité 120 · 0 lieu\(x\) · dernier import : jamais/);
  });

  it('imports a file, prints the summary, and exports the row errors as CSV', async () => {
    const file = path.join(tmp, 'nievre.csv');
    fs.writeFileSync(
      file,
      'id,pivot,nom,commune,code_postal,adresse,date_maj\nn1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,12 rue du Commandant Rivière,2024-05-02\nn2,21580194700019,Sans date,Nevers,58000,1 rue Nulle,hier\n',
    );
    lines = [];
    const progress: number[] = [];
    const report = await importCommand(deps, file, { source: 'nievre' }, out, (done) => progress.push(done));
    expect(progress).toEqual([1, 2]);
    const summary = lines.join('');
    expect(summary).toContain('Import terminé');
    expect(summary).toMatch(/lignes lues\s+2\n/);
    expect(summary).toMatch(/nouveaux lieux\s+1\n/);
    expect(summary).toMatch(/rejetées\s+1\n/);
    expect(summary).toMatch(/rattachés à un lieu\s+0\n/);
    expect(summary).toContain('ligne 3, date_maj : La date de mise à jour « hier » n’est pas une date valide');
    expect(summary).toContain(`maillage import-errors ${report.runId}`);
    const csvFile = path.join(tmp, 'erreurs.csv');
    await importErrorsCommand(deps, report.runId, csvFile, out);
    expect(fs.readFileSync(csvFile, 'utf8')).toMatch(/^\uFEFFligne;champ;valeur;message;gravite\n3;date_maj;hier;La date/);
    lines = [];
    await sourcesShow(deps, 'nievre', out);
    expect(lines.join('')).toMatch(/réussi · [0-9a-f-]{36} · 2 lues, 1 acceptées, 1 rejetées, 1 nouvelles/);
  });

  it('refuses a wrong file, format or source with French errors', async () => {
    await expect(importCommand(deps, path.join(tmp, 'absent.csv'), { source: 'nievre' }, out)).rejects.toThrow(/introuvable/);
    await expect(importCommand(deps, tmp, { source: 'nievre' }, out)).rejects.toThrow(/est un dossier/);
    await expect(importCommand(deps, path.join(fixtures, 'standard-v1.csv'), { source: 'nievre', format: 'xml' }, out)).rejects.toThrow(/Format « xml » inconnu/);
    await expect(importCommand(deps, path.join(fixtures, 'standard-v1.csv'), { source: 'personne' }, out)).rejects.toThrow(/Aucune source ne s’appelle « personne »/);
    await expect(importErrorsCommand(deps, 'pas-un-id', undefined, out)).rejects.toThrow(/Aucun import/);
    const binary = path.join(tmp, 'photo.csv');
    fs.writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await expect(importCommand(deps, binary, { source: 'nievre' }, out)).rejects.toThrow(/Le fichier semble binaire/);
  });

  it('syncs a source from its URL, served locally', async () => {
    await sourcesAdd(deps, 'bzh', { producer: 'Région Bretagne', location: `${baseUrl}/lieux.json` }, out);
    lines = [];
    // The feed is on 127.0.0.1: refused unless private addresses are allowed (MAILLAGE_SOURCES_ALLOW_PRIVATE).
    await expect(sourcesSync(deps, 'bzh', {}, out)).rejects.toThrow(/a échoué : Cette adresse pointe vers un réseau privé : 127\.0\.0\.1/);
    await sourcesSync({ ...deps, allowPrivateAddresses: true }, 'bzh', {}, out);
    expect(lines.join('')).toMatch(/nouveaux lieux\s+2\n/);
    await sourcesAdd(deps, 'absente', { producer: 'X', location: `${baseUrl}/absent.json` }, out);
    await expect(sourcesSync({ ...deps, allowPrivateAddresses: true }, 'absente', {}, out)).rejects.toThrow(new ImportFileError(`Le téléchargement de « ${baseUrl}/absent.json » a échoué : réponse HTTP 404.`));
  });
});

describe('maillage import (subprocess)', () => {
  it('prints a French error for a missing file and exits with 1, without a stack trace', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-import-data-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAILLAGE_DATA_DIR: dataDir, MAILLAGE_SEED_DEMO: 'false', MAILLAGE_REFERENCE_DIR: referenceDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL; // a throwaway PGlite store, never the shared test server
    const run = (args: string[]) =>
      promisify(execFile)('node', ['bin/maillage.js', ...args], { env, timeout: 120_000 }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    try {
      const result = await run(['import', path.join(dataDir, 'absent.csv'), '--source', 'essai']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Erreur : Le fichier « ${path.join(dataDir, 'absent.csv')} » est introuvable.\n`);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 200_000);
});
