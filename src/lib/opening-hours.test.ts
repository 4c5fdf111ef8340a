import { describe, it, expect } from 'vitest';
import { formatTime, holidayContext, isOpenAt, nextChange, parseHoraires, summarizeHoraires } from './opening-hours.ts';

// Local (Europe/Paris) wall-clock times: the test setup sets TZ.
const at = (iso: string) => new Date(iso);
const OFFICE = 'Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off';

describe('time zone', () => {
  it('runs in Europe/Paris', () => {
    expect(new Date('2026-07-01T12:00:00Z').getHours()).toBe(14);
  });
});

describe('parseHoraires', () => {
  it('accepts valid syntax', () => {
    const parsed = parseHoraires(OFFICE);
    expect(parsed.ok).toBe(true);
  });

  it.each(['Mo-Fr 25:00-26:00', 'n’importe quoi', 'Mo-Fr 09:00-12:00;;;; xx', '   '])('rejects %j in French', (value) => {
    const parsed = parseHoraires(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/horaires/i);
  });
});

describe('isOpenAt', () => {
  it.each([
    ['2026-06-10T08:59:00', false], // Wednesday, before opening
    ['2026-06-10T09:00:00', true], // opening boundary is open
    ['2026-06-10T11:59:00', true],
    ['2026-06-10T12:00:00', false], // closing boundary is closed
    ['2026-06-10T13:00:00', false], // lunch break
    ['2026-06-10T14:30:00', true],
    ['2026-06-10T17:00:00', false],
    ['2026-06-13T10:00:00', true], // Saturday morning
    ['2026-06-13T15:00:00', false], // Saturday afternoon
    ['2026-06-14T10:00:00', false], // Sunday
  ])('office hours at %s → %s', (when, expected) => {
    expect(isOpenAt(OFFICE, at(when))).toBe(expected);
  });

  it.each([
    ['2026-12-25T10:00:00', false], // Noël, a Friday
    ['2026-07-14T10:00:00', false], // Fête nationale, a Tuesday
    ['2026-05-01T10:00:00', false], // Fête du travail, a Friday
    ['2026-05-05T10:00:00', true], // an ordinary Tuesday
  ])('closes on public holidays with PH off: %s → %s', (when, expected) => {
    expect(isOpenAt(OFFICE, at(when))).toBe(expected);
  });

  it('keeps regional holidays of Alsace-Moselle', () => {
    const strasbourg = { latitude: 48.58, longitude: 7.75, code_departement: '67' };
    const lyon = { latitude: 45.76, longitude: 4.84, code_departement: '69' };
    // 26 December 2025 is a Friday: a holiday in Bas-Rhin only.
    expect(isOpenAt(OFFICE, at('2025-12-26T10:00:00'), strasbourg)).toBe(false);
    expect(isOpenAt(OFFICE, at('2025-12-26T10:00:00'), lyon)).toBe(true);
    expect(holidayContext(strasbourg).address).toEqual({ country_code: 'fr', state: 'Bas-Rhin' });
  });

  it('handles opening across midnight', () => {
    const night = 'Mo-Su 20:00-02:00';
    expect(isOpenAt(night, at('2026-06-10T19:59:00'))).toBe(false);
    expect(isOpenAt(night, at('2026-06-10T23:30:00'))).toBe(true);
    expect(isOpenAt(night, at('2026-06-11T00:30:00'))).toBe(true);
    expect(isOpenAt(night, at('2026-06-11T02:00:00'))).toBe(false);
  });

  it('handles the spring DST change (last Sunday of March)', () => {
    // 29 March 2026: clocks jump from 02:00 to 03:00.
    expect(isOpenAt('Mo-Su 20:00-02:00', at('2026-03-29T01:30:00'))).toBe(true);
    expect(isOpenAt('Mo-Su 20:00-02:00', at('2026-03-29T03:30:00'))).toBe(false);
    expect(isOpenAt('Su 09:00-12:00', at('2026-03-29T09:30:00'))).toBe(true);
    expect(isOpenAt('Su 09:00-12:00', at('2026-03-29T08:30:00'))).toBe(false);
    // 09:00 local on that day is 07:00 UTC (summer time).
    expect(isOpenAt('Su 09:00-12:00', new Date('2026-03-29T07:00:00Z'))).toBe(true);
    expect(isOpenAt('Su 09:00-12:00', new Date('2026-03-29T06:59:00Z'))).toBe(false);
  });

  it('handles the autumn DST change (last Sunday of October)', () => {
    // 25 October 2026: clocks go back from 03:00 to 02:00; 09:00 local is 08:00 UTC.
    expect(isOpenAt('Su 09:00-12:00', new Date('2026-10-25T08:00:00Z'))).toBe(true);
    expect(isOpenAt('Su 09:00-12:00', new Date('2026-10-25T07:59:00Z'))).toBe(false);
    expect(isOpenAt('Sa-Su 20:00-02:00', at('2026-10-25T01:30:00'))).toBe(true);
    expect(isOpenAt('Sa-Su 20:00-02:00', new Date('2026-10-25T01:30:00Z'))).toBe(false); // 02:30 winter time
  });

  it('treats invalid hours as not open', () => {
    expect(isOpenAt('pas des horaires', at('2026-06-10T10:00:00'))).toBe(false);
  });
});

describe('isOpenAt over time (cached intervals)', () => {
  it('agrees with the library minute by minute over two weeks, holidays and DST included', async () => {
    const { default: OpeningHours } = await import('opening_hours');
    const values = [OFFICE, 'Mo-Su 20:00-02:00', 'Sa-Su 10:00-18:00; PH 10:00-12:00', '24/7; Dec 25 off'];
    for (const value of values) {
      const oh = new OpeningHours(value, holidayContext(), { locale: 'fr' } as never);
      for (const start of ['2026-03-23T00:00:00', '2026-10-19T00:00:00', '2026-12-20T00:00:00']) {
        // Walk in 17-minute steps, so windows are refilled as the instant moves on.
        for (let t = at(start).getTime(); t < at(start).getTime() + 14 * 86_400_000; t += 17 * 60_000) {
          const instant = new Date(t);
          expect(isOpenAt(value, instant), `${value} at ${instant.toString()}`).toBe(oh.getState(instant));
        }
      }
    }
  });
});

describe('nextChange', () => {
  it('gives the next closing or opening', () => {
    expect(nextChange(OFFICE, at('2026-06-10T10:00:00'))).toEqual(at('2026-06-10T12:00:00'));
    expect(nextChange(OFFICE, at('2026-06-10T12:30:00'))).toEqual(at('2026-06-10T14:00:00'));
    // Saturday afternoon → Monday morning
    expect(nextChange(OFFICE, at('2026-06-13T15:00:00'))).toEqual(at('2026-06-15T09:00:00'));
    // the day before 14 July (Monday evening) → Wednesday 15 July
    expect(nextChange(OFFICE, at('2026-07-13T18:00:00'))).toEqual(at('2026-07-15T09:00:00'));
  });

  it('is null for always-open or invalid hours', () => {
    expect(nextChange('24/7', at('2026-06-10T10:00:00'))).toBeNull();
    expect(nextChange('xyz', at('2026-06-10T10:00:00'))).toBeNull();
  });
});

describe('summarizeHoraires', () => {
  it('lists the week and the status while open', () => {
    const summary = summarizeHoraires(OFFICE, at('2026-06-10T10:00:00'))!;
    expect(summary.open).toBe(true);
    expect(summary.status).toBe('Ouvert maintenant · ferme à 12 h');
    expect(summary.days.map((d) => `${d.jour}: ${d.label}`)).toEqual([
      'lundi: 9 h – 12 h, 14 h – 17 h',
      'mardi: 9 h – 12 h, 14 h – 17 h',
      'mercredi: 9 h – 12 h, 14 h – 17 h',
      'jeudi: 9 h – 12 h, 14 h – 17 h',
      'vendredi: 9 h – 12 h, 14 h – 17 h',
      'samedi: 9 h – 12 h',
      'dimanche: Fermé',
    ]);
  });

  it('says when it reopens', () => {
    expect(summarizeHoraires(OFFICE, at('2026-06-10T12:30:00'))!.status).toBe('Fermé · ouvre à 14 h');
    expect(summarizeHoraires(OFFICE, at('2026-06-10T18:00:00'))!.status).toBe('Fermé · ouvre demain à 9 h');
    expect(summarizeHoraires(OFFICE, at('2026-06-13T13:00:00'))!.status).toBe('Fermé · ouvre lundi à 9 h');
  });

  it('marks public holidays of the week', () => {
    const summary = summarizeHoraires(OFFICE, at('2026-07-13T10:00:00'))!;
    expect(summary.days[1]).toMatchObject({ jour: 'mardi', label: 'Fermé (jour férié)', holiday: true, open: false });
    expect(summary.days[0]).toMatchObject({ jour: 'lundi', label: '9 h – 12 h, 14 h – 17 h', holiday: false });
  });

  it('shows a night opening on its first day and half hours', () => {
    const night = summarizeHoraires('Fr-Sa 20:30-02:00', at('2026-06-12T21:00:00'))!;
    expect(night.days[4]!.label).toBe('20 h 30 – 2 h');
    expect(night.days[5]!.label).toBe('20 h 30 – 2 h');
    expect(night.days[6]!.label).toBe('Fermé');
    expect(night.status).toBe('Ouvert maintenant · ferme demain à 2 h');
  });

  it('tells hours to confirm apart from closed', () => {
    const summary = summarizeHoraires('Mo-Fr 09:00-12:00 "sur rendez-vous"; Sa 10:00-12:00 unknown', at('2026-06-10T10:30:00'))!;
    expect(summary.status).toBe('Ouverture à confirmer : sur rendez-vous');
    expect(summary.days[0]!.label).toBe('9 h – 12 h (sur rendez-vous)');
    expect(summary.days[5]!.label).toBe('10 h – 12 h (horaires à confirmer)');
    expect(isOpenAt('Mo-Fr 09:00-12:00 "sur rendez-vous"', at('2026-06-10T10:30:00'))).toBe(false);
  });

  it('handles always open and invalid values', () => {
    const always = summarizeHoraires('24/7', at('2026-06-10T10:00:00'))!;
    expect(always.status).toBe('Ouvert maintenant');
    expect(always.days.every((d) => d.label === 'Ouvert 24 h/24')).toBe(true);
    expect(summarizeHoraires('xyz', at('2026-06-10T10:00:00'))).toBeNull();
  });
});

describe('formatTime', () => {
  it('writes French times', () => {
    expect(formatTime(at('2026-06-10T09:00:00'))).toBe('9 h');
    expect(formatTime(at('2026-06-10T17:30:00'))).toBe('17 h 30');
    expect(formatTime(at('2026-06-11T00:00:00'), true)).toBe('24 h');
  });
});
