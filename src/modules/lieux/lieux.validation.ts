// Checks one record against the national standard v1 and normalises what is unambiguous
// (phone form, e-mail case, URL scheme, enumeration spelling, lost leading zeros, French
// dates and decimal commas). Every bad field gets one French message; nothing is guessed.
import validator from 'validator';
import type { FieldError } from '../../lib/errors.ts';
import { checkHoraires } from '../../lib/opening-hours.ts';
import { normalizePhone } from '../../lib/phone.ts';
import { normalizeText } from '../../lib/text.ts';
import type { Territories } from '../territories/territories.types.ts';
import {
  enumerations,
  multiValuedFields,
  requiredFields,
  standardFields,
  type EnumeratedField,
  type LieuValue,
  type MultiValuedField,
  type StandardField,
} from './lieux.schema.ts';

export interface ValidateLieuOptions {
  /**
   * Fields outside the standard are errors by default (a typo or a v0 name such as
   * `courriel` would otherwise be lost silently); imports that carry extra columns set this.
   */
  ignoreUnknownFields?: boolean;
}

export type LieuValidation = { ok: true; value: LieuValue } | { ok: false; errors: FieldError[] };

const PIVOT_PATTERN = /^[a-zA-Z0-9]{9,14}$/;
const CODE_INSEE_PATTERN = /^([013-9]\d|2[AB1-9])\d{3}$/;
const DERIVED = new Set(['code_epci', 'code_departement', 'code_region', 'position_approximate']);
const KNOWN = new Set<string>(standardFields);
const MULTI = new Set<string>(multiValuedFields);
const BOOKKEEPING = new Set(['status', 'created_at', 'updated_at']);
const NO_FIELDS: ReadonlySet<string> = new Set();
const NAME_FIELDS = ['nom', 'commune', 'adresse'] as const;
const FREE_TEXT_FIELDS = ['complement_adresse', 'presentation_detail', 'source', 'structure_parente'] as const;
const URL_FIELDS = ['fiche_acces_libre', 'prise_rdv'] as const;
const COMMUNE_FIELDS = new Set(['commune', 'code_postal', 'code_insee']);

// Typology codes legacy sources still send.
const TYPOLOGIE_ALIASES: Record<string, string> = { PE: 'FT' };

/** Enumeration look-up ignoring accents, case, punctuation and extra spaces. */
const enumerationIndex = Object.fromEntries(
  Object.entries(enumerations).map(([field, values]) => [
    field,
    new Map((values as readonly string[]).map((value) => [normalizeText(value), value])),
  ]),
) as Record<EnumeratedField, Map<string, string>>;

// Values spelled exactly as the standard: the usual case in a standard file, found without normalising.
const exactValues = Object.fromEntries(Object.entries(enumerations).map(([field, values]) => [field, new Set(values as readonly string[])])) as Record<EnumeratedField, Set<string>>;

export function validateLieu(
  raw: Record<string, unknown>,
  territories: Territories,
  options: ValidateLieuOptions = {},
): LieuValidation {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string, value?: unknown) => {
    errors.push(value === undefined ? { field, message } : { field, message, value });
  };

  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '(lieu)', message: 'Un lieu doit être un objet JSON avec les champs du standard.' }] };
  }

  for (const key of Object.keys(raw)) {
    if (KNOWN.has(key)) continue;
    if (DERIVED.has(key)) continue; // recomputed from the commune; a round-tripped export may carry them
    if (BOOKKEEPING.has(key)) continue;
    if (!options.ignoreUnknownFields) {
      fail(key, `Le champ « ${key} » n’existe pas dans le standard national des lieux de médiation numérique.`);
    }
  }

  const text = (field: StandardField): string | null => {
    const value = raw[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      fail(field, `Le champ « ${field} » doit être un texte.`, value);
      return null;
    }
    const trimmed = collapseSpaces(value);
    return trimmed === '' ? null : trimmed;
  };

  const list = (field: MultiValuedField): string[] => {
    const value = raw[field];
    if (value === undefined || value === null) return [];
    if (typeof value === 'string' && !value.includes('|')) {
      const single = collapseSpaces(value);
      return single === '' ? [] : [single];
    }
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split('|') : null;
    if (!items || items.some((item) => typeof item !== 'string')) {
      fail(field, `Le champ « ${field} » doit être une liste de textes ou un texte aux valeurs séparées par « | ».`, value);
      return [];
    }
    return distinctNonBlank(items as string[]);
  };

  const value: Record<string, unknown> = {};

  // id: optional on input (we assign one); the registry keys places by UUID.
  const id = text('id');
  if (id !== null) {
    if (validator.isUUID(id)) value.id = id.toLowerCase();
    else fail('id', `L’identifiant « ${id} » n’est pas un UUID (ex. 3f2b8c1e-…) ; laissez ce champ vide pour qu’un identifiant soit attribué.`, id);
  }

  for (const field of requiredFields) {
    const present = raw[field] !== undefined && raw[field] !== null && String(raw[field]).trim() !== '';
    if (!present) fail(field, `Le champ « ${field} » est obligatoire dans le standard.`);
  }
  const missing: ReadonlySet<string> = errors.length === 0 ? NO_FIELDS : new Set(errors.map((e) => e.field));

  const pivot = text('pivot');
  if (pivot !== null) {
    const compact = pivot.replace(/[\s.]/g, '');
    if (PIVOT_PATTERN.test(compact)) value.pivot = compact;
    else fail('pivot', `Le pivot « ${pivot} » doit être un SIRET (14 chiffres), un RNA (W suivi de 9 chiffres) ou un RIDET : 9 à 14 lettres ou chiffres.`, pivot);
  }

  for (const field of NAME_FIELDS) {
    const v = text(field);
    if (v !== null) value[field] = v;
  }

  const codePostal = text('code_postal');
  if (codePostal !== null) {
    const compact = codePostal.replace(/\s/g, '');
    // No French postal code has four digits: a spreadsheet dropped the leading zero (01000–09999).
    const padded = /^\d{4}$/.test(compact) ? `0${compact}` : compact;
    if (/^\d{5}$/.test(padded)) value.code_postal = padded;
    else fail('code_postal', `Le code postal « ${codePostal} » doit comporter 5 chiffres.`, codePostal);
  }

  const codeInsee = text('code_insee');
  if (codeInsee !== null) {
    const compact = codeInsee.replace(/\s/g, '').toUpperCase();
    const padded = /^\d{4}$/.test(compact) ? `0${compact}` : compact; // same lost zero
    if (CODE_INSEE_PATTERN.test(padded)) value.code_insee = padded;
    else fail('code_insee', `Le code INSEE « ${codeInsee} » n’est pas valide : 5 caractères, ex. 75056, 2A004, 97105.`, codeInsee);
  }

  for (const field of FREE_TEXT_FIELDS) {
    value[field] = text(field);
  }

  const resume = text('presentation_resume');
  // Characters, not UTF-16 units: counted only when the text may be too long.
  if (resume !== null && resume.length > 280 && [...resume].length > 280) {
    fail('presentation_resume', `Le résumé de présentation dépasse 280 caractères (${[...resume].length}) : raccourcissez-le et mettez le reste dans « presentation_detail ».`);
  }
  value.presentation_resume = resume;

  const position = readPosition(raw, fail);

  const horaires = text('horaires');
  if (horaires !== null) {
    const parsed = checkHoraires(horaires);
    if (parsed.ok) value.horaires = horaires;
    else fail('horaires', parsed.message, horaires);
  }
  value.horaires ??= null;

  const date = text('date_maj');
  if (date !== null) {
    const iso = normalizeDate(date);
    if (iso) value.date_maj = iso;
    else fail('date_maj', `La date de mise à jour « ${date} » n’est pas une date valide : écrivez AAAA-MM-JJ (ex. 2024-05-31) ou JJ/MM/AAAA.`, date);
  }

  for (const field of multiValuedFields) {
    const items = list(field);
    if (field in enumerationIndex) {
      value[field] = matchEnumeration(field as EnumeratedField, items, fail);
    } else if (field === 'courriels') {
      value[field] = normalizeEmails(raw[field], items, fail);
    } else if (field === 'site_web') {
      value[field] = items.map((url) => normalizeUrl(field, url, fail)).filter((url): url is string => url !== null);
    } else {
      value[field] = items;
    }
  }

  for (const field of URL_FIELDS) {
    const url = text(field);
    value[field] = url === null ? null : normalizeUrl(field, url, fail);
  }

  // Territory: resolve the commune only from inputs that passed their own checks.
  const communeFieldsOk = !errors.some((e) => COMMUNE_FIELDS.has(e.field));
  value.code_epci = null;
  value.code_departement = null;
  value.code_region = null;
  value.position_approximate = false;
  let codeDepartement: string | null = null;
  if (communeFieldsOk && !missing.has('commune') && !missing.has('code_postal')) {
    const resolution = territories.resolveCommune({
      code_insee: (value.code_insee as string | undefined) ?? null,
      code_postal: value.code_postal as string,
      commune: value.commune as string,
    });
    if (resolution.ok) {
      const commune = resolution.commune;
      value.code_insee = commune.code;
      value.code_epci = commune.codeEpci;
      value.code_departement = commune.codeDepartement;
      value.code_region = commune.codeRegion;
      codeDepartement = commune.codeDepartement;
      if (!position && !errors.some((e) => e.field === 'latitude' || e.field === 'longitude') && commune.centre) {
        value.latitude = commune.centre.latitude;
        value.longitude = commune.centre.longitude;
        value.position_approximate = true;
      }
    } else {
      fail(resolution.field, resolution.message);
    }
  }
  value.code_insee ??= null;
  if (position) {
    value.latitude = position.latitude;
    value.longitude = position.longitude;
  }
  value.latitude ??= null;
  value.longitude ??= null;

  // Phone last: overseas short numbers are read with the place's département.
  const telephone = text('telephone');
  if (telephone !== null) {
    const phone = normalizePhone(telephone, { code_departement: codeDepartement });
    if (phone.ok) value.telephone = phone.value;
    else fail('telephone', phone.message, telephone);
  }
  value.telephone ??= null;

  if (errors.length > 0) return { ok: false, errors: dedupeByField(errors) };
  return { ok: true, value: value as LieuValue };
}

/** Runs of white space as one space, trimmed (`value.replace(/\s+/g, ' ').trim()`, without the copy when already clean). */
function collapseSpaces(value: string): string {
  return (UNCLEAN_SPACES.test(value) ? value.replace(/\s+/g, ' ') : value).trim();
}

/** White space other than a single space: a space-like character (tab, no-break space…) or two in a row. */
const UNCLEAN_SPACES = /[^\S ]|\s\s/;

/** Items with spaces collapsed, blanks removed, each value once, in order. */
function distinctNonBlank(items: readonly string[]): string[] {
  if (items.length > 16) return [...new Set(items.map(collapseSpaces).filter((item) => item !== ''))];
  const result: string[] = [];
  for (const item of items) {
    const cleaned = collapseSpaces(item);
    if (cleaned !== '' && !result.includes(cleaned)) result.push(cleaned);
  }
  return result;
}

/** True for the standard fields that hold several values. */
export function isMultiValuedField(field: string): field is MultiValuedField {
  return MULTI.has(field);
}

type Fail = (field: string, message: string, value?: unknown) => void;

function readPosition(raw: Record<string, unknown>, fail: Fail): { latitude: number; longitude: number } | null {
  const read = (field: 'latitude' | 'longitude', limit: number): number | null | undefined => {
    const value = raw[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim().replace(',', '.')) : NaN;
    if (!Number.isFinite(number) || Math.abs(number) > limit) {
      fail(field, `La ${field} « ${String(value)} » doit être un nombre entre -${limit} et ${limit} (degrés WGS84, ex. ${field === 'latitude' ? '48.8566' : '2.3522'}).`, value);
      return undefined;
    }
    return number;
  };
  const latitude = read('latitude', 90);
  const longitude = read('longitude', 180);
  if (latitude === undefined || longitude === undefined) return null;
  if (latitude === null && longitude === null) return null;
  if (latitude === null || longitude === null) {
    const absent = latitude === null ? 'latitude' : 'longitude';
    fail(absent, `La ${absent} manque alors que l’autre coordonnée est donnée : donnez les deux, ou aucune.`);
    return null;
  }
  if (latitude === 0 && longitude === 0) {
    fail('latitude', 'La position 0, 0 (au large de l’Afrique) est une valeur par défaut, pas une adresse en France.', 0);
    return null;
  }
  return { latitude, longitude };
}

function matchEnumeration(field: EnumeratedField, items: string[], fail: Fail): string[] {
  const index = enumerationIndex[field];
  const result: string[] = [];
  for (const item of items) {
    if (exactValues[field].has(item)) {
      if (!result.includes(item)) result.push(item);
      continue;
    }
    const key = field === 'typologie' ? normalizeText(TYPOLOGIE_ALIASES[item.toUpperCase()] ?? item) : normalizeText(item);
    const match = index.get(key) ?? (field === 'typologie' ? index.get(normalizeText(item.replace(/[\s-]+/g, '_'))) : undefined);
    if (match) {
      if (!result.includes(match)) result.push(match);
    } else {
      const allowed = field === 'typologie' ? 'un code de typologie du standard (ex. EPN, BIB, CCAS, MUNI, TIERS_LIEUX)' : (enumerations[field] as readonly string[]).map((v) => `« ${v} »`).join(', ');
      fail(field, `La valeur « ${item} » n’est pas admise pour « ${field} ». Valeurs possibles : ${allowed}.`, item);
    }
  }
  return result;
}

const EMAIL_SEPARATOR = /[;,\s]/;

function normalizeEmails(raw: unknown, items: string[], fail: Fail): string[] {
  // People separate addresses with ";" or "," too; neither can appear in a usable address.
  const split = typeof raw === 'string' || Array.isArray(raw) ? items.flatMap((item) => (EMAIL_SEPARATOR.test(item) ? item.split(/[;,\s]+/) : item)) : items;
  const result: string[] = [];
  for (const item of split) {
    const email = item.trim().replace(/^mailto:/i, '').toLowerCase();
    if (email === '') continue;
    if (validator.isEmail(email)) {
      if (!result.includes(email)) result.push(email);
    } else {
      fail('courriels', `L’adresse électronique « ${item} » n’est pas valide (ex. contact@mairie.fr).`, item);
    }
  }
  return result;
}

function normalizeUrl(field: string, raw: string, fail: Fail): string | null {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw.replace(/^\/+/, '')}`;
  if (validator.isURL(url, { protocols: ['http', 'https'], require_protocol: true, require_tld: true, require_valid_protocol: true })) {
    return url;
  }
  fail(field, `L’adresse web « ${raw} » n’est pas valide (ex. https://www.exemple.fr).`, raw);
  return null;
}

/** Dates repeat from row to row in a file: each spelling is read once (bounded). */
const dateCache = new Map<string, string | null>();

function normalizeDate(value: string): string | null {
  let iso = dateCache.get(value);
  if (iso === undefined) {
    iso = readDate(value);
    if (dateCache.size >= 10_000) dateCache.clear();
    dateCache.set(value, iso);
  }
  return iso;
}

function readDate(value: string): string | null {
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  let year: number, month: number, day: number;
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value); // French order, day first
    if (!match) return null;
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (year < 1990 || year > 2100) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function dedupeByField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
}
