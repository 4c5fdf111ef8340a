// Opening hours ("horaires", OpenStreetMap opening_hours syntax) for the whole platform:
// validation with a French message, open/closed at an instant, next change, and a weekly
// French summary for place pages. The library reads dates in the process time zone, which
// is Europe/Paris in tests and production (bin/maillage.js and test/setup.ts set TZ).
import opening_hours, { type nominatim_object } from 'opening_hours';

/** Where the place is; only used for public holidays (PH) and sun-based times (sunrise…). */
export interface HorairesLocation {
  latitude: number;
  longitude: number;
  /** Selects regional holidays (Alsace-Moselle, overseas); metropolitan holidays otherwise. */
  code_departement?: string | null;
}

export type ParsedHoraires = { ok: true; oh: opening_hours } | { ok: false; message: string };

const PARIS: HorairesLocation = { latitude: 48.8566, longitude: 2.3522, code_departement: '75' };

// The opening_hours holiday table names these French "states"; every other département only
// has the national holidays, which any state value selects.
const STATE_BY_DEPARTEMENT: Record<string, string> = {
  '57': 'Moselle',
  '67': 'Bas-Rhin',
  '68': 'Haut-Rhin',
  '971': 'Guadeloupe',
  '972': 'Martinique',
  '973': 'Guyane',
  '974': 'La Réunion',
  '976': 'Mayotte',
  '977': 'Saint-Barthélemy',
  '978': 'Saint-Martin',
  '986': 'Wallis-et-Futuna',
  '987': 'Polynésie française',
  '988': 'Nouvelle-Calédonie',
};

/** The nominatim-like object opening_hours needs to know the public holidays of a place. */
export function holidayContext(location: HorairesLocation = PARIS): nominatim_object {
  const state = (location.code_departement && STATE_BY_DEPARTEMENT[location.code_departement]) || 'France métropolitaine';
  return { lat: location.latitude, lon: location.longitude, address: { country_code: 'fr', state } };
}

/** Parses without caching; invalid syntax gives a French message (the library's, in French). */
export function parseHoraires(value: string, location?: HorairesLocation): ParsedHoraires {
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, message: 'Les horaires sont vides.' };
  try {
    const oh = new opening_hours(trimmed, holidayContext(location), { locale: 'fr' } as never);
    return { ok: true, oh };
  } catch (error) {
    const detail = String(error instanceof Error ? error.message : error).trim();
    return {
      ok: false,
      message: `Les horaires ne respectent pas la syntaxe OpenStreetMap opening_hours (ex. « Mo-Fr 09:00-12:00,14:00-17:00; PH off ») : ${detail}`,
    };
  }
}

// Search evaluates the same few thousand distinct values again and again, and the library is
// slow (about 5 ms to parse, 0.25 ms per getState with PH rules): parse each value once, and
// keep its open intervals over the coming days so that "open at" is a binary search.
// Position only matters for sun-based times, so it joins the key only then.
const CACHE_LIMIT = 20_000;
const WINDOW_DAYS = 8;
const SUN_WORDS = /sun|dawn|dusk/i;

interface CacheEntry {
  parsed: ParsedHoraires;
  /** Open intervals (ms since epoch) over [from, to): starts[i] <= t < ends[i] means open. */
  window?: { from: number; to: number; starts: Float64Array; ends: Float64Array };
}

const cache = new Map<string, CacheEntry>();

function cachedEntry(horaires: string, location?: HorairesLocation): CacheEntry {
  const context = holidayContext(location);
  const where = SUN_WORDS.test(horaires) ? `${context.lat.toFixed(2)},${context.lon.toFixed(2)}` : '';
  const key = `${context.address.state}|${where}|${horaires}`;
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    entry = { parsed: parseHoraires(horaires, location) };
    cache.set(key, entry);
  }
  return entry;
}

function cachedParse(horaires: string, location?: HorairesLocation): ParsedHoraires {
  return cachedEntry(horaires, location).parsed;
}

/**
 * Syntax check for validation, through the same cache: producers' files repeat a few thousand
 * distinct values, and each parse costs milliseconds (imports validate tens of thousands of rows).
 */
export function checkHoraires(value: string): { ok: true } | { ok: false; message: string } {
  const parsed = cachedParse(value);
  return parsed.ok ? { ok: true } : parsed;
}

/** True when the place is open at `at`; invalid or empty hours, and "unknown" ones, count as not open. */
export function isOpenAt(horaires: string, at: Date, location?: HorairesLocation): boolean {
  const entry = cachedEntry(horaires, location);
  if (!entry.parsed.ok) return false;
  const t = at.getTime();
  let window = entry.window;
  if (!window || t < window.from || t >= window.to) {
    const from = addDays(startOfDay(at), -1);
    const to = addDays(from, WINDOW_DAYS + 1);
    const open = entry.parsed.oh.getOpenIntervals(from, to).filter(([, , unknown]) => !unknown);
    window = {
      from: from.getTime(),
      to: to.getTime(),
      starts: Float64Array.from(open, ([start]) => start.getTime()),
      ends: Float64Array.from(open, ([, end]) => end.getTime()),
    };
    entry.window = window;
  }
  // Last interval starting at or before t.
  let low = 0;
  let high = window.starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (window.starts[mid]! <= t) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found >= 0 && t < window.ends[found]!;
}

/** The next instant the state changes after `at` (within a year), or null if it never does. */
export function nextChange(horaires: string, at: Date, location?: HorairesLocation): Date | null {
  const parsed = cachedParse(horaires, location);
  if (!parsed.ok) return null;
  const limit = addDays(at, 366);
  return parsed.oh.getNextChange(at, limit) ?? null;
}

export const JOURS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;

export interface HorairesDay {
  /** French weekday, lower case ("lundi"). */
  jour: (typeof JOURS)[number];
  /** The day's date (local midnight). */
  date: Date;
  /** "9 h – 12 h, 14 h – 17 h 30", "Ouvert 24 h/24", "Fermé" or "Fermé (jour férié)". */
  label: string;
  open: boolean;
  holiday: boolean;
}

export interface HorairesSummary {
  open: boolean;
  /** "Ouvert maintenant · ferme à 17 h", "Fermé · ouvre demain à 9 h"… */
  status: string;
  /** Monday to Sunday of the week containing `now`. */
  days: HorairesDay[];
}

/** French summary of a place's week for its page; null when the hours are invalid. */
export function summarizeHoraires(horaires: string, now: Date, location?: HorairesLocation): HorairesSummary | null {
  const parsed = cachedParse(horaires, location);
  if (!parsed.ok) return null;
  const oh = parsed.oh;
  const monday = startOfDay(now);
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  // One day before and after, so nights crossing midnight show whole on their first day.
  const intervals = oh.getOpenIntervals(addDays(monday, -1), addDays(monday, 8));
  const days: HorairesDay[] = JOURS.map((jour, index) => {
    const start = addDays(monday, index);
    const end = addDays(monday, index + 1);
    const holiday = oh.getPublicHolidayContext(start).isHoliday;
    const parts: string[] = [];
    for (const [from, to, unknown, comment] of intervals) {
      if (to <= start || from >= end) continue;
      if (from <= start && to >= end) {
        parts.push('Ouvert 24 h/24');
      } else if (from >= start) {
        const until = to.getTime() - from.getTime() > 36 * 3600_000 ? '' : ` – ${formatTime(to, true)}`;
        parts.push(until ? `${formatTime(from)}${until}` : `à partir de ${formatTime(from)}`);
      } else {
        continue; // the tail of last night's opening, shown on the previous day
      }
      const note = comment ?? (unknown ? 'horaires à confirmer' : undefined);
      if (note) parts[parts.length - 1] += ` (${note})`;
    }
    const open = parts.length > 0;
    const label = open ? parts.join(', ') : holiday ? 'Fermé (jour férié)' : 'Fermé';
    return { jour, date: start, label, open, holiday };
  });
  const open = oh.getState(now);
  const unknown = oh.getUnknown(now);
  const change = oh.getNextChange(now, addDays(now, 8)) ?? null;
  const status = unknown
    ? `Ouverture à confirmer : ${oh.getComment(now) ?? 'horaires non précisés'}`
    : statusLabel(open, change, now);
  return { open, status, days };
}

function statusLabel(open: boolean, change: Date | null, now: Date): string {
  if (open) {
    if (!change) return 'Ouvert maintenant';
    return `Ouvert maintenant · ferme ${when(change, now)}`;
  }
  if (!change) return 'Fermé';
  return `Fermé · ouvre ${when(change, now)}`;
}

function when(date: Date, now: Date): string {
  const days = Math.round((startOfDay(date).getTime() - startOfDay(now).getTime()) / 86_400_000);
  const time = formatTime(date);
  if (days === 0) return `à ${time}`;
  if (days === 1) return `demain à ${time}`;
  return `${JOURS[(date.getDay() + 6) % 7]} à ${time}`;
}

/** "9 h", "17 h 30"; midnight at the end of a range reads "24 h". */
export function formatTime(date: Date, isEnd = false): string {
  let hours = date.getHours();
  const minutes = date.getMinutes();
  if (isEnd && hours === 0 && minutes === 0) hours = 24;
  return minutes === 0 ? `${hours} h` : `${hours} h ${String(minutes).padStart(2, '0')}`;
}

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

// Calendar days in local time, so DST days stay 23 or 25 hours long.
function addDays(date: Date, days: number): Date {
  const result = new Date(date);
  result.setDate(result.getDate() + days);
  return result;
}
