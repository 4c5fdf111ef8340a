import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { parseArcepNumber, parseFtthCsv, BroadbandFileError } from './broadband.files.ts';
import { importBroadband, type BroadbandImportReport } from './broadband.use-cases.ts';
import { createObservatory } from './observatory.use-cases.ts';
import { DEFAULT_DOUBLE_FRACTURE, doubleFractureCsv } from './double-fracture.ts';
import { insertPlaces } from './observatory.test-helpers.ts';

const dataDir = path.resolve('../shared/data');
let handle: DbHandle;
let report: BroadbandImportReport;

beforeAll(async () => {
  handle = await createTestDatabase();
  report = await importBroadband(handle.db, path.join(dataDir, 'haut-debit'));
}, 180_000);
afterAll(async () => {
  await handle?.close();
});

describe('Arcep and IFN files', () => {
  it('reads padded numbers and dashes', () => {
    expect(parseArcepNumber(' 121 335    ')).toBe(121335);
    expect(parseArcepNumber(' -    ')).toBe(0);
    expect(parseArcepNumber('n/a')).toBeNull();
  });

  it('finds the header after the title lines and names a file without one', () => {
    const parsed = parseFtthCsv('Titre,,\n,,\nCode commune,Champ,T4 2019\n01001,Locaux Raccordables,12\n01001,Catégorie,5\n', 'x.csv');
    expect(parsed.millesime).toBe('Arcep T4 2019');
    expect(parsed.byCode.get('01001')).toEqual({ locaux_raccordables: 12, categorie: 5 });
    expect(() => parseFtthCsv('a,b\n1,2\n', 'vide.csv')).toThrow(BroadbandFileError);
    expect(() => parseFtthCsv('a,b\n1,2\n', 'vide.csv')).toThrow(/« vide.csv » : ligne d'en-tête introuvable/);
  });

  it('imports every level with its vintage', () => {
    expect(report.problems).toEqual([]);
    expect(report.imported).toMatchObject({ 'thd commune': 35361, 'thd epci': 1264, 'thd departement': 104, 'ifn epci': 1255 });
    expect(report.imported['ifn commune']).toBeGreaterThan(34_000);
    expect(report.millesimes).toEqual(['Arcep T1 2018', 'IFN ANCT 2023']);
  });

  it('computes the coverage rate of Rennes by hand: 79,976 / (121,335 + 6,469)', async () => {
    const observatory = createObservatory({ db: handle.db, referenceDir: dataDir });
    const { thd, ifn } = await observatory.broadbandOf('commune', '35238');
    expect(thd).toMatchObject({ locaux_raccordables: 79976, locaux: 127804, categorie: 50, millesime: 'Arcep T1 2018' });
    expect(thd!.taux_ftth).toBeCloseTo(79976 / 127804, 4);
    expect(ifn).toMatchObject({ score_total: 3.77, score_absence_thd: 2, millesime: 'IFN ANCT 2023' });
    const epci = await observatory.broadbandOf('epci', '243500139');
    expect(epci.thd).toMatchObject({ locaux_raccordables: 106890, categorie: 25 });
    const region = await observatory.broadbandOf('region', '53');
    expect(region.thd!.locaux_raccordables).toBeGreaterThan(136157); // Bretagne ⊃ Ille-et-Vilaine
  });

  it('reports a missing folder by name and stores nothing from it', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'thd-'));
    const other = await createTestDatabase();
    try {
      const r = await importBroadband(other.db, empty);
      expect(r.imported).toEqual({});
      expect(r.problems).toHaveLength(6);
      expect(r.problems[0]).toContain(empty);
    } finally {
      await other.close();
    }
  }, 60_000);
});

describe('double fracture', () => {
  it('lists low-coverage communes with no place within 10 km, sortable and as CSV', async () => {
    await insertPlaces(handle.db, [{ latitude: 48.1114, longitude: -1.6797, code_insee: '35238' }]);
    const observatory = createObservatory({ db: handle.db, referenceDir: dataDir });
    const rows = await observatory.doubleFracture(DEFAULT_DOUBLE_FRACTURE);
    const codes = new Set(rows.map((r) => r.code));
    expect(codes.has('01001')).toBe(true); // no fibre in 2018, hundreds of km from Rennes
    expect(codes.has('35238')).toBe(false); // 63 % coverage, and a place in town
    expect(codes.has('35288')).toBe(false); // Saint-Malo: 26 % ≥ 25 %
    const wider = await observatory.doubleFracture({ ...DEFAULT_DOUBLE_FRACTURE, seuilTauxFtth: 0.3 });
    expect(wider.some((r) => r.code === '35288')).toBe(true);
    for (let i = 1; i < Math.min(rows.length, 200); i++) expect(rows[i - 1]!.population ?? 0).toBeGreaterThanOrEqual(rows[i]!.population ?? 0);
    const byRate = await observatory.doubleFracture({ ...DEFAULT_DOUBLE_FRACTURE, tri: 'taux_ftth', ordre: 'desc' });
    expect(byRate[0]!.taux_ftth).toBeGreaterThanOrEqual(byRate[byRate.length - 1]!.taux_ftth);
    expect(byRate[0]!.taux_ftth).toBeLessThan(0.25);
    const csv = doubleFractureCsv(rows.slice(0, 2)).split('\n');
    expect(csv[0]).toBe('type,code,nom,population,taux_ftth,categorie_ftth,millesime_ftth,distance_lieu_le_plus_proche_km,score_ifn,millesime_ifn');
    expect(csv[1]).toContain('Arcep T1 2018');
    const epcis = await observatory.doubleFracture({ ...DEFAULT_DOUBLE_FRACTURE, type: 'epci' });
    expect(epcis.some((r) => r.code === '243500139')).toBe(false); // Rennes Métropole
    expect(epcis.length).toBeGreaterThan(100);
  }, 180_000);
});
