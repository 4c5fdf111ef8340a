// Great-circle distance in whole metres, computed with the same operations as the SQL
// reference (search.repository.ts) so both engines sort and cut by radius identically.

export const EARTH_RADIUS_M = 6371008.8;
const RAD = Math.PI / 180;

/** Haversine distance rounded to the metre (floor(x + 0.5), as in SQL). */
export function distanceMetres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const sLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const h = sLat * sLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * (sLon * sLon);
  return Math.floor(2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h))) + 0.5);
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** Undefined when the circle reaches a pole or crosses the antimeridian: no longitude bound. */
  minLon?: number;
  maxLon?: number;
}

/** A box that surely contains every point within `radiusM` metres (prefilter only). */
export function boundingBox(lat: number, lon: number, radiusM: number): BoundingBox {
  const angular = (radiusM + 1) / EARTH_RADIUS_M;
  const dLat = (angular / RAD) * 1.0001 + 1e-6;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  if (minLat <= -90 || maxLat >= 90) return { minLat: Math.max(minLat, -90), maxLat: Math.min(maxLat, 90) };
  const ratio = Math.sin(angular) / Math.cos(lat * RAD);
  if (ratio >= 1) return { minLat, maxLat };
  const dLon = (Math.asin(ratio) / RAD) * 1.0001 + 1e-6;
  if (lon - dLon < -180 || lon + dLon > 180) return { minLat, maxLat };
  return { minLat, maxLat, minLon: lon - dLon, maxLon: lon + dLon };
}
