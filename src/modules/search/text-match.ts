// The text rule of search, identical in the read model and the SQL reference:
// the query is cut into words with tokenize() (accents, case and punctuation folded), and a
// place matches when EVERY query word w matches AT LEAST ONE token t of its search_tokens
// (words of nom and commune), where w matches t when
//   - t starts with w (prefix), or
//   - w has 4 characters or more, t's length is within one of w's, and the Levenshtein
//     distance between w and t is at most 1 (one typo on a whole word).
// So "bibliotheqe" finds "bibliotheque", "media" finds "mediatheque", but a typo inside a
// prefix ("bibloth") finds nothing.
import { tokenize } from '../../lib/text.ts';

export const FUZZY_MIN_LENGTH = 4;

export function queryWords(q: string | undefined): string[] {
  return q === undefined ? [] : tokenize(q);
}

/** True when a and b are at most one insertion, deletion or substitution apart. */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  if (la > lb) return withinOneEdit(b, a);
  let i = 0;
  while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la) return true; // equal, or b is a plus one trailing character
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1); // one substitution
  return a.slice(i) === b.slice(i + 1); // one insertion in b
}

export function wordMatchesToken(word: string, token: string): boolean {
  return token.startsWith(word) || (word.length >= FUZZY_MIN_LENGTH && withinOneEdit(word, token));
}
