// The population frame of the observatory: every commune actuelle with its population, EPCI,
// département, région and centre. Official geography from @etalab/decoupage-administratif;
// centres from <referenceDir>/communes/communes-centres-geoapi-2025.json. Without the centres
// file the indicators still work, minus distances (reported as a degradation).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface FrameCommune {
  code: string;
  nom: string;
  population: number;
  codeEpci: string | null;
  codeDepartement: string;
  codeRegion: string;
  /** [longitude, latitude], or null when the centres file lacks it. */
  centre: [number, number] | null;
}

export interface FrameArea {
  code: string;
  nom: string;
}

export interface CommuneFrame {
  communes: FrameCommune[];
  byCode: Map<string, FrameCommune>;
  /** Arrondissements municipaux and former communes → the commune actuelle they belong to. */
  parentOf: Map<string, string>;
  epcis: Map<string, FrameArea>;
  departements: Map<string, FrameArea & { region: string }>;
  regions: Map<string, FrameArea>;
  /** French messages about missing or broken reference files. */
  degradations: string[];
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  population?: number;
  commune?: string;
  chefLieu?: string;
}

export const CENTRES_FILE = path.join('communes', 'communes-centres-geoapi-2025.json');

const require = createRequire(import.meta.url);

function readPackageData<T>(file: string): T {
  return JSON.parse(fs.readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8')) as T;
}

function readCentres(referenceDir: string, degradations: string[]): Map<string, [number, number]> {
  const file = path.join(referenceDir, CENTRES_FILE);
  const centres = new Map<string, [number, number]>();
  let rows: unknown;
  try {
    rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'fichier introuvable' : `fichier illisible (${(error as Error).message})`;
    degradations.push(`Centres des communes « ${file} » : ${reason} ; les distances au lieu le plus proche ne sont pas calculées.`);
    return centres;
  }
  if (!Array.isArray(rows)) {
    degradations.push(`Centres des communes « ${file} » : un tableau JSON est attendu ; les distances ne sont pas calculées.`);
    return centres;
  }
  for (const row of rows as { code?: unknown; lat?: unknown; lon?: unknown }[]) {
    if (typeof row?.code === 'string' && typeof row.lat === 'number' && typeof row.lon === 'number') {
      centres.set(row.code, [row.lon, row.lat]);
    }
  }
  return centres;
}

export function loadCommuneFrame(referenceDir: string): CommuneFrame {
  const degradations: string[] = [];
  const raw = readPackageData<RawCommune[]>('communes.json');
  const rawEpcis = readPackageData<{ code: string; nom: string; membres: { code: string }[] }[]>('epci.json');
  const rawDepartements = readPackageData<{ code: string; nom: string; region: string }[]>('departements.json');
  const rawRegions = readPackageData<{ code: string; nom: string }[]>('regions.json');
  const centres = readCentres(referenceDir, degradations);

  const epciOf = new Map<string, string>();
  for (const epci of rawEpcis) for (const member of epci.membres) epciOf.set(member.code, epci.code);

  const communes: FrameCommune[] = [];
  const byCode = new Map<string, FrameCommune>();
  const parentOf = new Map<string, string>();
  for (const c of raw) {
    if (c.type !== 'commune-actuelle') continue;
    const commune: FrameCommune = {
      code: c.code,
      nom: c.nom,
      population: c.population ?? 0,
      codeEpci: epciOf.get(c.code) ?? null,
      codeDepartement: c.departement,
      codeRegion: c.region,
      centre: centres.get(c.code) ?? null,
    };
    communes.push(commune);
    byCode.set(c.code, commune);
  }
  for (const c of raw) {
    const parent = c.type === 'arrondissement-municipal' ? c.commune : c.type === 'commune-actuelle' ? undefined : (c.chefLieu ?? c.commune);
    if (parent && byCode.has(parent) && !byCode.has(c.code)) parentOf.set(c.code, parent);
  }
  return {
    communes,
    byCode,
    parentOf,
    epcis: new Map(rawEpcis.map((e) => [e.code, { code: e.code, nom: e.nom }])),
    departements: new Map(rawDepartements.map((d) => [d.code, { code: d.code, nom: d.nom, region: d.region }])),
    regions: new Map(rawRegions.map((r) => [r.code, { code: r.code, nom: r.nom }])),
    degradations,
  };
}

/** The commune actuelle a code designates (itself, or the city of an arrondissement). */
export function frameCommuneOf(frame: CommuneFrame, code: string | null): FrameCommune | undefined {
  if (!code) return undefined;
  return frame.byCode.get(code) ?? frame.byCode.get(frame.parentOf.get(code) ?? '');
}
