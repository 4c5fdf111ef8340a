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

/**
 * True when a and b are at most one insertion, deletion or substitution apart. Allocation-free
 * (common prefix, then common suffix), since search runs it on every token of a length bucket.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la > lb) return withinOneEdit(b, a);
  if (lb - la > 1) return false;
  let i = 0;
  while (i < la && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la) return true; // equal, or b is a plus one trailing character
  // What must be left equal after the edit: a[i+1..] = b[i+1..] (substitution) or a[i..] = b[i+1..] (insertion in b).
  const needed = la === lb ? la - i - 1 : la - i;
  for (let k = 1; k <= needed; k++) if (a.charCodeAt(la - k) !== b.charCodeAt(lb - k)) return false;
  return true;
}

export function wordMatchesToken(word: string, token: string): boolean {
  return token.startsWith(word) || (word.length >= FUZZY_MIN_LENGTH && withinOneEdit(word, token));
}
