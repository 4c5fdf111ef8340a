import { describe, it, expect } from 'vitest';
import { normalizePhone, STANDARD_PHONE_PATTERN } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['+33123456789', '+33123456789'],
    ['01 23 45 67 89', '+33123456789'],
    ['01.23.45.67.89', '+33123456789'],
    ['01-23-45-67-89', '+33123456789'],
    ['06 12 34 56 78', '+33612345678'],
    ['+33 (0)1 23 45 67 89', '+33123456789'],
    ['+33 0 1 23 45 67 89', '+33123456789'],
    ['0033 1 23 45 67 89', '+33123456789'],
    ['0590 12 34 56', '+590590123456'], // Guadeloupe
    ['0690 12 34 56', '+590690123456'],
    ['0594 12 34 56', '+594594123456'], // Guyane
    ['0596 12 34 56', '+596596123456'], // Martinique
    ['0262 12 34 56', '+262262123456'], // La Réunion
    ['0692 12 34 56', '+262692123456'],
    ['0269 61 23 45', '+262269612345'], // Mayotte
    ['+262 262 12 34 56', '+262262123456'],
    ['+269 12 34 56', '+269123456'], // accepted by the standard as given
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: expected });
    expect(STANDARD_PHONE_PATTERN.test(expected)).toBe(true);
  });

  it.each([
    ['27 12 34', '988', '+687271234'], // Nouvelle-Calédonie
    ['40 12 34 56', '987', '+68940123456'], // Polynésie française
    ['41 23 45', '975', '+508412345'], // Saint-Pierre-et-Miquelon
    ['72 12 34', '986', '+681721234'], // Wallis-et-Futuna
  ])('%s in %s → %s', (raw, code_departement, expected) => {
    expect(normalizePhone(raw, { code_departement })).toEqual({ ok: true, value: expected });
  });

  it.each(['3949', '12 34 56', '01 23 45 67', '+44 20 7946 0958', 'téléphone', '01 23 45 67 89 / 06 12 34 56 78', '01 23 45 67 89 ou 06 12 34 56 78'])(
    'rejects %s in French',
    (raw) => {
      const result = normalizePhone(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/numéro/);
    },
  );
});
