// The content hash stored with each raw row: runs compare it with the previous run's to skip
// unchanged rows, so it must stay the hash of the documented text whatever the way it is fed.
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Source } from '../sources/sources.use-cases.ts';
import { contentHash } from './imports.plan.ts';

describe('contentHash', () => {
  it('is the SHA-256 of JSON.stringify([format, mapping, raw]) for any characters and mapping', () => {
    const raws = [
      { id: 'a1', nom: 'EPN' },
      { id: 'b2', nom: 'Médiathèque Émile-Zola', commune: 'Besançon' },
      { id: 'c3', nom: 'Œuvre d’entraide « Cœur »', detail: 'ligne 1\nligne 2 "citée" \\ fin' },
      { id: 'd4', nom: 'Atelier 😀 numérique', vide: '' },
    ];
    const sources = [{ mapping: null }, { mapping: { nom: { column: 'libellé' }, services: { constant: 'Aide aux démarches administratives' } } }];
    const hashes = new Set<string>();
    for (const source of sources) {
      for (const format of ['standard-csv', 'mapping']) {
        for (const raw of raws) {
          const expected = hash('sha256', JSON.stringify([format, source.mapping, raw]), 'base64url');
          const got = contentHash({ row: 2, externalId: raw.id, raw, lieu: {} }, format, source as unknown as Source);
          expect(got).toBe(expected);
          hashes.add(got);
        }
      }
    }
    expect(hashes.size).toBe(sources.length * 2 * raws.length);
  });
});
