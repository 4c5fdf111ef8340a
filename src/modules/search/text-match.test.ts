// The text rule, case by case (the agreement test checks the SQL side says the same).
import { describe, expect, it } from 'vitest';
import { queryWords, withinOneEdit, wordMatchesToken } from './text-match.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { ValidationError } from '../../lib/errors.ts';
import { boundingBox, distanceMetres } from './distance.ts';

describe('text matching', () => {
  it.each([
    ['media', 'mediatheque', true], // prefix
    ['mediatheqe', 'mediatheque', true], // one deletion
    ['mediathequee', 'mediatheque', true], // one insertion
    ['mediathaque', 'mediatheque', true], // one substitution
    ['mediatheqeu', 'mediatheque', false], // a swap is two edits
    ['gare', 'gard', true], // 4 letters: a typo is allowed
    ['gar', 'gad', false], // 3 letters: prefix only
    ['bibloth', 'bibliotheque', false], // a typo inside a prefix is not matched
    ['lyon', 'lyon', true],
    ['lyons', 'lyon', true],
    ['lyonnais', 'lyon', false],
  ])('%s matches %s: %s', (word, token, expected) => {
    expect(wordMatchesToken(word, token)).toBe(expected);
  });

  it('folds accents, case and punctuation into distinct words', () => {
    expect(queryWords('  Médiathèque  SAINT-Étienne médiathèque ')).toEqual(['mediatheque', 'saint', 'etienne']);
    expect(queryWords(undefined)).toEqual([]);
  });

  it('counts one edit at most', () => {
    expect(withinOneEdit('abc', 'abc')).toBe(true);
    expect(withinOneEdit('abc', 'abd')).toBe(true);
    expect(withinOneEdit('abc', 'xbd')).toBe(false);
    expect(withinOneEdit('abc', 'abcd')).toBe(true);
    expect(withinOneEdit('abc', 'abcde')).toBe(false);
  });
});

describe('cursor', () => {
  it('round-trips and refuses a cursor of the other kind', () => {
    const id = '0b7c2f3e-1111-4222-8333-444455556666';
    expect(decodeCursor(encodeCursor({ sort_key: 'espace', id }), false)).toEqual({ sort_key: 'espace', id });
    expect(decodeCursor(encodeCursor({ distance: 1200, sort_key: 'espace', id }), true)).toEqual({ distance: 1200, sort_key: 'espace', id });
    const fieldOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as ValidationError).errors.map((e) => e.field);
      }
      return [];
    };
    expect(fieldOf(() => decodeCursor(encodeCursor({ sort_key: 'espace', id }), true))).toEqual(['curseur']);
    expect(fieldOf(() => decodeCursor('not base64 !', false))).toEqual(['curseur']);
    expect(fieldOf(() => decodeCursor(Buffer.from('["a","not-a-uuid"]').toString('base64url'), false))).toEqual(['curseur']);
  });
});

describe('distance', () => {
  it('gives whole metres and a box containing the circle', () => {
    // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km.
    const d = distanceMetres(48.853, 2.3499, 45.7578, 4.832);
    expect(d).toBeGreaterThan(390_000);
    expect(d).toBeLessThan(394_000);
    expect(Number.isInteger(d)).toBe(true);
    const box = boundingBox(45.7578, 4.832, 10_000);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      // A point about 9.99 km away in every direction is inside the box.
      const lat = 45.7578 + (9.99 / 111.2) * Math.cos((bearing * Math.PI) / 180);
      const lon = 4.832 + (9.99 / (111.2 * Math.cos((45.7578 * Math.PI) / 180))) * Math.sin((bearing * Math.PI) / 180);
      expect(lat).toBeGreaterThanOrEqual(box.minLat);
      expect(lat).toBeLessThanOrEqual(box.maxLat);
      expect(lon).toBeGreaterThanOrEqual(box.minLon!);
      expect(lon).toBeLessThanOrEqual(box.maxLon!);
    }
  });
});
