// Text normalisation shared by search (read model and SQL reference), territories and dedup:
// accents and case folded, punctuation to spaces, so "Saint-Étienne" and "saint etienne" meet.

/** Lower-case ASCII form: accents removed, ligatures expanded, punctuation turned into spaces. */
export function normalizeText(value: string): string {
  // Plain ASCII (most names and addresses once accents are rare) skips the Unicode steps.
  if (/^[\x00-\x7f]*$/.test(value)) return value.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Distinct normalised words, in order of first appearance. */
export function tokenize(value: string): string[] {
  const normalized = normalizeText(value);
  if (normalized === '') return [];
  return [...new Set(normalized.split(' '))];
}

/** What the registry stores for search: the words of name and commune, and the sort key. */
export function searchKeys(nom: string, commune: string): { search_tokens: string[]; sort_key: string } {
  return { search_tokens: tokenize(`${nom} ${commune}`), sort_key: normalizeText(nom) };
}
