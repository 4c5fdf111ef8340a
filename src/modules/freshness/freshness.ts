// Freshness of a place: how long ago its standard `date_maj` (last update or confirmation) was,
// the status that follows from the configured thresholds, and the French wording shown on
// the public page ("Mis à jour il y a 3 mois"). Pure functions: "now" is always given.

export type FreshnessStatus = 'a_jour' | 'a_verifier' | 'ancienne';

export interface FreshnessThresholds {
  /** Months after which a place is "à vérifier" (6 by default). */
  staleMonths: number;
  /** Months after which a place is "ancienne" (12 by default). */
  oldMonths: number;
}

export const defaultThresholds: FreshnessThresholds = { staleMonths: 6, oldMonths: 12 };

export const freshnessLabels: Record<FreshnessStatus, string> = {
  a_jour: 'À jour',
  a_verifier: 'À vérifier',
  ancienne: 'Ancienne',
};

export interface Freshness {
  status: FreshnessStatus;
  label: string;
  /** The date itself (YYYY-MM-DD), for a <time datetime>. */
  date: string;
  /** "Mis à jour il y a 3 mois". */
  words: string;
}

/** The calendar date in France of an instant (YYYY-MM-DD): `date_maj` is a French calendar date. */
export function parisDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

function parts(isoDate: string): [number, number, number] {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return [y!, m!, d!];
}

/** Whole calendar months from `from` to `to` (both YYYY-MM-DD), not counting an unfinished one. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/** Days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/** "aujourd’hui", "hier", "il y a 5 jours", "il y a 2 semaines", "il y a 3 mois", "il y a 1 an"… */
export function agoInWords(date: string, now: Date): string {
  const today = parisDate(now);
  const days = daysBetween(date, today);
  if (days <= 0) return 'aujourd’hui';
  if (days === 1) return 'hier';
  const months = monthsBetween(date, today);
  if (months < 1) {
    if (days < 14) return `il y a ${days} jours`;
    return `il y a ${Math.floor(days / 7)} semaines`;
  }
  if (months < 12) return `il y a ${months} mois`;
  const years = Math.floor(months / 12);
  return `il y a ${years} an${years > 1 ? 's' : ''}`;
}

export function freshnessOf(dateMaj: string, now: Date, thresholds: FreshnessThresholds = defaultThresholds): Freshness {
  const date = dateMaj.slice(0, 10);
  const months = monthsBetween(date, parisDate(now));
  const status: FreshnessStatus = months >= thresholds.oldMonths ? 'ancienne' : months >= thresholds.staleMonths ? 'a_verifier' : 'a_jour';
  return { status, label: freshnessLabels[status], date, words: `Mis à jour ${agoInWords(date, now)}` };
}

/**
 * The latest `date_maj` that is still "à vérifier" or older: places updated on or before it
 * get reminders (used to select them in SQL).
 */
export function staleCutoff(now: Date, months: number): string {
  const [y, m, d] = parts(parisDate(now));
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
