// "Open at" filter shared by both engines: isOpenAt with the place's position and
// département (public holidays, sun times). Within one query, places with the same hours
// and the same holiday context share one evaluation: many places copy the same hours.
import { isOpenAt, type HorairesLocation } from '../../lib/opening-hours.ts';

export interface OpenCheckPlace {
  horaires: string | null;
  latitude: number | null;
  longitude: number | null;
  code_departement: string | null;
}

const SUN_WORDS = /sun|dawn|dusk/i;

/** A predicate for one instant, memoised for the duration of one query. */
export function openAtChecker(at: Date): (place: OpenCheckPlace) => boolean {
  const memo = new Map<string, boolean>();
  return (place) => {
    if (place.horaires === null || place.horaires.trim() === '') return false;
    const located = place.latitude !== null && place.longitude !== null;
    const where = !located
      ? '-'
      : SUN_WORDS.test(place.horaires)
        ? `${place.code_departement}|${place.latitude},${place.longitude}`
        : `${place.code_departement}`;
    const key = `${where}|${place.horaires}`;
    let open = memo.get(key);
    if (open === undefined) {
      const location: HorairesLocation | undefined = located
        ? { latitude: place.latitude!, longitude: place.longitude!, code_departement: place.code_departement }
        : undefined;
      try {
        open = isOpenAt(place.horaires, at, location);
      } catch {
        open = false; // hours the library cannot evaluate count as not open, like invalid ones
      }
      memo.set(key, open);
    }
    return open;
  };
}
