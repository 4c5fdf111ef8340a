// Reads @etalab/decoupage-administratif (COG communes, EPCI, départements, régions) once and
// builds the look-up tables every other territories function works from.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Commune } from './territories.types.ts';
import { keyWithoutArticle, nameKey } from './territories.names.ts';

interface RawCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement: string;
  region: string;
  codesPostaux?: string[];
  population?: number;
  chefLieu?: string;
  commune?: string;
}

interface RawEpci {
  code: string;
  nom: string;
  populationMunicipale?: number;
  membres: { code: string }[];
}

interface RawDepartement {
  code: string;
  nom: string;
  region: string;
}

interface RawRegion {
  code: string;
  nom: string;
}

export interface AreaRecord {
  code: string;
  nom: string;
  population: number | null;
  /** Communes and arrondissements municipaux inside, as INSEE codes. */
  communes: string[];
}

/** A commune actuelle or an arrondissement municipal, before its centre is known. */
export interface CommuneRecord extends Omit<Commune, 'centre'> {
  /** For an arrondissement: its city (75056, 69123, 13055). */
  parent: string | null;
  /** For Paris, Lyon, Marseille: their arrondissements. */
  arrondissements: string[];
  /** nameKey(nom), for matching and search. */
  key: string;
}

export interface BaseData {
  communes: Map<string, CommuneRecord>;
  /** Codes of communes déléguées/associées that are not also a commune actuelle → their commune. */
  formerCodes: Map<string, { nom: string; code: string }>;
  /** Postal code → communes actuelles and arrondissements using it. */
  byPostalCode: Map<string, string[]>;
  /** Name key (with and without article) → codes; former communes point to their commune. */
  byName: Map<string, string[]>;
  epcis: Map<string, AreaRecord>;
  departements: Map<string, AreaRecord & { region: string }>;
  regions: Map<string, AreaRecord>;
}

const require = createRequire(import.meta.url);

function readPackageJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8')) as T;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function addName(byName: Map<string, string[]>, key: string, code: string): void {
  push(byName, key, code);
  const bare = keyWithoutArticle(key);
  if (bare !== key) push(byName, bare, code);
}

let cached: BaseData | undefined;

/** The package data never changes while the process runs: built once, shared by every instance. */
export function loadBaseData(): BaseData {
  cached ??= buildBaseData();
  return cached;
}

function buildBaseData(): BaseData {
  const raw = readPackageJson<RawCommune[]>('communes.json');
  const rawEpcis = readPackageJson<RawEpci[]>('epci.json');
  const rawDepartements = readPackageJson<RawDepartement[]>('departements.json');
  const rawRegions = readPackageJson<RawRegion[]>('regions.json');

  const epciOf = new Map<string, string>();
  for (const epci of rawEpcis) for (const member of epci.membres) epciOf.set(member.code, epci.code);

  const communes = new Map<string, CommuneRecord>();
  const byPostalCode = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const formerCodes = new Map<string, { nom: string; code: string }>();

  for (const c of raw) {
    if (c.type !== 'commune-actuelle') continue;
    communes.set(c.code, {
      code: c.code,
      nom: c.nom,
      codesPostaux: c.codesPostaux ?? [],
      codeDepartement: c.departement,
      codeRegion: c.region,
      codeEpci: epciOf.get(c.code) ?? null,
      population: c.population ?? null,
      parent: null,
      arrondissements: [],
      key: nameKey(c.nom),
    });
  }
  for (const c of raw) {
    if (c.type !== 'arrondissement-municipal' || !c.commune) continue;
    const city = communes.get(c.commune);
    city?.arrondissements.push(c.code);
    communes.set(c.code, {
      code: c.code,
      nom: c.nom,
      codesPostaux: c.codesPostaux ?? [],
      codeDepartement: c.departement,
      codeRegion: c.region,
      codeEpci: city?.codeEpci ?? null,
      population: c.population ?? null,
      parent: c.commune,
      arrondissements: [],
      key: nameKey(c.nom),
    });
  }
  for (const commune of communes.values()) {
    for (const cp of commune.codesPostaux) push(byPostalCode, cp, commune.code);
    addName(byName, commune.key, commune.code);
  }
  // "Paris Centre" groups arrondissements 1 to 4 since 2020; sources use it as a commune name.
  if (communes.has('75056')) addName(byName, 'paris centre', '75056');
  // Former communes (merged into a "commune nouvelle" or associated): their name and code still
  // circulate in source files; they lead to the commune that absorbed them.
  for (const c of raw) {
    if (c.type !== 'commune-deleguee' && c.type !== 'commune-associee') continue;
    const target = c.chefLieu ?? c.commune;
    if (!target || !communes.has(target)) continue;
    addName(byName, nameKey(c.nom), target);
    if (!communes.has(c.code)) formerCodes.set(c.code, { nom: c.nom, code: target });
  }

  const epcis = new Map<string, AreaRecord>();
  for (const e of rawEpcis) {
    const members = e.membres.map((m) => m.code).filter((code) => communes.has(code));
    epcis.set(e.code, {
      code: e.code,
      nom: e.nom,
      population: e.populationMunicipale ?? sumPopulation(members, communes),
      communes: withArrondissements(members, communes),
    });
  }

  const departements = new Map<string, AreaRecord & { region: string }>();
  for (const d of rawDepartements) departements.set(d.code, { code: d.code, nom: d.nom, region: d.region, population: 0, communes: [] });
  const regions = new Map<string, AreaRecord>();
  for (const r of rawRegions) regions.set(r.code, { code: r.code, nom: r.nom, population: 0, communes: [] });
  for (const commune of communes.values()) {
    const departement = departements.get(commune.codeDepartement);
    const region = regions.get(commune.codeRegion);
    departement?.communes.push(commune.code);
    region?.communes.push(commune.code);
    // Arrondissements are counted in their city's population already.
    if (commune.parent === null) {
      if (departement) departement.population! += commune.population ?? 0;
      if (region) region.population! += commune.population ?? 0;
    }
  }

  return { communes, formerCodes, byPostalCode, byName, epcis, departements, regions };
}

function sumPopulation(codes: string[], communes: Map<string, CommuneRecord>): number {
  return codes.reduce((sum, code) => sum + (communes.get(code)?.population ?? 0), 0);
}

/** A city split into arrondissements comes with them, so places coded either way are found. */
function withArrondissements(codes: string[], communes: Map<string, CommuneRecord>): string[] {
  const out: string[] = [];
  for (const code of codes) {
    out.push(code);
    out.push(...(communes.get(code)?.arrondissements ?? []));
  }
  return out;
}
