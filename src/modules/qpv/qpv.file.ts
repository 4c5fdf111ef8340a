// Reads the official QPV contour files (GeoJSON FeatureCollection, WGS84). Both property
// spellings are accepted: lower-case (code_qp, nom_qp / lib_qp, code_commune / insee_com)
// as in the 2024 file and its copies, and upper-case (CODE_QP, NOM_QP) as in the 2015
// shapefile. A missing or unreadable file is a QpvFileError; a bad feature is skipped and
// reported, so one broken contour does not block the others.
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../lib/errors.ts';
import { geometryBBox, type QpvGeometry, type QpvListe, type QpvShape } from './qpv.geometry.ts';

export class QpvFileError extends DomainError {
  constructor(message: string) {
    super('qpv_file', message, 400);
  }
}

export interface QpvFileResult {
  file: string;
  shapes: QpvShape[];
  /** French messages naming the file and the feature that was skipped. */
  problems: string[];
}

const CODE_KEYS = ['code_qp', 'CODE_QP', 'code_quartier', 'CODE_QUARTIER'];
const NOM_KEYS = ['nom_qp', 'NOM_QP', 'lib_qp', 'LIB_QP', 'nom_quartier'];
const COMMUNE_KEYS = ['code_commune', 'CODE_COMMUNE', 'insee_com', 'INSEE_COM', 'code_insee'];
const COMMUNE_NOM_KEYS = ['nom_commune', 'commune_qp', 'COMMUNE_QP', 'lib_com', 'LIB_COM'];
const POPULATION_KEYS = ['pop', 'POP', 'population', 'POPULATION', 'pop_muni', 'POP_MUNI'];
const CODE_PATTERN = /^Q([PN])[0-9A-Z]{5,8}$/;

function pick(props: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) {
    const value = props[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** "6 206" (with ordinary or non-breaking spaces) → 6206; anything else → null. */
export function parseFrenchInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const compact = value.replace(/[\s\u00a0\u202f]/g, '');
  return /^\d+$/.test(compact) ? Number(compact) : null;
}

function isPosition(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Math.abs(value[0]) <= 180 &&
    Math.abs(value[1]) <= 90
  );
}

function isRing(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 4 && value.every(isPosition);
}

function isPolygonCoordinates(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 1 && value.every(isRing);
}

/** Why the geometry cannot be used, or null when it is a valid Polygon or MultiPolygon. */
function geometryProblem(geometry: unknown): string | null {
  if (!geometry || typeof geometry !== 'object') return 'géométrie absente';
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type === 'Polygon') return isPolygonCoordinates(coordinates) ? null : 'coordonnées de polygone invalides';
  if (type === 'MultiPolygon') {
    return Array.isArray(coordinates) && coordinates.length >= 1 && coordinates.every(isPolygonCoordinates)
      ? null
      : 'coordonnées de multipolygone invalides';
  }
  return `type de géométrie « ${String(type)} » non pris en charge (Polygon ou MultiPolygon attendu)`;
}

/** Finds the INSEE code of a commune from its name and département (files without codes). */
export type CommuneCodeResolver = (nom: string, codeDepartement: string) => string | null;

/** The département in a QPV code: QP035001 → 35, QP971001 → 971, QN07501M → 75. */
export function departementOfQpvCode(code: string): string {
  const digits = code.slice(2, 5);
  return digits.startsWith('0') ? digits.slice(1) : digits.startsWith('9') && Number(digits) >= 971 ? digits : digits.slice(0, 2);
}

/** Parses the text of a QPV GeoJSON file; `file` only names it in messages. */
export function parseQpvGeoJson(text: string, file: string, resolveCommune?: CommuneCodeResolver): QpvFileResult {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new QpvFileError(`Fichier QPV « ${name} » : ce n'est pas du JSON valide (${(error as Error).message}).`);
  }
  const collection = json as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  if (!collection || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new QpvFileError(`Fichier QPV « ${name} » : une FeatureCollection GeoJSON est attendue.`);
  }
  const crs = collection.crs?.properties?.name;
  if (typeof crs === 'string' && !/CRS84|4326/.test(crs)) {
    throw new QpvFileError(`Fichier QPV « ${name} » : système de coordonnées « ${crs} » non pris en charge (WGS84 attendu).`);
  }
  const shapes: QpvShape[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  collection.features.forEach((feature: unknown, i: number) => {
    const where = `Fichier QPV « ${name} », objet n° ${i + 1}`;
    const props = ((feature as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>;
    const rawCode = pick(props, CODE_KEYS);
    const code = typeof rawCode === 'string' ? rawCode.trim().toUpperCase() : '';
    const match = CODE_PATTERN.exec(code);
    if (!match) {
      problems.push(`${where} : code QPV absent ou invalide (${rawCode === undefined ? 'propriété code_qp absente' : `« ${String(rawCode)} »`}), objet ignoré.`);
      return;
    }
    const geometry = (feature as { geometry?: unknown }).geometry;
    const problem = geometryProblem(geometry);
    if (problem) {
      problems.push(`${where} (${code}) : ${problem}, objet ignoré.`);
      return;
    }
    if (seen.has(code)) {
      problems.push(`${where} : le code ${code} apparaît plusieurs fois, seul le premier contour est gardé.`);
      return;
    }
    seen.add(code);
    const nom = pick(props, NOM_KEYS);
    const communeCode = pick(props, COMMUNE_KEYS);
    const communeNom = pick(props, COMMUNE_NOM_KEYS);
    const commune =
      typeof communeCode === 'string' || typeof communeCode === 'number'
        ? String(communeCode).trim()
        : typeof communeNom === 'string' && resolveCommune
          ? resolveCommune(communeNom, departementOfQpvCode(code))
          : null;
    const liste: QpvListe = match[1] === 'P' ? '2015' : '2024';
    shapes.push({
      code,
      nom: typeof nom === 'string' && nom.trim() ? nom.trim() : code,
      commune,
      liste,
      population: parseFrenchInteger(pick(props, POPULATION_KEYS)),
      bbox: geometryBBox(geometry as QpvGeometry),
      geometry: geometry as QpvGeometry,
    });
  });
  if (shapes.length === 0) {
    throw new QpvFileError(`Fichier QPV « ${name} » : aucun contour de QPV utilisable.${problems.length ? ` ${problems[0]}` : ''}`);
  }
  return { file, shapes, problems };
}

export function readQpvFile(file: string, resolveCommune?: CommuneCodeResolver): QpvFileResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'fichier introuvable' : code === 'EISDIR' ? "c'est un dossier" : `lecture impossible (${code ?? 'erreur inconnue'})`;
    throw new QpvFileError(`Fichier QPV « ${file} » : ${reason}.`);
  }
  return parseQpvGeoJson(text, file, resolveCommune);
}

/** The GeoJSON files of a reference folder's qpv/ sub-folder, sorted; [] when it is missing. */
export function defaultQpvFiles(referenceDir: string): string[] {
  const dir = path.join(referenceDir, 'qpv');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(geo)?json$/i.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
