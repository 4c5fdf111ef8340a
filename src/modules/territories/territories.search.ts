// Autocompletion over communes and arrondissements: every word of the query is a prefix of a
// word of the name (accents and case folded), digits are a postal code prefix; biggest first.
import type { Commune } from './territories.types.ts';
import { nameKey } from './territories.names.ts';

interface Entry {
  commune: Commune;
  key: string;
  words: string[];
}

export interface CommuneSearchIndex {
  search(query: string, limit: number): Commune[];
}

/** First index i in the sorted array with array[i] >= value. */
function lowerBound(array: string[], value: string): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `key` is nameKey(commune.nom), computed once by the caller. */
export function buildCommuneSearchIndex(communes: { commune: Commune; key: string }[]): CommuneSearchIndex {
  // Entries in ranking order (biggest first), so an id is also a rank and no sort is needed.
  const entries: Entry[] = communes
    .map(({ commune, key }) => ({ commune, key, words: key.split(' ') }))
    .sort((a, b) => (b.commune.population ?? 0) - (a.commune.population ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const postings = new Map<string, number[]>();
  const postal: { cp: string; id: number }[] = [];
  entries.forEach((entry, id) => {
    for (const word of new Set(entry.words)) {
      const list = postings.get(word);
      if (list) list.push(id);
      else postings.set(word, [id]);
    }
    for (const cp of entry.commune.codesPostaux) postal.push({ cp, id });
  });
  const words = [...postings.keys()].sort();
  postal.sort((a, b) => (a.cp < b.cp ? -1 : a.cp > b.cp ? 1 : 0));
  const postalCodes = postal.map((p) => p.cp);

  /** Marks (in `marks`, with `stamp`) the entries having a word that starts with the prefix. */
  function markWordPrefix(prefix: string, marks: Uint8Array, from: number, to: number, passed: number[]): void {
    for (let i = lowerBound(words, prefix); i < words.length && words[i]!.startsWith(prefix); i++) {
      for (const id of postings.get(words[i]!)!) {
        if (marks[id] === from) {
          marks[id] = to;
          passed.push(id);
        }
      }
    }
  }

  function markPostalPrefix(prefix: string, marks: Uint8Array, from: number, to: number, passed: number[]): void {
    for (let i = lowerBound(postalCodes, prefix); i < postal.length && postalCodes[i]!.startsWith(prefix); i++) {
      const id = postal[i]!.id;
      if (marks[id] === from) {
        marks[id] = to;
        passed.push(id);
      }
    }
  }

  return {
    search(query, limit) {
      const key = nameKey(query);
      if (key === '' || limit <= 0) return [];
      const tokens = key.split(' ');
      const digits = tokens.filter((t) => /^\d+$/.test(t));
      const nameTokens = tokens.filter((t) => !/^\d+$/.test(t));
      if (digits.length > 1 || digits.some((d) => d.length > 5)) return [];

      // The postal code and the longest word go through the indexes (each moves the entries that
      // pass from mark n to n + 1, listing them); the other words are checked on those few entries.
      const marks = new Uint8Array(entries.length);
      let level = 0;
      let passed: number[] = [];
      if (digits.length) markPostalPrefix(digits[0]!, marks, level, ++level, passed);
      const [longest, ...rest] = [...new Set(nameTokens)].sort((a, b) => b.length - a.length);
      if (longest !== undefined) {
        passed = [];
        markWordPrefix(longest, marks, level, ++level, passed);
      }
      const fits = (id: number) => rest.every((token) => entries[id]!.words.some((word) => word.startsWith(token)));
      // Few survivors: sort them. Many (a one-letter query): walk the ranks, the biggest come first.
      const ranked = passed.length <= 2_000 ? Int32Array.from(passed).sort() : null;
      const total = ranked ? ranked.length : entries.length;

      // Names that start with the query come first ("Lyon" before "Sainte-Foy-lès-Lyon").
      const nameQuery = nameTokens.join(' ');
      const first: Commune[] = [];
      const others: Commune[] = [];
      for (let i = 0; i < total && first.length < limit; i++) {
        const id = ranked ? ranked[i]! : i;
        if (marks[id] !== level || !fits(id)) continue;
        const entry = entries[id]!;
        if (nameQuery !== '' && entry.key.startsWith(nameQuery)) first.push(entry.commune);
        else if (others.length < limit) others.push(entry.commune);
      }
      return [...first, ...others].slice(0, limit);
    },
  };
}
