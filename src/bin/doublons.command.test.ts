import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { fixedClock } from '../lib/clock.ts';
import { ConflictError, ValidationError } from '../lib/errors.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';
import { createLieu, getLieu, type LieuxDeps } from '../modules/lieux/lieux.use-cases.ts';
import { scorePair } from '../modules/imports/imports.dedup.ts';
import { doublonsList, doublonsMerge, doublonsReject, doublonsSplit } from './doublons.command.ts';

const referenceDir = path.resolve('../shared/data');
const place = (nom: string, adresse: string, pivot = '00000000000000') => ({
  pivot,
  nom,
  commune: 'Dijon',
  code_postal: '21000',
  adresse,
  latitude: 47.315,
  longitude: 5.005,
  telephone: '03 80 00 00 00',
  date_maj: '2026-01-15',
});

describe('maillage doublons (functions)', () => {
  let handle: DbHandle;
  let deps: LieuxDeps;
  const lines: string[] = [];
  const out = (text: string) => lines.push(text);

  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock: fixedClock('2026-06-10T10:00:00Z'), territories: createTerritories({ referenceDir }) };
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lists pending pairs with score and signals, merges, splits and rejects', async () => {
    const a = await createLieu(deps, place('EPN de la Fontaine d’Ouche', '2 place de la Fontaine d’Ouche', '21210231500017'), { kind: 'cli' });
    const b = await createLieu(deps, { ...place('E.P.N. Fontaine d’Ouche', '2 pl. de la Fontaine d’Ouche'), horaires: 'Mo 14:00-18:00' }, { kind: 'cli' });
    const c = await createLieu(deps, place('Bibliothèque Fontaine d’Ouche', '2 place de la Fontaine d’Ouche', '21210231500017'), { kind: 'cli' });
    const rows = await handle.db.selectFrom('lieux').selectAll().execute();
    for (const [x, y] of [[a.id, b.id], [a.id, c.id]] as const) {
      const [first, second] = [x, y].sort() as [string, string];
      const score = scorePair({ ...rows.find((r) => r.id === first)! }, { ...rows.find((r) => r.id === second)! });
      await handle.db.insertInto('lieu_duplicates').values({ lieu_a: first, lieu_b: second, score: score.score, decision: score.decision === 'merge' ? 'merge' : 'review', signals: JSON.stringify(score.signals), reason: score.reason ?? null, found_run_id: null, found_at: new Date() }).execute();
    }

    lines.length = 0;
    const pairs = await doublonsList(deps, out);
    expect(pairs).toHaveLength(2);
    const text = lines.join('');
    expect(text).toContain(`${pairs[0]!.score}/100`);
    expect(text).toMatch(/nom \d+ %, adresse \d+ %, distance 0 m/);
    expect(text).toContain('2 paire(s) en-attente.');

    lines.length = 0;
    await doublonsMerge(deps, a.id, b.id, out);
    expect(lines.join('')).toContain(`Pour annuler : maillage doublons split ${b.id}`);
    expect((await getLieu(deps, a.id)).horaires).toBe('Mo 14:00-18:00');

    lines.length = 0;
    await doublonsSplit(deps, b.id, out);
    expect(lines.join('')).toContain('séparé de');
    expect((await getLieu(deps, a.id)).horaires).toBeNull();
    expect((await getLieu(deps, b.id)).status).toBe('published');

    lines.length = 0;
    await doublonsReject(deps, c.id, a.id, out);
    expect(lines.join('')).toContain('ne sera plus proposée');
    expect((await doublonsList(deps, () => {})).map((p) => [p.lieu_a.id, p.lieu_b.id].sort())).not.toContainEqual([a.id, c.id].sort());
    expect((await doublonsList(deps, () => {}, { statut: 'rejetes' })).length).toBe(2); // the split pair and the rejected one
  });

  it('refuses bad input in French', async () => {
    await expect(doublonsList(deps, out, { statut: 'tous' })).rejects.toBeInstanceOf(ValidationError);
    await expect(doublonsList(deps, out, { limite: '0' })).rejects.toBeInstanceOf(ValidationError);
    await expect(doublonsMerge(deps, 'pas-un-id', 'autre', out)).rejects.toThrow(/n’est pas celui d’un lieu/);
    const x = await createLieu(deps, place('Centre social', '3 rue A', '44306184100047'), { kind: 'cli' });
    const y = await createLieu(deps, place('Centre social', '3 rue A', '21210231500017'), { kind: 'cli' });
    await expect(doublonsMerge(deps, x.id, y.id, out)).rejects.toBeInstanceOf(ConflictError);
    await expect(doublonsSplit(deps, x.id, out)).rejects.toThrow(/rien à séparer/);
  });
});

describe('maillage doublons (subprocess)', () => {
  it('exits with 1 and a French message for an unknown place, without a stack trace', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-doublons-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAILLAGE_DATA_DIR: dataDir, MAILLAGE_SEED_DEMO: 'false', MAILLAGE_REFERENCE_DIR: referenceDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL; // always a throwaway PGlite store, never the shared test server
    try {
      const result = await promisify(execFile)('node', ['bin/maillage.js', 'doublons', 'split', '1b4e28ba-2fa1-41d2-883f-0016d3cca427'], { env, timeout: 120_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Aucun lieu ne porte l’identifiant « 1b4e28ba-2fa1-41d2-883f-0016d3cca427 »');
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
