// `maillage data download`: fetches the official reference files into the reference folder,
// in the layout the platform reads, each checked before it replaces the previous one.
import path from 'node:path';
import { unzipSync } from 'fflate';
import { downloadToFile, DownloadError } from '../../lib/download.ts';
import type { CentreRow } from './territories.centres.ts';
import {
  arrondissementCentresFile,
  communeCentresFile,
  departementContoursFile,
  qpvFile,
  regionContoursFile,
  simplifiedDepartementContoursFile,
  type ReferenceFile,
} from './territories.reference-files.ts';

export interface ReferenceUrls {
  geoApi: string;
  dataGouv: string;
  contours: string;
}

/** Minimum sizes below which a download is refused as truncated or wrong. */
export interface DownloadThresholds {
  communes: number;
  arrondissements: number;
  qpv: number;
  departements: number;
  regions: number;
}

export const defaultThresholds: DownloadThresholds = {
  communes: 30_000,
  arrondissements: 45,
  qpv: 1_000,
  departements: 100,
  regions: 18,
};

/** data.gouv.fr resource of the 2024 QPV contours (ANCT), GeoJSON, possibly zipped. */
export const QPV_RESOURCE_ID = '942d4ee8-8142-4556-8ea1-335537ce1119';

const centreFields = 'fields=nom,code,codeDepartement,population,centre&format=json&geometry=centre';

export interface DownloadJob {
  file: ReferenceFile;
  url: string;
  prepare: (body: Uint8Array) => string;
}

function decode(body: Uint8Array): string {
  return new TextDecoder('utf-8').decode(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`JSON invalide : ${(error as Error).message}`);
  }
}

/** geo.api.gouv.fr communes → the {code, nom, dept, lat, lon, population} layout. */
export function toCentreRows(body: Uint8Array, minimum: number, what: string): string {
  const data = parseJson(decode(body));
  if (!Array.isArray(data)) throw new Error('une liste JSON de communes est attendue');
  const rows: CentreRow[] = [];
  for (const item of data as Record<string, unknown>[]) {
    const centre = item?.centre as { coordinates?: unknown } | undefined;
    const coordinates = Array.isArray(centre?.coordinates) ? (centre.coordinates as unknown[]) : [];
    const [lon, lat] = coordinates;
    if (typeof item?.code !== 'string' || typeof lat !== 'number' || typeof lon !== 'number') continue;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) continue;
    rows.push({
      code: item.code,
      nom: typeof item.nom === 'string' ? item.nom : '',
      dept: typeof item.codeDepartement === 'string' ? item.codeDepartement : '',
      lat,
      lon,
      population: typeof item.population === 'number' ? item.population : null,
    });
  }
  if (rows.length < minimum) {
    throw new Error(`${rows.length} ${what} avec un centre reçus, au moins ${minimum} attendus`);
  }
  return `${JSON.stringify(rows)}\n`;
}

/** The GeoJSON text of a body that is either GeoJSON or a ZIP holding one. */
function geoJsonText(body: Uint8Array): string {
  const isZip = body[0] === 0x50 && body[1] === 0x4b;
  if (!isZip) return decode(body);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(body, { filter: (file) => /\.(geo)?json$/i.test(file.name) });
  } catch (error) {
    throw new Error(`archive ZIP illisible : ${(error as Error).message}`);
  }
  const name = Object.keys(files).sort()[0];
  if (!name) throw new Error("l'archive ZIP ne contient aucun fichier GeoJSON");
  return decode(files[name]!);
}

function featureCollection(text: string): { type: string; features: { properties?: Record<string, unknown> }[] } {
  const data = parseJson(text) as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  if (data?.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
    throw new Error('une FeatureCollection GeoJSON est attendue');
  }
  const crs = data.crs?.properties?.name;
  if (typeof crs === 'string' && !/CRS84|4326/.test(crs)) {
    throw new Error(`coordonnées en « ${crs} », WGS84 attendu`);
  }
  return data as ReturnType<typeof featureCollection>;
}

export function checkQpv(body: Uint8Array, minimum: number): string {
  const text = geoJsonText(body);
  const collection = featureCollection(text);
  const withCode = collection.features.filter((f) => {
    const code = f?.properties?.code_qp ?? f?.properties?.CODE_QP;
    return typeof code === 'string' && /^Q[NP]/i.test(code);
  }).length;
  if (withCode < minimum) throw new Error(`${withCode} quartiers avec un code QPV reçus, au moins ${minimum} attendus`);
  return text;
}

export function checkContours(body: Uint8Array, minimum: number, what: string, keep?: (code: string) => boolean): string {
  const text = decode(body);
  const collection = featureCollection(text);
  const valid = collection.features.filter((f) => typeof f?.properties?.code === 'string');
  if (valid.length < minimum) throw new Error(`${valid.length} ${what} avec un code reçus, au moins ${minimum} attendus`);
  if (!keep) return text;
  return `${JSON.stringify({ ...collection, features: valid.filter((f) => keep(f.properties!.code as string)) })}\n`;
}

export function downloadJobs(urls: ReferenceUrls, thresholds: DownloadThresholds = defaultThresholds): DownloadJob[] {
  return [
    {
      file: communeCentresFile,
      url: `${urls.geoApi}/communes?${centreFields}`,
      prepare: (body) => toCentreRows(body, thresholds.communes, 'communes'),
    },
    {
      file: arrondissementCentresFile,
      url: `${urls.geoApi}/communes?type=arrondissement-municipal&${centreFields}`,
      prepare: (body) => toCentreRows(body, thresholds.arrondissements, 'arrondissements'),
    },
    {
      file: qpvFile,
      url: `${urls.dataGouv}/fr/datasets/r/${QPV_RESOURCE_ID}`,
      prepare: (body) => checkQpv(body, thresholds.qpv),
    },
    {
      file: departementContoursFile,
      url: `${urls.contours}/departements-100m.geojson`,
      prepare: (body) => checkContours(body, thresholds.departements, 'départements'),
    },
    {
      file: simplifiedDepartementContoursFile,
      url: `${urls.contours}/departements-1000m.geojson`,
      // The site's base map shows metropolitan France only.
      prepare: (body) => checkContours(body, thresholds.departements, 'départements', (code) => !code.startsWith('97')),
    },
    {
      file: regionContoursFile,
      url: `${urls.contours}/regions-100m.geojson`,
      prepare: (body) => checkContours(body, thresholds.regions, 'régions'),
    },
  ];
}

export interface DownloadReport {
  file: ReferenceFile;
  url: string;
  ok: boolean;
  bytes?: number;
  error?: string;
}

export interface DownloadReferenceOptions {
  referenceDir: string;
  urls: ReferenceUrls;
  /** Ids of the files to fetch (see referenceFiles); all when absent. */
  only?: string[];
  thresholds?: DownloadThresholds;
  fetch?: typeof fetch;
  /** One French line per step, for the operator. */
  progress?: (line: string) => void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** Downloads every file in turn; one failure does not stop the others. */
export async function downloadReferenceData(options: DownloadReferenceOptions): Promise<DownloadReport[]> {
  const jobs = downloadJobs(options.urls, options.thresholds).filter((job) => !options.only || options.only.includes(job.file.id));
  const reports: DownloadReport[] = [];
  for (const job of jobs) {
    options.progress?.(`Téléchargement de ${job.file.path} (${job.file.label}) depuis ${job.url}`);
    let nextStep = 5e6;
    try {
      const result = await downloadToFile({
        url: job.url,
        target: path.join(options.referenceDir, job.file.path),
        label: job.file.path,
        prepare: job.prepare,
        fetch: options.fetch,
        onProgress: (received, total) => {
          if (received < nextStep) return;
          nextStep += 5e6;
          options.progress?.(`  … ${megabytes(received)}${total ? ` sur ${megabytes(total)}` : ''}`);
        },
      });
      options.progress?.(`  ${job.file.path} : ${megabytes(result.writtenBytes)} écrits.`);
      reports.push({ file: job.file, url: job.url, ok: true, bytes: result.writtenBytes });
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      options.progress?.(`  Échec : ${error.message}`);
      reports.push({ file: job.file, url: job.url, ok: false, error: error.message });
    }
  }
  return reports;
}
