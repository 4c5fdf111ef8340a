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
  const entries: Entry[] = communes.map(({ commune, key }) => ({ commune, key, words: key.split(' ') }));
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

  function idsWithWordPrefix(prefix: string): Set<number> {
    const ids = new Set<number>();
    for (let i = lowerBound(words, prefix); i < words.length && words[i]!.startsWith(prefix); i++) {
      for (const id of postings.get(words[i]!)!) ids.add(id);
    }
    return ids;
  }

  function idsWithPostalPrefix(prefix: string): Set<number> {
    const ids = new Set<number>();
    for (let i = lowerBound(postalCodes, prefix); i < postal.length && postalCodes[i]!.startsWith(prefix); i++) ids.add(postal[i]!.id);
    return ids;
  }

  return {
    search(query, limit) {
      const key = nameKey(query);
      if (key === '' || limit <= 0) return [];
      const tokens = key.split(' ');
      const digits = tokens.filter((t) => /^\d+$/.test(t));
      const nameTokens = tokens.filter((t) => !/^\d+$/.test(t));
      if (digits.length > 1 || digits.some((d) => d.length > 5)) return [];

      let ids: Set<number> | null = digits.length ? idsWithPostalPrefix(digits[0]!) : null;
      // Start from the most selective (longest) word, then check the others on each entry.
      const ordered = [...nameTokens].sort((a, b) => b.length - a.length);
      if (ordered.length) {
        const first = idsWithWordPrefix(ordered[0]!);
        ids = ids === null ? first : new Set([...ids].filter((id) => first.has(id)));
      }
      const rest = ordered.slice(1);
      const nameQuery = nameTokens.join(' ');
      const matches = [...(ids ?? [])]
        .map((id) => entries[id]!)
        .filter((entry) => rest.every((token) => entry.words.some((word) => word.startsWith(token))));
      matches.sort((a, b) => {
        // Names that start with the query come first ("Lyon" before "Sainte-Foy-lès-Lyon").
        const aStarts = nameQuery !== '' && a.key.startsWith(nameQuery) ? 0 : 1;
        const bStarts = nameQuery !== '' && b.key.startsWith(nameQuery) ? 0 : 1;
        if (aStarts !== bStarts) return aStarts - bStarts;
        const byPopulation = (b.commune.population ?? 0) - (a.commune.population ?? 0);
        return byPopulation !== 0 ? byPopulation : a.key.localeCompare(b.key);
      });
      return matches.slice(0, limit).map((entry) => entry.commune);
    },
  };
}
