/** Injected time source, so tests can fix "now" (opening hours, freshness). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(date: Date | string): Clock {
  const fixed = new Date(date);
  return { now: () => new Date(fixed) };
}
