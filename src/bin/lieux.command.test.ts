import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { fixedClock } from '../lib/clock.ts';
import { ValidationError } from '../lib/errors.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';
import type { LieuxDeps } from '../modules/lieux/lieux.use-cases.ts';
import { lieuxAdd, lieuxHistory, lieuxRepublish, lieuxShow, lieuxUnpublish, lieuxUpdate } from './lieux.command.ts';

const referenceDir = path.resolve('../shared/data');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-lieux-cli-'));
const writeJson = (name: string, content: unknown) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const good = (nom: string) => ({
  pivot: '21750001600019',
  nom,
  commune: 'Paris',
  code_postal: '75015',
  adresse: '31 rue Péclet',
  date_maj: '2024-05-31',
});

describe('maillage lieux (functions)', () => {
  let handle: DbHandle;
  let deps: LieuxDeps;
  const lines: string[] = [];
  const out = (text: string) => lines.push(text);
  const count = async () => Number((await handle.db.selectFrom('lieux').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock: fixedClock('2026-06-10T10:00:00Z'), territories: createTerritories({ referenceDir }) };
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('adds one object or an array of places', async () => {
    lines.length = 0;
    const one = await lieuxAdd(deps, writeJson('one.json', good('Seul')), out);
    const two = await lieuxAdd(deps, writeJson('two.json', [good('Premier'), good('Second')]), out);
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(2);
    expect(lines.join('')).toMatch(/Lieu enregistré : [0-9a-f-]{36} — Premier \(Paris\)/);
    expect(lines.at(-1)).toBe('2 lieu(x) enregistré(s).\n');
  });

  it('writes nothing when any record is invalid, naming each record and field', async () => {
    const before = await count();
    const file = writeJson('bad.json', [good('Bon'), { ...good('Mauvais'), pivot: '12', code_postal: 'ABC' }, { ...good(''), date_maj: '31/02/2024' }]);
    const error = await lieuxAdd(deps, file, out).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/Aucun lieu n’a été enregistré/);
    expect(error.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'lieu n° 2 (index 1), champ code_postal',
      'lieu n° 2 (index 1), champ pivot',
      'lieu n° 3 (index 2), champ date_maj',
      'lieu n° 3 (index 2), champ nom',
    ]);
    expect(await count()).toBe(before);
  });

  it('explains missing files, broken JSON and wrong shapes in French', async () => {
    await expect(lieuxAdd(deps, path.join(tmp, 'absent.json'), out)).rejects.toThrow(/introuvable/);
    await expect(lieuxAdd(deps, writeJson('broken.json', '{"nom": '), out)).rejects.toThrow(/n’est pas du JSON valide/);
    await expect(lieuxAdd(deps, writeJson('empty.json', []), out)).rejects.toThrow(/aucun lieu/);
    await expect(lieuxAdd(deps, writeJson('numbers.json', [1, 2]), out)).rejects.toThrow(/objet ou une liste d’objets/);
  });

  it('updates, shows, unpublishes, republishes and tells the history', async () => {
    const [id] = await lieuxAdd(deps, writeJson('h.json', good('Historique')), out);
    lines.length = 0;
    await lieuxUpdate(deps, id!, writeJson('patch.json', { nom: 'Historique renommé', telephone: '01 23 45 67 89' }), out);
    await lieuxUpdate(deps, id!, writeJson('patch.json', { nom: 'Historique renommé' }), out);
    expect(lines).toEqual([`Lieu modifié : ${id} — Historique renommé\n`, `Aucun changement pour le lieu ${id}.\n`]);

    await expect(lieuxUpdate(deps, id!, writeJson('bad-patch.json', { code_postal: '7' }), out)).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'code_postal' })],
    });

    lines.length = 0;
    await lieuxShow(deps, id!, out);
    expect(JSON.parse(lines.join(''))).toMatchObject({ id, nom: 'Historique renommé', telephone: '+33123456789', status: 'published' });

    lines.length = 0;
    await lieuxUnpublish(deps, id!, out, 'Fermé');
    await lieuxUnpublish(deps, id!, out);
    await lieuxRepublish(deps, id!, out);
    expect(lines).toEqual([
      `Lieu dépublié : ${id} — Historique renommé\n`,
      `Le lieu ${id} était déjà dépublié.\n`,
      `Lieu republié : ${id} — Historique renommé\n`,
    ]);

    lines.length = 0;
    await lieuxHistory(deps, id!, out);
    const history = lines.join('');
    expect(history).toMatch(/version 1 · .* · création · cli\n/);
    expect(history).toContain('  nom : "Historique"\n');
    expect(history).toMatch(/version 2 · .* · modification · cli\n/);
    expect(history).toContain('  nom : "Historique" → "Historique renommé"\n');
    expect(history).toContain('  telephone : (vide) → "+33123456789"\n');
    expect(history).toMatch(/version 3 · .* · dépublication · cli · motif : Fermé\n/);
    expect(history).toMatch(/version 4 · .* · republication · cli\n/);
  });

  it('answers unknown ids in French', async () => {
    await expect(lieuxShow(deps, '11111111-1111-4111-8111-111111111111', out)).rejects.toThrow(/Aucun lieu ne porte l’identifiant/);
    await expect(lieuxHistory(deps, 'nimporte', out)).rejects.toThrow(/Aucun lieu/);
  });
});

describe('maillage lieux add (subprocess)', () => {
  it('prints French errors for a bad file and exits with 1, without a stack trace', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-cli-data-'));
    const file = path.join(dataDir, 'mauvais.json');
    fs.writeFileSync(file, JSON.stringify([{ ...good('Bon') }, { nom: 'Sans adresse', pivot: 'x', commune: 'Paris', code_postal: '75015', date_maj: '2024-01-01' }]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MAILLAGE_DATA_DIR: dataDir,
      MAILLAGE_SEED_DEMO: 'false',
      MAILLAGE_REFERENCE_DIR: referenceDir,
      LOG_LEVEL: 'silent',
    };
    delete env.DATABASE_URL; // always a throwaway PGlite store, never the shared test server
    try {
      const result = await promisify(execFile)('node', ['bin/maillage.js', 'lieux', 'add', file], { env, timeout: 120_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Erreur : Aucun lieu n’a été enregistré');
      expect(result.stderr).toContain('lieu n° 2 (index 1), champ adresse : Le champ « adresse » est obligatoire');
      expect(result.stderr).toContain('lieu n° 2 (index 1), champ pivot');
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
