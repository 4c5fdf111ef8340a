// Importing broadband coverage (Arcep FttH, per commune, EPCI, département; régions summed
// from départements) and the digital fragility index (IFN), each figure with its vintage.
// A missing or broken file is reported by name and skipped; the others still load.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  BroadbandFileError,
  IFN_MILLESIME,
  parseFtthCsv,
  parseIfnCsv,
  parseReferentielCsv,
  readTextFile,
  type FtthFile,
  type ReferentielCommune,
} from './broadband.files.ts';
import { replaceBroadband, replaceFragility } from './broadband.repository.ts';
import type { BroadbandCoverageTable } from './observatory.tables.ts';

export interface BroadbandImportReport {
  /** Rows stored per table and territory type, e.g. { "thd commune": 35361 }. */
  imported: Record<string, number>;
  millesimes: string[];
  /** French messages naming each file that was missing or rejected. */
  problems: string[];
}

/** The files looked for in a folder (the reference folder's haut-debit/). */
export const BROADBAND_FILES = {
  communes: /ftth-communes\.csv$/,
  referentiel: /communes-referentiel\.csv$/,
  epci: /ftth-epci\.csv$/,
  departements: /ftth-departements\.csv$/,
  ifnCommunes: /^ifn-communes\.csv$/,
  ifnEpci: /^ifn-epci\.csv$/,
} as const;

function findFile(dir: string, pattern: RegExp): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const matches = fs.readdirSync(dir).filter((f) => pattern.test(f)).sort();
  // The latest vintage sorts last (file names carry the year and quarter).
  return matches.length ? path.join(dir, matches[matches.length - 1]!) : undefined;
}

const rate = (raccordables: number | null, locaux: number | null) =>
  raccordables !== null && locaux ? Math.min(1, Math.round((raccordables / locaux) * 10_000) / 10_000) : null;

function regionOfDepartement(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@etalab/decoupage-administratif/data/departements.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as { code: string; region: string }[];
  return new Map(list.map((d) => [d.code, d.region]));
}

export async function importBroadband(db: Kysely<Database>, dir: string): Promise<BroadbandImportReport> {
  const report: BroadbandImportReport = { imported: {}, millesimes: [], problems: [] };
  const attempt = <T>(key: keyof typeof BROADBAND_FILES, what: string, read: (file: string) => T): T | undefined => {
    const file = findFile(dir, BROADBAND_FILES[key]);
    if (!file) {
      report.problems.push(`${what} : aucun fichier « ${BROADBAND_FILES[key].source.replace(/\\/g, '').replace(/[$^]/g, '')} » dans ${dir}.`);
      return undefined;
    }
    try {
      return read(file);
    } catch (error) {
      if (error instanceof BroadbandFileError) {
        report.problems.push(error.message);
        return undefined;
      }
      throw error;
    }
  };
  const referentiel = attempt('referentiel', 'Référentiel Arcep des communes', (f) => parseReferentielCsv(readTextFile(f, 'Référentiel Arcep'), f));
  const communes = attempt('communes', 'Déploiement FttH par commune', (f) => parseFtthCsv(readTextFile(f, 'Arcep FttH'), f));
  const epcis = attempt('epci', 'Déploiement FttH par EPCI', (f) => parseFtthCsv(readTextFile(f, 'Arcep FttH'), f));
  const departements = attempt('departements', 'Déploiement FttH par département', (f) => parseFtthCsv(readTextFile(f, 'Arcep FttH'), f));
  const ifnCommunes = attempt('ifnCommunes', 'Indice de fragilité numérique des communes', (f) => parseIfnCsv(readTextFile(f, 'IFN'), f));
  const ifnEpci = attempt('ifnEpci', 'Indice de fragilité numérique des EPCI', (f) => parseIfnCsv(readTextFile(f, 'IFN'), f));

  // Premises per commune, EPCI and département: the denominators of the coverage rates.
  const locaux = { commune: new Map<string, number>(), epci: new Map<string, number>(), departement: new Map<string, number>() };
  const noms = new Map<string, string>();
  for (const c of referentiel ?? ([] as ReferentielCommune[])) {
    locaux.commune.set(c.code, c.locaux);
    noms.set(c.code, c.nom);
    if (c.siren_epci) locaux.epci.set(c.siren_epci, (locaux.epci.get(c.siren_epci) ?? 0) + c.locaux);
    locaux.departement.set(c.code_departement, (locaux.departement.get(c.code_departement) ?? 0) + c.locaux);
  }
  if (!referentiel && (communes || epcis || departements)) {
    report.problems.push('Sans le référentiel Arcep des communes, les taux de couverture ne sont pas calculés (seuls les locaux raccordables et les catégories sont chargés).');
  }

  const rows = (type: 'commune' | 'epci' | 'departement', file: FtthFile, source: string): Insertable<BroadbandCoverageTable>[] =>
    [...file.byCode].map(([code, f]) => {
      const total = referentiel ? (locaux[type].get(code) ?? null) : null;
      return {
        territory_type: type,
        code,
        nom: type === 'commune' ? (noms.get(code) ?? null) : null,
        locaux_raccordables: f.locaux_raccordables,
        locaux: total,
        taux_ftth: rate(f.locaux_raccordables, total),
        categorie: f.categorie,
        millesime: file.millesime,
        source_file: source,
      };
    });

  await db.transaction().execute(async (trx) => {
    const sets: ['commune' | 'epci' | 'departement', FtthFile | undefined, keyof typeof BROADBAND_FILES][] = [
      ['commune', communes, 'communes'],
      ['epci', epcis, 'epci'],
      ['departement', departements, 'departements'],
    ];
    for (const [type, file, key] of sets) {
      if (!file) continue;
      const list = rows(type, file, path.basename(findFile(dir, BROADBAND_FILES[key])!));
      await replaceBroadband(trx, type, list);
      report.imported[`thd ${type}`] = list.length;
      if (!report.millesimes.includes(file.millesime)) report.millesimes.push(file.millesime);
      if (type === 'departement') {
        // Régions (current map) summed from départements: Arcep's regional sheet uses 2016 codes and rounds.
        const regionOf = regionOfDepartement();
        const sums = new Map<string, { raccordables: number; locaux: number | null }>();
        for (const row of list) {
          const region = regionOf.get(row.code);
          if (!region || row.locaux_raccordables == null) continue;
          const sum = sums.get(region) ?? { raccordables: 0, locaux: referentiel ? 0 : null };
          sum.raccordables += row.locaux_raccordables;
          if (sum.locaux !== null) sum.locaux += row.locaux ?? 0;
          sums.set(region, sum);
        }
        const regions = [...sums].map(([code, s]) => ({
          territory_type: 'region' as const,
          code,
          nom: null,
          locaux_raccordables: s.raccordables,
          locaux: s.locaux,
          taux_ftth: rate(s.raccordables, s.locaux),
          categorie: null,
          millesime: file.millesime,
          source_file: `${path.basename(findFile(dir, BROADBAND_FILES.departements)!)} (somme des départements)`,
        }));
        await replaceBroadband(trx, 'region', regions);
        report.imported['thd region'] = regions.length;
      }
    }
    for (const [type, list, key] of [['commune', ifnCommunes, 'ifnCommunes'], ['epci', ifnEpci, 'ifnEpci']] as const) {
      if (!list) continue;
      const source = path.basename(findFile(dir, BROADBAND_FILES[key])!);
      const filtered = [...new Map(list.filter((r) => r.division === type).map((r) => [r.code, r])).values()];
      await replaceFragility(
        trx,
        type,
        filtered.map(({ division: _division, ...r }) => ({ territory_type: type, ...r, millesime: IFN_MILLESIME, source_file: source })),
      );
      report.imported[`ifn ${type}`] = filtered.length;
      if (!report.millesimes.includes(IFN_MILLESIME)) report.millesimes.push(IFN_MILLESIME);
    }
  });
  return report;
}
