// Opening-hours questions of the orientation flow that an instant cannot answer ("open at
// some time this weekend", "in the evening", "on that day") and the coming days of a place
// in plain words for the printed sheet. "Open at an instant" stays the search engine's
// job (ouvert_le); these checks only narrow its results.
import { JOURS, parseHoraires, summarizeHoraires, type HorairesDay, type HorairesLocation } from '../../lib/opening-hours.ts';
import { hoursKey, type OpenCheckPlace } from './open-filter.ts';

/** Evenings start at this hour (local time) and run to midnight. */
export const EVENING_FROM_HOUR = 18;
/** The flow looks at the coming week, today included. */
export const COMING_DAYS = 7;

export type Creneau = 'week-end' | 'soir';

export interface HoursWish {
  /** Every one of these must be met at least once in the coming week. */
  creneaux: Creneau[];
  /** Open at some time on this day (local midnight), one of the coming week's. */
  jour?: Date;
}

function locationOf(place: OpenCheckPlace): HorairesLocation | undefined {
  return place.latitude !== null && place.longitude !== null
    ? { latitude: place.latitude, longitude: place.longitude, code_departement: place.code_departement }
    : undefined;
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

// Calendar days in local time, so DST days stay 23 or 25 hours long.
export function addDays(date: Date, days: number): Date {
  const result = new Date(date);
  result.setDate(result.getDate() + days);
  return result;
}

// Parsing hours costs milliseconds: one list of intervals per hours key and week start,
// shared by every place with the same hours (and by later requests of the same day).
const CACHE_LIMIT = 20_000;
const intervalsCache = new Map<string, Float64Array>();

/** Open intervals [start, end, start, end…] (ms) of the coming week; empty for unknown or invalid hours. */
function weekIntervals(place: OpenCheckPlace, from: Date): Float64Array {
  const key = hoursKey(place);
  if (key === null) return new Float64Array(0);
  const cacheKey = `${from.getTime()}|${key}`;
  const known = intervalsCache.get(cacheKey);
  if (known) return known;
  let flat = new Float64Array(0);
  const parsed = parseHoraires(place.horaires!, locationOf(place));
  if (parsed.ok) {
    try {
      // "Unknown" intervals (hours to confirm) do not count as open, as in the search engine.
      const open = parsed.oh.getOpenIntervals(from, addDays(from, COMING_DAYS)).filter(([, , unknown]) => !unknown);
      flat = Float64Array.from(open.flatMap(([start, end]) => [start.getTime(), end.getTime()]));
    } catch {
      // hours the library cannot evaluate: never open, as isPlaceOpenAt says
    }
  }
  if (intervalsCache.size >= CACHE_LIMIT) intervalsCache.clear();
  intervalsCache.set(cacheKey, flat);
  return flat;
}

function overlaps(intervals: Float64Array, from: Date, to: Date): boolean {
  const a = from.getTime();
  const b = to.getTime();
  for (let i = 0; i < intervals.length; i += 2) if (intervals[i]! < b && intervals[i + 1]! > a) return true;
  return false;
}

/** The time windows of the coming week that satisfy one wish. */
function windowsOf(creneau: Creneau, today: Date): [Date, Date][] {
  const windows: [Date, Date][] = [];
  for (let d = 0; d < COMING_DAYS; d++) {
    const day = addDays(today, d);
    if (creneau === 'week-end' && (day.getDay() === 6 || day.getDay() === 0)) windows.push([day, addDays(day, 1)]);
    if (creneau === 'soir') {
      const evening = new Date(day);
      evening.setHours(EVENING_FROM_HOUR);
      windows.push([evening, addDays(day, 1)]);
    }
  }
  return windows;
}

/**
 * A predicate over places: open at least once in each wished window of the coming week
 * (starting today at midnight). Places without hours never match, as with ouvert_le.
 */
export function hoursMatcher(wish: HoursWish, now: Date): ((place: OpenCheckPlace) => boolean) | undefined {
  if (!wish.creneaux.length && !wish.jour) return undefined;
  const today = startOfDay(now);
  const groups = wish.creneaux.map((c) => windowsOf(c, today));
  if (wish.jour) groups.push([[startOfDay(wish.jour), addDays(startOfDay(wish.jour), 1)]]);
  return (place) => {
    // The chosen day is one of the coming week's (checked with the URL), so one list serves all.
    const intervals = weekIntervals(place, today);
    return intervals.length > 0 && groups.every((windows) => windows.some(([a, b]) => overlaps(intervals, a, b)));
  };
}

export interface ComingDay {
  /** "Samedi 28 novembre" */
  date: string;
  open: boolean;
  /** "ouvert de 9 h à 12 h et de 14 h à 17 h", "fermé", "fermé (jour férié)". */
  hours: string;
}

const dayMonth = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', timeZone: 'Europe/Paris' });

/** "Samedi 28 novembre", "Lundi 1er décembre". */
export function dayInWords(date: Date): string {
  const jour = JOURS[(date.getDay() + 6) % 7]!;
  const dm = dayMonth.format(date).replace(/^1 /, '1er ');
  return `${jour[0]!.toUpperCase()}${jour.slice(1)} ${dm}`;
}

/** "9 h – 12 h, 14 h – 17 h" → "ouvert de 9 h à 12 h et de 14 h à 17 h". */
function openingInWords(day: HorairesDay): string {
  if (!day.open) return day.holiday ? 'fermé (jour férié)' : 'fermé';
  const parts = day.label.split(', ').map((part) => {
    const range = /^(\d+ h(?: \d\d)?) – (\d+ h(?: \d\d)?)(.*)$/.exec(part);
    if (range) return `de ${range[1]} à ${range[2]}${range[3]}`;
    return part.replace(/^Ouvert /, '');
  });
  const last = parts.pop()!;
  return `ouvert ${parts.length ? `${parts.join(', ')} et ${last}` : last}`;
}

/** The coming days from today, in plain words; null when the hours are unknown or invalid. */
export function comingDays(place: OpenCheckPlace, now: Date, count = COMING_DAYS): ComingDay[] | null {
  if (!place.horaires || place.horaires.trim() === '') return null;
  const location = locationOf(place);
  const thisWeek = summarizeHoraires(place.horaires, now, location);
  const nextWeek = summarizeHoraires(place.horaires, addDays(now, 7), location);
  if (!thisWeek || !nextWeek) return null;
  const todayIndex = (now.getDay() + 6) % 7;
  return [...thisWeek.days, ...nextWeek.days].slice(todayIndex, todayIndex + count).map((day) => ({
    date: dayInWords(day.date),
    open: day.open,
    hours: openingInWords(day),
  }));
}
