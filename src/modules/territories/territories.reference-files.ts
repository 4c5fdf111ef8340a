// The official reference files Maillage reads from MAILLAGE_REFERENCE_DIR, with the feature each
// one powers: `data status` reports them and `data download` fetches them into this layout.
import fs from 'node:fs';
import path from 'node:path';

export interface ReferenceFile {
  /** Stable identifier, used by `maillage data download --only`. */
  id: string;
  /** Path inside the reference folder. */
  path: string;
  /** What it is, in French. */
  label: string;
  /** What stops working or gets coarser without it, in French. */
  degradedFeature: string;
  /** Files of an older layout that can stand in for it (e.g. the shared 2015 QPV extracts). */
  alternatives?: string[];
}

export const communeCentresFile: ReferenceFile = {
  id: 'centres',
  path: 'communes/communes-centres-geoapi-2025.json',
  label: 'centres des communes (geo.api.gouv.fr)',
  degradedFeature:
    "les centres des communes sont inconnus : un lieu sans coordonnées ne peut pas être placé au centre de sa commune et la recherche autour d'une commune est indisponible",
};

export const arrondissementCentresFile: ReferenceFile = {
  id: 'arrondissements',
  path: 'communes/arrondissements-centres-geoapi.json',
  label: 'centres des arrondissements de Paris, Lyon et Marseille (geo.api.gouv.fr)',
  degradedFeature: 'les arrondissements de Paris, Lyon et Marseille sont placés au centre de leur ville',
  alternatives: ['communes/communes-france-cog2024.csv'],
};

export const qpvFile: ReferenceFile = {
  id: 'qpv',
  path: 'qpv/qpv-2024.geojson',
  label: 'contours des quartiers prioritaires de la politique de la ville (ANCT, data.gouv.fr)',
  degradedFeature: 'les lieux ne peuvent pas être rattachés à un quartier prioritaire (QPV)',
  alternatives: ['qpv/qpv-2015-occitanie.geojson', 'qpv/qpv-2015-rennes.geojson'],
};

export const departementContoursFile: ReferenceFile = {
  id: 'contours-departements',
  path: 'contours/departements-avec-outre-mer.geojson',
  label: 'contours des départements (IGN Admin Express, Etalab)',
  degradedFeature: "la carte de l'observatoire n'affiche pas les départements",
};

export const simplifiedDepartementContoursFile: ReferenceFile = {
  id: 'contours-carte',
  path: 'contours/departements-version-simplifiee.geojson',
  label: 'contours simplifiés des départements de métropole (fond de carte du site)',
  degradedFeature: "la carte du site s'affiche sans le fond des départements",
};

export const regionContoursFile: ReferenceFile = {
  id: 'contours-regions',
  path: 'contours/regions-avec-outre-mer.geojson',
  label: 'contours des régions (IGN Admin Express, Etalab)',
  degradedFeature: "la carte de l'observatoire n'affiche pas les régions",
};

export const referenceFiles: ReferenceFile[] = [
  communeCentresFile,
  arrondissementCentresFile,
  qpvFile,
  departementContoursFile,
  simplifiedDepartementContoursFile,
  regionContoursFile,
];

export interface ReferenceFileStatus {
  file: ReferenceFile;
  /** The file actually found (the main path or an alternative), relative to the folder. */
  found: string | null;
  sizeBytes: number | null;
  modifiedAt: Date | null;
}

export function referenceFileStatus(referenceDir: string, file: ReferenceFile): ReferenceFileStatus {
  for (const candidate of [file.path, ...(file.alternatives ?? [])]) {
    try {
      const stat = fs.statSync(path.join(referenceDir, candidate));
      if (stat.isFile()) return { file, found: candidate, sizeBytes: stat.size, modifiedAt: stat.mtime };
    } catch {
      // absent: try the next candidate
    }
  }
  return { file, found: null, sizeBytes: null, modifiedAt: null };
}
