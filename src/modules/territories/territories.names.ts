// How sources spell communes, turned into comparable keys: "ST-ETIENNE", "Saint Étienne" and
// "saint-etienne" meet; "Havre (Le)" meets "Le Havre"; "Paris 15e" is read as an arrondissement.
import { normalizeText } from '../../lib/text.ts';

/** Abbreviations found in real source files, per normalised word. */
const wordAliases: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  sts: 'saints',
  stes: 'saintes',
  mt: 'mont',
};

const leadingArticles = new Set(['le', 'la', 'les', 'l']);

/**
 * Canonical key of a commune name: accents, case and punctuation folded, abbreviations
 * expanded, a trailing "(Le)" moved to the front, CEDEX mentions and stray digits of a
 * postal code dropped.
 */
export function nameKey(raw: string): string {
  let value = raw.trim();
  // "Havre (Le)", "Abergement-Clémenciat (L')" — the INSEE "article in brackets" form.
  const bracketed = /^(.*?)\s*\(\s*(le|la|les|l'|l’)\s*\)\s*$/i.exec(value);
  if (bracketed) value = `${bracketed[2]} ${bracketed[1]}`;
  // "Châlons s/ Marne", "Neuilly-s/-Seine".
  value = value.replace(/(^|[\s-])s\/\s*-?/gi, '$1sur ');
  const words = normalizeText(value).split(' ').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === 'cedex') {
      // "PARIS CEDEX 07": drop the mention and its number.
      if (i + 1 < words.length && /^\d+$/.test(words[i + 1]!)) i++;
      continue;
    }
    out.push(wordAliases[word] ?? word);
  }
  return out.join(' ');
}

/** The key without its leading article, so "Havre" also finds "Le Havre". */
export function keyWithoutArticle(key: string): string {
  const space = key.indexOf(' ');
  if (space > 0 && leadingArticles.has(key.slice(0, space))) return key.slice(space + 1);
  return key;
}

/** Cities split into arrondissements municipaux: INSEE code of the city and of arrondissement n. */
export const arrondissementCities = {
  paris: { city: '75056', count: 20, code: (n: number) => `751${String(n).padStart(2, '0')}` },
  lyon: { city: '69123', count: 9, code: (n: number) => `6938${n}` },
  marseille: { city: '13055', count: 16, code: (n: number) => `132${String(n).padStart(2, '0')}` },
} as const;

/** Whether an INSEE code is an arrondissement municipal (75101–75120, 69381–69389, 13201–13216). */
export function isArrondissementCode(code: string): boolean {
  return Object.values(arrondissementCities).some((city) =>
    Array.from({ length: city.count }, (_, i) => city.code(i + 1)).includes(code),
  );
}

const romanNumerals: Record<string, number> = {
  i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10,
  xi: 11, xii: 12, xiii: 13, xiv: 14, xv: 15, xvi: 16, xvii: 17, xviii: 18, xix: 19, xx: 20,
};

/**
 * Reads "Paris 15e", "PARIS 15", "Lyon 3ème", "Marseille 8e Arrondissement", "Paris XVe",
 * "Paris 1er arr." as the INSEE code of an arrondissement; undefined when it is not one.
 */
export function parseArrondissement(key: string): string | undefined {
  const match = /^(paris|lyon|marseille)\s+(\d{1,2}|[ivx]{1,5})\s*(?:e|eme|er|ere|ier|iem|em)?(?:\s+(?:arr|arrt|arrondissement|ardt))?$/.exec(
    key,
  );
  if (!match) return undefined;
  const city = arrondissementCities[match[1] as keyof typeof arrondissementCities];
  const n = /^\d+$/.test(match[2]!) ? Number(match[2]) : romanNumerals[match[2]!];
  if (n === undefined || n < 1 || n > city.count) return undefined;
  return city.code(n);
}

/** "75 015", "1400" (leading zero lost by a spreadsheet) → "75015", "01400"; undefined when not a postal code. */
export function normalizePostalCode(raw: string): string | undefined {
  const compact = raw.replace(/[\s.]/g, '');
  if (/^\d{5}$/.test(compact)) return compact;
  if (/^\d{4}$/.test(compact)) return `0${compact}`;
  return undefined;
}

/** "1001" → "01001", "2a004" → "2A004"; undefined when it cannot be an INSEE code. */
export function normalizeInseeCode(raw: string): string | undefined {
  const compact = raw.replace(/\s/g, '').toUpperCase();
  if (/^(\d{5}|2[AB]\d{3})$/.test(compact)) return compact;
  if (/^\d{4}$/.test(compact)) return `0${compact}`;
  return undefined;
}

/** Départements a postal code may belong to (CEDEX codes keep the département prefix). */
export function departementsOfPostalCode(postalCode: string): string[] {
  if (postalCode.startsWith('97') || postalCode.startsWith('98')) return [postalCode.slice(0, 3)];
  if (postalCode.startsWith('20')) return ['2A', '2B'];
  return [postalCode.slice(0, 2)];
}
