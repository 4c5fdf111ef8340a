// Choropleth maps of the observatory pages, drawn on the server as SVG paths (no script, no
// tiles): the sub-territories of a page coloured by class of a figure, with a legend giving
// each class's bounds in numbers. Contours come from the reference data (<referenceDir>/contours,
// IGN Admin Express simplified, 2018 geography) and the QPV contours.
import fs from 'node:fs';
import path from 'node:path';
import type { Position } from 'geojson';

export type MapGeometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface MapFeature {
  code: string;
  nom: string;
  geometry: MapGeometry;
}

export interface MapArea {
  code: string;
  nom: string;
  href?: string;
  /** SVG path in the map's viewBox. */
  d: string;
  value: number | null;
  /** Class index in the legend, -1 when the value is unknown. */
  classIndex: number;
}

export interface MapClass {
  colour: string;
  label: string;
}

export interface ChoroplethModel {
  title: string;
  /** What the figure is, e.g. "Lieux pour 10 000 habitants". */
  measure: string;
  width: number;
  height: number;
  areas: MapArea[];
  classes: MapClass[];
  /** Legend entry of unknown values (hatched), when some area has none. */
  unknownLabel?: string;
  source: string;
}

/** Where each level's contours are, relative to <referenceDir>/contours (first file that has the code wins). */
export const CONTOUR_FILES = {
  region: ['regions-version-simplifiee.geojson'],
  departement: ['departements-version-simplifiee.geojson'],
  commune: ['communes-hauts-de-france.geojson'],
} as const;

export const CONTOURS_SOURCE = 'Contours : IGN Admin Express COG 2018, simplifiés (france-geojson)';

const cache = new Map<string, Map<string, MapFeature> | Error>();

/** The features of a contour file by code; a missing or broken file is an Error (cached, said once). */
export function readContours(file: string): Map<string, MapFeature> | Error {
  const known = cache.get(file);
  if (known) return known;
  let result: Map<string, MapFeature> | Error;
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { features?: { properties?: { code?: string; nom?: string }; geometry?: MapGeometry }[] };
    if (!Array.isArray(data.features)) throw new Error('ce n’est pas une FeatureCollection GeoJSON');
    result = new Map();
    for (const f of data.features) {
      const code = f.properties?.code;
      if (!code || !f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
      result.set(code, { code, nom: f.properties?.nom ?? code, geometry: f.geometry });
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'fichier absent' : (error as Error).message;
    result = new Error(`Contours ${path.basename(file)} : ${reason}.`);
  }
  cache.set(file, result);
  return result;
}

/** The contours of these codes at a level, and the French messages of unreadable contour files. */
export function contoursOf(referenceDir: string, level: keyof typeof CONTOUR_FILES, codes: readonly string[]): { features: MapFeature[]; problems: string[] } {
  const found = new Map<string, MapFeature>();
  const problems: string[] = [];
  for (const name of CONTOUR_FILES[level]) {
    const features = readContours(path.join(referenceDir, 'contours', name));
    if (features instanceof Error) {
      problems.push(features.message);
      continue;
    }
    for (const code of codes) {
      const feature = features.get(code);
      if (feature && !found.has(code)) found.set(code, feature);
    }
  }
  return { features: codes.flatMap((code) => (found.has(code) ? [found.get(code)!] : [])), problems };
}

/** Sequential blues (DSFR "bleu France" tints), light = low; each has a contrast ≥ 3:1 with the next-but-one. */
const PALETTE = ['#ececfe', '#cacafb', '#8585f6', '#5656c7', '#000091'];

/** Class bounds by quantiles of the known values (at most 5 classes, no empty or duplicate class). */
export function classBreaks(values: readonly number[], classes = PALETTE.length): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const value = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))]!;
    if (value > sorted[0]! && !breaks.includes(value)) breaks.push(value);
  }
  return breaks; // class k holds values < breaks[k] (and ≥ breaks[k-1])
}

function classOf(value: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && value >= breaks[k]!) k++;
  return k;
}

const fmt = (v: number, digits: number) => v.toLocaleString('fr-FR', { maximumFractionDigits: digits });

/**
 * Projects WGS84 contours onto a width-wide viewBox (equirectangular, scaled by the cosine of the
 * middle latitude: right for areas the size of a région) and colours them by class.
 */
export function buildChoropleth(options: {
  title: string;
  measure: string;
  features: readonly (MapFeature & { href?: string; value: number | null })[];
  digits?: number;
  width?: number;
  source?: string;
  /** Fixed classes instead of quantiles, e.g. covered / uncovered QPVs. */
  fixedClasses?: { classes: MapClass[]; classOf: (value: number) => number };
}): ChoroplethModel | undefined {
  const { features } = options;
  if (features.length === 0) return undefined;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const f of features) {
    for (const ring of ringsOf(f.geometry)) {
      for (const [lon, lat] of ring as [number, number][]) {
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = options.width ?? 560;
  const spanX = Math.max((maxLon - minLon) * k, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = width / spanX;
  const height = Math.max(120, Math.round(spanY * scale));
  const x = (lon: number) => Math.round((lon - minLon) * k * scale * 10) / 10;
  const y = (lat: number) => Math.round((maxLat - lat) * scale * 10) / 10;

  const digits = options.digits ?? 1;
  let classes: MapClass[];
  let classIndexOf: (value: number) => number;
  if (options.fixedClasses) {
    classes = options.fixedClasses.classes;
    classIndexOf = options.fixedClasses.classOf;
  } else {
    const breaks = classBreaks(features.flatMap((f) => (f.value === null ? [] : [f.value])));
    const palette = paletteFor(breaks.length + 1);
    const bounds = [-Infinity, ...breaks, Infinity];
    const known = features.flatMap((f) => (f.value === null ? [] : [f.value]));
    const max = known.length ? Math.max(...known) : 0;
    const min = known.length ? Math.min(...known) : 0;
    classes = palette.map((colour, i) => {
      const from = i === 0 ? min : bounds[i]!;
      const to = i === palette.length - 1 ? max : bounds[i + 1]!;
      const label = i === palette.length - 1 ? `de ${fmt(from, digits)} à ${fmt(to, digits)}` : `de ${fmt(from, digits)} à moins de ${fmt(to, digits)}`;
      return { colour, label };
    });
    classIndexOf = (value) => classOf(value, breaks);
  }
  const areas = features.map((f) => ({
    code: f.code,
    nom: f.nom,
    href: f.href,
    d: pathOf(f.geometry, x, y),
    value: f.value,
    classIndex: f.value === null ? -1 : classIndexOf(f.value),
  }));
  return {
    title: options.title,
    measure: options.measure,
    width,
    height,
    areas,
    classes,
    unknownLabel: areas.some((a) => a.classIndex === -1) ? 'Donnée non disponible' : undefined,
    source: options.source ?? CONTOURS_SOURCE,
  };
}

function paletteFor(count: number): string[] {
  if (count >= PALETTE.length) return PALETTE;
  if (count === 1) return [PALETTE[2]!];
  // Spread the classes over the palette so neighbours stay distinguishable.
  return Array.from({ length: count }, (_, i) => PALETTE[Math.round((i * (PALETTE.length - 1)) / (count - 1))]!);
}

function ringsOf(geometry: MapGeometry): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

function pathOf(geometry: MapGeometry, x: (lon: number) => number, y: (lat: number) => number): string {
  const parts: string[] = [];
  for (const ring of ringsOf(geometry)) {
    let previous = '';
    const points: string[] = [];
    for (const [lon, lat] of ring as [number, number][]) {
      const point = `${x(lon)} ${y(lat)}`;
      if (point !== previous) points.push(point);
      previous = point;
    }
    if (points.length >= 3) parts.push(`M${points.join('L')}Z`);
  }
  return parts.join('');
}
