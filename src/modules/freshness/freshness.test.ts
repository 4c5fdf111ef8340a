import { describe, expect, it } from 'vitest';
import { agoInWords, freshnessOf, monthsBetween, staleCutoff } from './freshness.ts';
import { completenessItems, completenessOf } from './completeness.ts';

const noon = (date: string) => new Date(`${date}T12:00:00+02:00`);

describe('freshness status', () => {
  it('is fresh under 6 months, à vérifier from 6, ancienne from 12 (calendar months)', () => {
    const now = noon('2026-08-15');
    expect(freshnessOf('2026-02-16', now).status).toBe('a_jour');
    expect(freshnessOf('2026-02-15', now).status).toBe('a_verifier');
    expect(freshnessOf('2025-08-16', now).status).toBe('a_verifier');
    expect(freshnessOf('2025-08-15', now).status).toBe('ancienne');
    expect(freshnessOf('2020-01-01', now).label).toBe('Ancienne');
  });

  it('follows configured thresholds', () => {
    const now = noon('2026-08-15');
    expect(freshnessOf('2026-05-15', now, { staleMonths: 3, oldMonths: 4 }).status).toBe('a_verifier');
    expect(freshnessOf('2026-04-15', now, { staleMonths: 3, oldMonths: 4 }).status).toBe('ancienne');
    expect(freshnessOf('2026-05-15', now).status).toBe('a_jour');
  });

  it('uses the French calendar day, not UTC', () => {
    // 23:30 UTC on 14 August is already 15 August in Paris.
    expect(agoInWords('2026-08-15', new Date('2026-08-14T23:30:00Z'))).toBe('aujourd’hui');
    expect(agoInWords('2026-08-15', new Date('2026-08-14T21:30:00Z'))).toBe('aujourd’hui'); // date in the future: no negative wording
  });

  it('staleCutoff is the last date counted as old enough, month ends included', () => {
    for (const [today, months] of [['2026-08-15', 6], ['2026-08-31', 6], ['2026-03-31', 1], ['2026-01-10', 12]] as const) {
      const cutoff = staleCutoff(noon(today), months);
      expect(monthsBetween(cutoff, today)).toBeGreaterThanOrEqual(months);
      const next = new Date(Date.parse(`${cutoff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(monthsBetween(next, today)).toBeLessThan(months);
    }
  });
});

describe('relative wording', () => {
  const now = noon('2026-08-15');
  it.each([
    ['2026-08-15', 'aujourd’hui'],
    ['2026-08-14', 'hier'],
    ['2026-08-10', 'il y a 5 jours'],
    ['2026-07-25', 'il y a 3 semaines'],
    ['2026-07-15', 'il y a 1 mois'],
    ['2026-05-14', 'il y a 3 mois'],
    ['2025-08-15', 'il y a 1 an'],
    ['2023-02-01', 'il y a 3 ans'],
  ])('%s → %s', (date, words) => {
    expect(agoInWords(date, now)).toBe(words);
    expect(freshnessOf(date, now).words).toBe(`Mis à jour ${words}`);
  });
});

describe('completeness', () => {
  it('weights add up to 100', () => {
    expect(completenessItems.reduce((s, i) => s + i.weight, 0)).toBe(100);
  });

  it('an empty place scores 0 and lists everything, heaviest first', () => {
    const c = completenessOf({ nom: 'Lieu', horaires: null, services: [], telephone: '  ' });
    expect(c.score).toBe(0);
    expect(c.missing).toHaveLength(completenessItems.length);
    expect(c.missing[0]!.weight).toBeGreaterThanOrEqual(c.missing.at(-1)!.weight);
  });

  it('counts filled items by their weight; telephone or e-mail is enough', () => {
    const c = completenessOf({ horaires: 'Mo-Fr 09:00-12:00', services: ['Prendre en main un ordinateur'], courriels: ['a@b.fr'], site_web: [] });
    expect(c.score).toBe(15 + 15 + 10);
    expect(c.missing.map((m) => m.label)).toContain('Site web');
    expect(c.missing.map((m) => m.label)).not.toContain('Horaires d’ouverture');
    expect(c.missing.map((m) => m.label)).not.toContain('Téléphone ou adresse e-mail');
  });

  it('a fully described place scores 100 with nothing to fill in', () => {
    const full: Record<string, unknown> = {};
    for (const item of completenessItems) full[item.fields[0]!] = item.fields[0] === 'latitude' ? 45.7 : ['x'];
    expect(completenessOf(full)).toEqual({ score: 100, missing: [] });
  });
});
