// Text normalisation shared by search (read model and SQL reference), territories and dedup:
// accents and case folded, punctuation to spaces, so "Saint-Étienne" and "saint etienne" meet.

/** Lower-case ASCII form: accents removed, ligatures expanded, punctuation turned into spaces. */
export function normalizeText(value: string): string {
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
