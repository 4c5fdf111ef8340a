// Hours open per week, from OpenStreetMap opening_hours, over a fixed reference week with no
// public holiday nor clock change (Monday 10 to Monday 17 March 2025, Paris time), so that
// figures do not move with the date they are computed on.
import { parseHoraires } from '../../lib/opening-hours.ts';

export const REFERENCE_WEEK = { from: new Date('2025-03-10T00:00:00+01:00'), to: new Date('2025-03-17T00:00:00+01:00') };

const cache = new Map<string, number | null>();

/** Hours open in the reference week; null for empty or invalid hours. */
export function weeklyOpenHours(horaires: string | null): number | null {
  if (!horaires || horaires.trim() === '') return null;
  const cached = cache.get(horaires);
  if (cached !== undefined) return cached;
  const parsed = parseHoraires(horaires);
  let hours: number | null = null;
  if (parsed.ok) {
    try {
      const [openMs] = parsed.oh.getOpenDuration(REFERENCE_WEEK.from, REFERENCE_WEEK.to);
      hours = Math.round((openMs / 3_600_000) * 100) / 100;
    } catch {
      hours = null;
    }
  }
  if (cache.size > 50_000) cache.clear();
  cache.set(horaires, hours);
  return hours;
}
