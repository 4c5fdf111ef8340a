// Real communes for generated data: official list, postal codes, population and EPCI from
// @etalab/decoupage-administratif, joined with the geo.api.gouv.fr commune centres from the
// reference folder (shared/data/communes at dev time).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface ReferenceCommune {
  code: string;
  nom: string;
  codesPostaux: string[];
  population: number;
  codeDepartement: string;
  codeRegion: string;
  codeEpci: string | null;
  /** SIREN of the commune itself (its town hall's SIRET starts with it). */
  siren: string | null;
  latitude: number;
  longitude: number;
}

const require = createRequire(import.meta.url);
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const centresFile = path.join('communes', 'communes-centres-geoapi-2025.json');

/** Reference folders tried in order: the given one, var/reference, then the shared checkout. */
export function findCentresFile(referenceDir?: string): string {
  const candidates = [referenceDir, path.join(projectDir, 'var', 'reference'), path.join(projectDir, '..', 'shared', 'data')]
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) => path.join(dir, centresFile));
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`Fichier des centres de communes introuvable (cherché : ${candidates.join(', ')})`);
  return found;
}

interface DecoupageCommune {
  code: string;
  nom: string;
  type: string;
  zone: string;
  departement: string;
  region: string;
  codesPostaux?: string[];
  population?: number;
  siren?: string;
}

interface DecoupageEpci {
  code: string;
  membres: { code: string }[];
}

interface Centre {
  code: string;
  lat: number | null;
  lon: number | null;
  population: number | null;
}

let cache: ReferenceCommune[] | undefined;

/** Current communes that have a centre and a postal code (about 35,000). */
export function loadReferenceCommunes(referenceDir?: string): ReferenceCommune[] {
  if (cache) return cache;
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as DecoupageCommune[];
  const epcis = require('@etalab/decoupage-administratif/data/epci.json') as DecoupageEpci[];
  const epciOf = new Map<string, string>();
  for (const epci of epcis) for (const membre of epci.membres) epciOf.set(membre.code, epci.code);
  const centres = new Map<string, Centre>();
  for (const centre of JSON.parse(fs.readFileSync(findCentresFile(referenceDir), 'utf8')) as Centre[]) {
    centres.set(centre.code, centre);
  }
  const result: ReferenceCommune[] = [];
  for (const commune of communes) {
    // Metropolitan France and the five overseas départements: the registry's scope.
    if (commune.type !== 'commune-actuelle' || (commune.zone !== 'metro' && commune.zone !== 'drom')) continue;
    const centre = centres.get(commune.code);
    if (!centre || centre.lat == null || centre.lon == null || !commune.codesPostaux?.length) continue;
    result.push({
      code: commune.code,
      nom: commune.nom,
      codesPostaux: commune.codesPostaux,
      population: commune.population ?? centre.population ?? 0,
      codeDepartement: commune.departement,
      codeRegion: commune.region,
      codeEpci: epciOf.get(commune.code) ?? null,
      siren: commune.siren ?? null,
      latitude: centre.lat,
      longitude: centre.lon,
    });
  }
  cache = result;
  return result;
}
