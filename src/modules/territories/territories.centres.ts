// Commune centres from the reference folder. Missing or broken files never stop the platform:
// they leave centres unknown and say so, in French, naming the file and what is degraded.
import fs from 'node:fs';
import path from 'node:path';
import { arrondissementCentresFile, communeCentresFile, type ReferenceFile } from './territories.reference-files.ts';

export interface Centre {
  latitude: number;
  longitude: number;
}

export interface CentresResult {
  centres: Map<string, Centre>;
  degradations: string[];
}

/** One row of the geo.api.gouv.fr extract, as written by `maillage data download`. */
export interface CentreRow {
  code: string;
  nom: string;
  dept: string;
  lat: number;
  lon: number;
  population: number | null;
}

export class ReferenceFileError extends Error {}

function isCentreRow(value: unknown): value is CentreRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.code === 'string' &&
    typeof row.lat === 'number' &&
    typeof row.lon === 'number' &&
    Math.abs(row.lat) <= 90 &&
    Math.abs(row.lon) <= 180
  );
}

/** Parses the centres JSON; throws ReferenceFileError (French) when it is not the expected layout. */
export function parseCentreRows(text: string): CentreRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReferenceFileError(`JSON invalide (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new ReferenceFileError('le fichier doit contenir une liste de communes');
  const rows = data.filter(isCentreRow);
  if (rows.length === 0) throw new ReferenceFileError('aucune commune avec code, lat et lon valides');
  return rows;
}

function describe(file: ReferenceFile, referenceDir: string): string {
  return `${file.path} (dans ${referenceDir})`;
}

function readCentreFile(referenceDir: string, file: ReferenceFile): { rows: CentreRow[] } | { error: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(referenceDir, file.path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { error: `Fichier de référence illisible : ${describe(file, referenceDir)} (${(error as Error).message}) ; ${file.degradedFeature}.` };
  }
  try {
    return { rows: parseCentreRows(text) };
  } catch (error) {
    return { error: `Fichier de référence mal formé : ${describe(file, referenceDir)} (${(error as Error).message}) ; ${file.degradedFeature}.` };
  }
}

/** Arrondissement rows (type ARM) of the INSEE COG CSV layout, when that file is there. */
function readArrondissementsFromCogCsv(file: string): Map<string, Centre> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split(',') ?? [];
  const col = (name: string) => header.indexOf(name);
  const [code, type, lat, lng] = [col('insee_com'), col('commune_type'), col('lat'), col('lng')];
  if (code < 0 || type < 0 || lat < 0 || lng < 0) return null;
  const centres = new Map<string, Centre>();
  for (const line of lines) {
    if (!line.includes(',ARM,')) continue;
    const cells = line.split(',');
    const latitude = Number(cells[lat]);
    const longitude = Number(cells[lng]);
    if (cells[type] === 'ARM' && cells[lat] !== '' && Number.isFinite(latitude) && Number.isFinite(longitude)) {
      centres.set(cells[code]!, { latitude, longitude });
    }
  }
  return centres;
}

/**
 * Centres of communes actuelles, and of arrondissements (from their own file, else the COG CSV,
 * else their city's centre).
 */
export function loadCentres(referenceDir: string, arrondissementParents: Map<string, string>): CentresResult {
  const degradations: string[] = [];
  const centres = new Map<string, Centre>();

  const main = readCentreFile(referenceDir, communeCentresFile);
  if (main === null) {
    degradations.push(`Fichier de référence absent : ${describe(communeCentresFile, referenceDir)} ; ${communeCentresFile.degradedFeature}.`);
    return { centres, degradations };
  }
  if ('error' in main) {
    degradations.push(main.error);
    return { centres, degradations };
  }
  for (const row of main.rows) centres.set(row.code, { latitude: row.lat, longitude: row.lon });

  let arrondissements: Map<string, Centre> | null = null;
  const own = readCentreFile(referenceDir, arrondissementCentresFile);
  if (own !== null && 'rows' in own) {
    arrondissements = new Map(own.rows.map((row) => [row.code, { latitude: row.lat, longitude: row.lon }]));
  } else {
    if (own !== null) degradations.push(own.error);
    arrondissements = readArrondissementsFromCogCsv(path.join(referenceDir, arrondissementCentresFile.alternatives![0]!));
  }
  let fallbacks = 0;
  for (const [code, parent] of arrondissementParents) {
    const centre = arrondissements?.get(code) ?? centres.get(parent);
    if (!arrondissements?.has(code)) fallbacks++;
    if (centre) centres.set(code, centre);
  }
  if (fallbacks > 0 && (own === null || 'rows' in own)) {
    degradations.push(
      `Fichier de référence absent : ${describe(arrondissementCentresFile, referenceDir)} (ni ${arrondissementCentresFile.alternatives![0]}) ; ${arrondissementCentresFile.degradedFeature}.`,
    );
  }
  return { centres, degradations };
}
