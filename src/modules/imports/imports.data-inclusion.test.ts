// data·inclusion thematiques with and without their `numerique--` prefix, and the
// data·inclusion export → import round trip keeping every place's services.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { systemClock } from '../../lib/clock.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { servicesToThematiques } from '../exports/exports.data-inclusion.ts';
import { publishedLieuxPages, writeExport } from '../exports/exports.stream.ts';
import { mapDataInclusionStructure, thematiqueToService } from './imports.data-inclusion.ts';
import { runImport } from './imports.use-cases.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/imports');
const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });

describe('data·inclusion thematiques', () => {
  it('accepts current codes with or without the numerique-- prefix, and the older prefixed codes', () => {
    expect(thematiqueToService('numerique--acceder-a-des-services-en-ligne')).toBe('Aide aux démarches administratives');
    expect(thematiqueToService('acceder-a-des-services-en-ligne')).toBe('Aide aux démarches administratives');
    expect(thematiqueToService('numerique--maitriser-les-fondamentaux-du-numerique')).toBe('Maîtrise des outils numériques du quotidien');
    expect(thematiqueToService(' Numerique--Acquerir-Un-Equipement ')).toBe('Acquisition de matériel informatique à prix solidaire');
    expect(thematiqueToService('numerique--creer-avec-le-numerique')).toBe('Loisirs et créations numériques');
    expect(thematiqueToService('creer-avec-le-numerique')).toBe('Loisirs et créations numériques');
    expect(thematiqueToService('sante--acces-aux-soins')).toBeUndefined();
    expect(thematiqueToService('numerique--')).toBeUndefined();
  });

  it('maps every thematique Maillage exports back to a standard service', () => {
    for (const [service, code] of Object.entries(servicesToThematiques)) {
      expect(thematiqueToService(code), `${service} → ${code}`).toBeDefined();
    }
  });

  it('a structure whose service lists prefixed codes gets its services', () => {
    const lieu = mapDataInclusionStructure({ id: 'x', nom: 'EPN' }, [
      { thematiques: ['numerique--acceder-a-des-services-en-ligne', 'numerique--acceder-a-une-connexion-internet'] },
      { thematiques: 'numerique--acquerir-un-equipement|sante--acces-aux-soins' },
    ]);
    expect(lieu.services).toEqual(['Aide aux démarches administratives', 'Accès internet et matériel informatique', 'Acquisition de matériel informatique à prix solidaire']);
  });
});

describe('data·inclusion structures without a SIRET', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(async () => handle?.close());

  it('are imported with the placeholder pivot and a warning on their row; an RNA or a SIRET gives none', async () => {
    const deps = { db: handle.db, clock: systemClock, territories };
    await addSource(deps, { name: 'di-pivots', producer: 'data·inclusion' });
    const structure = (id: string, nom: string, pivot: Record<string, string>) => ({
      id: `dora--${id}`, nom, commune: 'Nevers', code_postal: '58000', code_insee: '58194', adresse: '12 rue du Commandant Rivière',
      latitude: 46.9896, longitude: 3.159, date_maj: '2024-05-02', horaires_accueil: 'Mo-Fr 09:00-12:00', ...pivot,
    });
    const file = [
      structure('s1', 'Médiathèque Jean-Jaurès', { siret: '21580194700019' }),
      structure('s2', 'Association Nevers Numérique', { rna: 'W581234567' }),
      structure('s3', 'Permanence numérique du Banlay', {}),
      structure('s4', 'Point d’accueil de la Grande Pâture', { siret: ' ', rna: '' }),
    ];
    const report = await runImport(deps, { source: 'di-pivots', bytes: Buffer.from(JSON.stringify(file)), format: 'data-inclusion-json' });
    expect(report.stats).toMatchObject({ read: 4, accepted: 4, rejected: 0, new: 4, warnings: 2 });
    expect(report.problems.map((p) => [p.row, p.field, p.severity])).toEqual([[3, 'siret', 'warning'], [4, 'siret', 'warning']]);
    expect(report.problems[0]!.message).toBe('Ni SIRET ni RNA : le lieu reçoit le pivot inconnu « 00000000000000 » et ne pourra pas être rapproché d’un autre lieu par son SIRET.');
    const pivots = await handle.db.selectFrom('lieux').select(['nom', 'pivot']).orderBy('nom').execute();
    expect(pivots).toEqual([
      { nom: 'Association Nevers Numérique', pivot: 'W581234567' },
      { nom: 'Médiathèque Jean-Jaurès', pivot: '21580194700019' },
      { nom: 'Permanence numérique du Banlay', pivot: '00000000000000' },
      { nom: 'Point d’accueil de la Grande Pâture', pivot: '00000000000000' },
    ]);
    // The warnings are kept with the run, for the producer's CSV of problems.
    const stored = await handle.db.selectFrom('import_errors').select(['row', 'field', 'severity']).where('run_id', '=', report.runId).orderBy('row').execute();
    expect(stored).toEqual([{ row: 3, field: 'siret', severity: 'warning' }, { row: 4, field: 'siret', severity: 'warning' }]);
  });
});

describe('data·inclusion export → import round trip', () => {
  let origin: DbHandle;
  let target: DbHandle;
  beforeAll(async () => {
    origin = await createTestDatabase();
    target = await createTestDatabase();
  });
  afterAll(async () => {
    await origin?.close();
    await target?.close();
  });

  /** Every place, those without a SIRET included: they leave without `siret` and come back with the placeholder pivot. */
  async function servicesByName(db: DbHandle['db']): Promise<Record<string, string[]>> {
    const byName: Record<string, string[]> = {};
    for await (const rows of publishedLieuxPages(db)) for (const row of rows) byName[row.nom] = [...row.services].sort();
    return byName;
  }

  it('keeps the services of every place (through the lossy thematiques table)', async () => {
    const originDeps = { db: origin.db, clock: systemClock, territories };
    await addSource(originDeps, { name: 'nievre', producer: 'Nièvre' });
    await runImport(originDeps, { source: 'nievre', bytes: fs.readFileSync(path.join(fixtures, 'standard-v1.csv')) });

    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await writeExport({ db: origin.db, publicUrl: 'http://localhost' }, 'data-inclusion', stream);
    stream.end();
    const exported = Buffer.concat(chunks).toString('utf8');
    expect(exported).toContain('"numerique--acceder-a-des-services-en-ligne"');

    const targetDeps = { db: target.db, clock: systemClock, territories };
    await addSource(targetDeps, { name: 'di', producer: 'data·inclusion' });
    const report = await runImport(targetDeps, { source: 'di', bytes: Buffer.from(exported) });
    expect(report.format).toBe('data-inclusion-json');
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const placeholders = await target.db.selectFrom('lieux').select('nom').where('pivot', '=', '00000000000000').execute();
    expect(placeholders.length).toBeGreaterThan(0);

    const before = await servicesByName(origin.db);
    const after = await servicesByName(target.db);
    expect(Object.keys(before).length).toBeGreaterThan(0);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [nom, services] of Object.entries(before)) {
      // Several standard services share one thematique: the round trip keeps what the table can carry.
      const expected = [...new Set(services.map((s) => thematiqueToService(servicesToThematiques[s]!)!))].sort();
      expect(after[nom], nom).toEqual(expected);
      expect(after[nom]!.length, nom).toBeGreaterThan(0);
    }
  });
});
