// Checks a record's coordinates against its commune before validation: zero coordinates,
// swapped latitude/longitude and points far from the stated commune are common in producers'
// files. Swaps are corrected; unusable positions are dropped so the place goes to the position
// geocoded from its address (imports.geocoding.ts) or else to its commune centre (flagged
// approximate by validation). Each case leaves a warning for the producer.
import type { Territories } from '../territories/territories.types.ts';
import type { RowError } from './imports.errors.ts';
import type { RawLieu } from './imports.fields.ts';

/** Farther than this from the commune centre, a point is not in the commune (largest communes ≈ 25 km across, Guyane aside). */
export const maxDistanceFromCommuneKm = 40;

export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function number(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Neither latitude nor longitude given (or both dropped): the place needs its address geocoded. */
export function lacksPosition(lieu: RawLieu): boolean {
  return blank(lieu.latitude) && blank(lieu.longitude);
}

/** The geocoding stage's verdict for a record without usable coordinates (imports.geocoding.ts). */
export type GeocodedPosition =
  | { status: 'found'; latitude: number; longitude: number; label: string; score: number }
  /** Not found, not precise enough or in another commune: French warning for the producer. */
  | { status: 'refused'; message: string }
  /** The geocoder is disabled or could not answer: commune centre, and the row is looked up again next run. */
  | { status: 'unavailable' };

/**
 * `geocoded`: the position found from the address when the given one is missing or dropped;
 * absent when geocoding was not possible (the commune centre is then used).
 */
export function checkPosition(lieu: RawLieu, territories: Territories, row: number, geocoded?: GeocodedPosition): { lieu: RawLieu; warnings: RowError[] } {
  const found = geocoded?.status === 'found' ? geocoded : null;
  const latitude = number(lieu.latitude);
  const longitude = number(lieu.longitude);
  // The usual case, a point near its commune centre (or no centre known): kept as is, with nothing built for the other cases.
  if (latitude !== null && longitude !== null && latitude !== 0) {
    const resolution = territories.resolveCommune({ code_insee: lieu.code_insee as string, code_postal: lieu.code_postal as string, commune: lieu.commune as string });
    const centre = resolution.ok ? resolution.commune.centre : null;
    if (!centre || distanceKm({ latitude, longitude }, centre) <= maxDistanceFromCommuneKm) return { lieu, warnings: [] };
  }
  const consequence = found
    ? `le lieu est placé à l’adresse retrouvée dans la Base Adresse Nationale (« ${found.label} »).`
    : 'le lieu est placé au centre de sa commune (position approximative).';
  const withGeocoding = (checked: { lieu: RawLieu; warnings: RowError[] }) => {
    if (!lacksPosition(checked.lieu)) return checked; // a half or unreadable position is left for validation to report
    if (found) return { lieu: { ...checked.lieu, latitude: String(found.latitude), longitude: String(found.longitude) }, warnings: checked.warnings };
    if (geocoded?.status === 'refused') return { lieu: checked.lieu, warnings: [...checked.warnings, { row, field: 'adresse', value: String(lieu.adresse ?? ''), message: geocoded.message }] };
    return checked;
  };
  if (latitude === null || longitude === null) return withGeocoding({ lieu, warnings: [] });
  const value = `${lieu.latitude}, ${lieu.longitude}`;
  const drop = (message: string) => {
    const { latitude: _a, longitude: _b, ...rest } = lieu;
    return withGeocoding({ lieu: rest, warnings: [{ row, field: 'latitude', value, message }] });
  };
  // Latitude 0 is the equator; longitude 0 alone is real in France (Greenwich crosses it).
  if (latitude === 0) {
    return drop(`Coordonnées nulles (0) ignorées : ${consequence}`);
  }
  const resolution = territories.resolveCommune({ code_insee: lieu.code_insee as string, code_postal: lieu.code_postal as string, commune: lieu.commune as string });
  const centre = resolution.ok ? resolution.commune.centre : null;
  if (!centre) return { lieu, warnings: [] };
  const point = { latitude, longitude };
  const distance = distanceKm(point, centre);
  if (distance <= maxDistanceFromCommuneKm) return { lieu, warnings: [] };
  const swapped = { latitude: longitude, longitude: latitude };
  if (Math.abs(swapped.latitude) <= 90 && distanceKm(swapped, centre) <= maxDistanceFromCommuneKm) {
    return {
      lieu: { ...lieu, latitude: String(swapped.latitude), longitude: String(swapped.longitude) },
      warnings: [{ row, field: 'latitude', value, message: 'Latitude et longitude étaient inversées : elles ont été remises dans le bon ordre.' }],
    };
  }
  const commune = resolution.ok ? resolution.commune.nom : String(lieu.commune);
  return drop(`La position est à ${Math.round(distance)} km de ${commune} (hors de la commune indiquée) : elle est ignorée et ${consequence}`);
}
