// Readers of the broadband and digital fragility reference files:
// - Arcep « Observatoire du haut et très haut débit » FttH sheets exported as CSV: title lines
//   first, then a header (`Code commune` / `Siren EPCI` / `Code département`, `Champ`, one
//   column per quarter). `Champ` is `Locaux Raccordables` or `Catégorie`; the last quarter wins.
// - the Arcep commune sheet (Logements + Établissements = premises, the rate's denominator);
// - the ANCT digital fragility index (IFN) per commune and EPCI (0–10 scores).
// Each reader throws BroadbandFileError naming the file and the problem.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../lib/errors.ts';

export class BroadbandFileError extends DomainError {
  constructor(message: string) {
    super('broadband_file', message, 400);
  }
}

export interface FtthFigures {
  locaux_raccordables: number | null;
  categorie: number | null;
}

export interface FtthFile {
  /** e.g. "Arcep T1 2018" (the quarter of the last column). */
  millesime: string;
  byCode: Map<string, FtthFigures>;
}

export interface ReferentielCommune {
  code: string;
  nom: string;
  code_departement: string;
  siren_epci: string | null;
  locaux: number;
}

export interface IfnRow {
  code: string;
  nom: string;
  division: 'commune' | 'epci';
  score_total: number | null;
  score_absence_thd: number | null;
  score_absence_4g: number | null;
  score_pauvrete: number | null;
  score_plus_65_ans: number | null;
  score_non_diplomes: number | null;
}

/** Vintage of the IFN files we know (ANCT « France Numérique Ensemble », 2023 edition). */
export const IFN_MILLESIME = 'IFN ANCT 2023';

export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BroadbandFileError(`${what} « ${file} » : ${code === 'ENOENT' ? 'fichier introuvable' : `lecture impossible (${code ?? 'erreur'})`}.`);
  }
}

function parseCsv(text: string, file: string): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (error) {
    throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : CSV illisible (${(error as Error).message}).`);
  }
}

/** Index of the header line (the first whose first cell is one of `keys`). */
function findHeader(rows: string[][], keys: string[], file: string): number {
  const index = rows.findIndex((row) => keys.includes((row[0] ?? '').trim()));
  if (index < 0) {
    throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : ligne d'en-tête introuvable (première colonne attendue : ${keys.join(' ou ')}).`);
  }
  return index;
}

/** " 81    " → 81, " -    " / "" → 0 (Arcep writes "-" for none), "1 234" → 1234; else null. */
export function parseArcepNumber(value: string | undefined): number | null {
  const compact = (value ?? '').replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '' || compact === '-') return 0;
  return /^-?\d+(\.\d+)?$/.test(compact) ? Number(compact) : null;
}

const FTTH_KEYS = ['Code commune', 'Siren EPCI', 'Code département', 'Code departement', 'Code région'];

export function parseFtthCsv(text: string, file: string): FtthFile {
  const rows = parseCsv(text, file);
  const h = findHeader(rows, FTTH_KEYS, file);
  const header = rows[h]!.map((c) => c.trim());
  if (header[1] !== 'Champ') throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : colonne « Champ » attendue en 2e position.`);
  const last = header.length - 1;
  const quarter = header[last]!;
  if (!/^T[1-4] \d{4}$/.test(quarter)) {
    throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : la dernière colonne doit être un trimestre (ex. « T1 2018 »), reçu « ${quarter} ».`);
  }
  const byCode = new Map<string, FtthFigures>();
  for (let i = h + 1; i < rows.length; i++) {
    const row = rows[i]!;
    const code = (row[0] ?? '').trim();
    if (!code) continue;
    const champ = (row[1] ?? '').trim();
    const value = parseArcepNumber(row[last]);
    const figures = byCode.get(code) ?? { locaux_raccordables: null, categorie: null };
    if (champ === 'Locaux Raccordables') figures.locaux_raccordables = value;
    else if (champ === 'Catégorie') figures.categorie = value;
    else continue;
    byCode.set(code, figures);
  }
  return { millesime: `Arcep ${quarter}`, byCode };
}

export function parseReferentielCsv(text: string, file: string): ReferentielCommune[] {
  const rows = parseCsv(text, file);
  const h = findHeader(rows, ['Code commune'], file);
  const header = rows[h]!.map((c) => c.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : colonne « ${name} » absente.`);
    return i;
  };
  const [code, nom, dep, epci, logements, etablissements] = [
    col('Code commune'), col('Nom commune'), col('Code département'), col('Siren EPCI'), col('Logements'), col('Établissements'),
  ];
  const communes: ReferentielCommune[] = [];
  for (let i = h + 1; i < rows.length; i++) {
    const row = rows[i]!;
    const c = (row[code] ?? '').trim();
    if (!c) continue;
    const siren = (row[epci] ?? '').trim();
    communes.push({
      code: c,
      nom: (row[nom] ?? '').trim(),
      code_departement: (row[dep] ?? '').trim(),
      siren_epci: /^\d{9}$/.test(siren) ? siren : null,
      locaux: (parseArcepNumber(row[logements]) ?? 0) + (parseArcepNumber(row[etablissements]) ?? 0),
    });
  }
  return communes;
}

const IFN_COLUMNS = ['name', 'division', 'code', 'no_thd_coverage_rate', 'no_4g_coverage_rate', 'poverty_rate', 'older_65_rate', 'nscol15p_rate', 'total'];

export function parseIfnCsv(text: string, file: string): IfnRow[] {
  const rows = parseCsv(text, file);
  const header = (rows[0] ?? []).map((c) => c.trim());
  const missing = IFN_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new BroadbandFileError(`Fichier « ${path.basename(file)} » : colonnes absentes : ${missing.join(', ')}.`);
  const at = (row: string[], name: string) => (row[header.indexOf(name)] ?? '').trim();
  const score = (row: string[], name: string) => {
    const value = at(row, name);
    return value === '' || Number.isNaN(Number(value)) ? null : Math.round(Number(value) * 1000) / 1000;
  };
  return rows.slice(1).flatMap((row) => {
    const code = at(row, 'code');
    const division = at(row, 'division');
    if (!code || (division !== 'city' && division !== 'epci')) return [];
    return [
      {
        code,
        nom: at(row, 'name'),
        division: division === 'city' ? ('commune' as const) : ('epci' as const),
        score_total: score(row, 'total'),
        score_absence_thd: score(row, 'no_thd_coverage_rate'),
        score_absence_4g: score(row, 'no_4g_coverage_rate'),
        score_pauvrete: score(row, 'poverty_rate'),
        score_plus_65_ans: score(row, 'older_65_rate'),
        score_non_diplomes: score(row, 'nscol15p_rate'),
      },
    ];
  });
}
