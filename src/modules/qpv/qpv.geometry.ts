// QPV shapes in memory and the spatial look-ups the platform needs: which QPV a point lies
// in, and how far a point is from a QPV contour. Flatbush indexes the bounding boxes; the
// exact tests run on the few candidates (turf for inside, cheap-ruler for edge distance).
import Flatbush from 'flatbush';
import CheapRuler from 'cheap-ruler';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type QpvListe = '2015' | '2024';
export type QpvGeometry = Polygon | MultiPolygon;
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export interface QpvShape {
  code: string;
  nom: string;
  /** INSEE code of the main commune, when known. */
  commune: string | null;
  liste: QpvListe;
  population: number | null;
  bbox: BBox;
  geometry: QpvGeometry;
}

export interface QpvMatch {
  code_qp: string;
  relation: 'dans' | 'proche';
  /** 0 inside; otherwise distance from the point to the nearest contour edge, in metres. */
  distance_m: number;
}

const METRES_PER_DEGREE_LAT = 111_320;
/** A point this close to a contour is on it (floating-point rounding of edge points). */
export const BOUNDARY_TOLERANCE_M = 0.05;

export function geometryBBox(geometry: QpvGeometry): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const ring of rings(geometry)) {
    for (const position of ring) {
      const lon = position[0]!;
      const lat = position[1]!;
      if (lon < minLon) minLon = lon;
      if (lat < minLat) minLat = lat;
      if (lon > maxLon) maxLon = lon;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

function rings(geometry: QpvGeometry): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** True when the point is inside the contour or on its boundary (holes excluded). */
export function pointInQpv(lon: number, lat: number, geometry: QpvGeometry): boolean {
  return booleanPointInPolygon([lon, lat], geometry);
}

/** Distance in metres from the point to the nearest edge of the contour (outer rings and holes). */
export function distanceToContourM(lon: number, lat: number, geometry: QpvGeometry): number {
  const ruler = new CheapRuler(lat, 'meters');
  const p: [number, number] = [lon, lat];
  let best = Infinity;
  for (const ring of rings(geometry)) {
    const line = ring as [number, number][];
    if (line.length < 2) continue;
    const nearest = ruler.pointOnLine(line, p).point;
    const d = ruler.distance(p, nearest);
    if (d < best) best = d;
  }
  return best;
}

/** Distance from the point to the QPV: 0 when inside or on the contour, else to the contour. */
export function distanceToQpvM(lon: number, lat: number, geometry: QpvGeometry): number {
  if (pointInQpv(lon, lat, geometry)) return 0;
  const d = distanceToContourM(lon, lat, geometry);
  return d <= BOUNDARY_TOLERANCE_M ? 0 : d;
}

/** Expands a bounding box by a distance in metres (enough for the few hundred metres we use). */
export function expandBBox([minLon, minLat, maxLon, maxLat]: BBox, metres: number): BBox {
  const dLat = metres / METRES_PER_DEGREE_LAT;
  const maxAbsLat = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)) + dLat);
  const dLon = metres / (METRES_PER_DEGREE_LAT * Math.cos((maxAbsLat * Math.PI) / 180));
  return [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat];
}

/** An immutable spatial index of QPV shapes. */
export class QpvIndex {
  private readonly index: Flatbush | null;

  constructor(readonly shapes: readonly QpvShape[]) {
    if (shapes.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(shapes.length);
    for (const shape of shapes) this.index.add(...shape.bbox);
    this.index.finish();
  }

  get size(): number {
    return this.shapes.length;
  }

  /**
   * The QPVs the point lies in ('dans') and those whose contour is at most `radiusM` away
   * ('proche'), nearest first.
   */
  locate(lon: number, lat: number, radiusM: number): QpvMatch[] {
    if (!this.index) return [];
    const [minLon, minLat, maxLon, maxLat] = expandBBox([lon, lat, lon, lat], radiusM);
    const matches: QpvMatch[] = [];
    for (const i of this.index.search(minLon, minLat, maxLon, maxLat)) {
      const shape = this.shapes[i]!;
      if (pointInQpv(lon, lat, shape.geometry)) {
        matches.push({ code_qp: shape.code, relation: 'dans', distance_m: 0 });
        continue;
      }
      const d = distanceToContourM(lon, lat, shape.geometry);
      if (d <= BOUNDARY_TOLERANCE_M) matches.push({ code_qp: shape.code, relation: 'dans', distance_m: 0 });
      else if (d <= radiusM) matches.push({ code_qp: shape.code, relation: 'proche', distance_m: Math.round(d * 10) / 10 });
    }
    return matches.sort((a, b) => a.distance_m - b.distance_m || a.code_qp.localeCompare(b.code_qp));
  }
}
