import { describe, expect, it } from 'vitest';
import { setField, splitValues, type RawLieu } from './imports.fields.ts';

describe('splitValues', () => {
  it.each([
    ['', '|', []],
    ['  ', '|', []],
    [' EPN ', '|', ['EPN']],
    ['EPN| BIB |EPN||', '|', ['EPN', 'BIB']],
    ['a;b ; a', ';', ['a', 'b']],
    ['a,b;c', /[,;]/, ['a', 'b', 'c']],
    [[' a', 'b', 'a', 3, null], '|', ['a', 'b', '3']],
    [null, '|', []],
    [12, '|', ['12']],
    [`${Array.from({ length: 40 }, (_, i) => `v${i % 20}`).join('|')}| `, '|', Array.from({ length: 20 }, (_, i) => `v${i}`)],
  ] as [unknown, string | RegExp, string[]][])('%j split on %s → %j', (value, separator, expected) => {
    expect(splitValues(value, separator)).toEqual(expected);
  });
});

describe('setField', () => {
  it('adds multi-values to those already there, each once, and keeps single values trimmed', () => {
    const lieu: RawLieu = {};
    setField(lieu, 'services', 'A|B');
    setField(lieu, 'services', 'B|C');
    setField(lieu, 'typologie', '  ');
    setField(lieu, 'nom', '  Médiathèque ');
    setField(lieu, 'adresse', '   ');
    setField(lieu, 'horaires', ['Mo', 'Tu']);
    expect(lieu).toEqual({ services: ['A', 'B', 'C'], nom: 'Médiathèque', horaires: 'Mo, Tu' });
  });

  it('does not share the array of one record with another', () => {
    const a: RawLieu = {};
    const b: RawLieu = {};
    setField(a, 'services', 'A');
    setField(b, 'services', 'A');
    (a.services as string[]).push('X');
    expect(b.services).toEqual(['A']);
  });
});
