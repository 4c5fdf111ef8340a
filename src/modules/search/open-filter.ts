// "Open at" filter shared by both engines: isOpenAt with the place's position and
// département (public holidays, sun times). Places whose hours give the same answer at any
// instant share an "hours key" (same hours text, same holiday region, and the same position
// only for sun-based hours), so one query evaluates each key once, not each place.
import { holidayContext, isOpenAt, nextChange, type HorairesLocation } from '../../lib/opening-hours.ts';

export interface OpenCheckPlace {
  horaires: string | null;
  latitude: number | null;
  longitude: number | null;
  code_departement: string | null;
}

const SUN_WORDS = /sun|dawn|dusk/i;

function locationOf(place: OpenCheckPlace): HorairesLocation | undefined {
  return place.latitude !== null && place.longitude !== null
    ? { latitude: place.latitude, longitude: place.longitude, code_departement: place.code_departement }
    : undefined;
}

/** Places with the same key are open at the same instants; null when the place has no hours. */
export function hoursKey(place: OpenCheckPlace): string | null {
  if (place.horaires === null || place.horaires.trim() === '') return null;
  const location = locationOf(place);
  if (!location) return `-|${place.horaires}`;
  const sun = SUN_WORDS.test(place.horaires) ? `${location.latitude},${location.longitude}` : '';
  return `${holidayContext(location).address.state}|${sun}|${place.horaires}`;
}

/** Open at `at`? Invalid hours, or hours the library cannot evaluate, count as not open. */
export function isPlaceOpenAt(place: OpenCheckPlace, at: Date): boolean {
  if (place.horaires === null || place.horaires.trim() === '') return false;
  try {
    return isOpenAt(place.horaires, at, locationOf(place));
  } catch {
    return false;
  }
}

const YEAR_MS = 365 * 86_400_000;

/**
 * Open at `at`, and until when that answer holds (the next change of state; a year ahead
 * when none is found), so a read model can reuse it for later instants.
 */
export function openStateFrom(place: OpenCheckPlace, at: Date): { open: boolean; until: number } {
  const open = isPlaceOpenAt(place, at);
  let until = at.getTime() + YEAR_MS;
  if (place.horaires !== null && place.horaires.trim() !== '') {
    try {
      const next = nextChange(place.horaires, at, locationOf(place));
      if (next) until = next.getTime();
    } catch {
      // hours the library cannot evaluate: closed, as isPlaceOpenAt says
    }
  }
  return { open, until };
}

/** A predicate for one instant, memoised by hours key for the duration of one query. */
export function openAtChecker(at: Date): (place: OpenCheckPlace) => boolean {
  const memo = new Map<string, boolean>();
  return (place) => {
    const key = hoursKey(place);
    if (key === null) return false;
    let open = memo.get(key);
    if (open === undefined) {
      open = isPlaceOpenAt(place, at);
      memo.set(key, open);
    }
    return open;
  };
}
