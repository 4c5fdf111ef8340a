// Checks a search query once, for both engines, and derives what they need. Every problem
// is reported in French, naming the API parameter at fault.
import { ValidationError, type FieldError } from '../../lib/errors.ts';
import { decodeCursor, type CursorKey } from './cursor.ts';
import { enumeratedFieldValues, territoireTypes, type EnumeratedField } from './search.fields.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type SearchQuery } from './search.types.ts';
import { queryWords } from './text-match.ts';
import type { QpvFilter } from './qpv-layer.ts';

export const MAX_Q_LENGTH = 200;
export const MAX_RAYON_KM = 20_000;

export interface PreparedQuery {
  point?: { latitude: number; longitude: number };
  radiusMetres?: number;
  words: string[];
  territoire?: SearchQuery['territoire'];
  filters: [EnumeratedField, readonly string[]][];
  qpv?: QpvFilter;
  openAt?: Date;
  limit: number;
  after?: CursorKey;
}

export function prepareQuery(query: SearchQuery, now: Date): PreparedQuery {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string, value?: unknown) => errors.push({ field, message, value });

  const { point } = query;
  if (point) {
    if (!Number.isFinite(point.latitude) || point.latitude < -90 || point.latitude > 90) {
      fail('lat', '« lat » doit être une latitude entre -90 et 90.', point.latitude);
    }
    if (!Number.isFinite(point.longitude) || point.longitude < -180 || point.longitude > 180) {
      fail('lon', '« lon » doit être une longitude entre -180 et 180.', point.longitude);
    }
  }
  if (query.rayon_km !== undefined) {
    if (!point) fail('rayon', '« rayon » ne peut être donné qu’avec un point (lat et lon).');
    else if (!Number.isFinite(query.rayon_km) || query.rayon_km <= 0 || query.rayon_km > MAX_RAYON_KM) {
      fail('rayon', `« rayon » doit être un nombre de kilomètres strictement positif, au plus ${MAX_RAYON_KM}.`, query.rayon_km);
    }
  }
  if (query.q !== undefined && query.q.length > MAX_Q_LENGTH) {
    fail('q', `« q » doit contenir au plus ${MAX_Q_LENGTH} caractères.`);
  }
  const { territoire } = query;
  if (territoire) {
    if (!territoireTypes.includes(territoire.type)) {
      fail('territoire', `Le type de territoire doit être l’un de : ${territoireTypes.join(', ')}.`, territoire.type);
    }
    if (!/^[0-9A-Za-z]{1,12}$/.test(territoire.code)) {
      fail(territoire.type, `« ${territoire.type} » doit être un code officiel (lettres et chiffres).`, territoire.code);
    }
  }
  const filters: [EnumeratedField, readonly string[]][] = [];
  for (const [field, values] of Object.entries(query.filters ?? {})) {
    const allowed = (enumeratedFieldValues as Record<string, readonly string[] | undefined>)[field];
    if (!allowed) {
      fail(field, `« ${field} » n’est pas un champ filtrable.`);
      continue;
    }
    if (!values || values.length === 0) continue;
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length) {
      fail(
        field,
        `« ${field} » : valeur inconnue ${unknown.map((v) => `« ${v} »`).join(', ')}. Valeurs possibles : ${allowed.join(' ; ')}.`,
        unknown,
      );
    }
    filters.push([field as EnumeratedField, [...new Set(values)]]);
  }
  const qpv = prepareQpvFilter(query.qpv, fail);
  if (query.ouvert_le !== undefined && Number.isNaN(query.ouvert_le.getTime())) {
    fail('ouvert_le', '« ouvert_le » doit être une date et heure ISO 8601 (ex. 2025-03-14T10:30:00+01:00).');
  }
  if (query.ouvert_le !== undefined && query.ouvert_maintenant) {
    fail('ouvert_le', '« ouvert_le » et « ouvert_maintenant » ne peuvent pas être donnés ensemble.');
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    fail('limit', `« limit » doit être un entier entre 1 et ${MAX_LIMIT}.`, query.limit);
  }
  let after: CursorKey | undefined;
  if (query.curseur !== undefined) {
    try {
      after = decodeCursor(query.curseur, point !== undefined);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length) throw new ValidationError(errors, 'Paramètres invalides');

  return {
    point,
    radiusMetres: query.rayon_km === undefined ? undefined : query.rayon_km * 1000,
    words: queryWords(query.q),
    territoire,
    filters,
    qpv,
    openAt: query.ouvert_le ?? (query.ouvert_maintenant ? now : undefined),
    limit,
    after,
  };
}

/** QPV codes of both lists: 2015 (QP + 6 digits) and 2024 (QN + 5 characters + letter). */
export const QPV_CODE = /^Q[PN][0-9A-Z]{5,8}$/;

function prepareQpvFilter(filter: QpvFilter | undefined, fail: (field: string, message: string, value?: unknown) => void): QpvFilter | undefined {
  if (!filter) return undefined;
  const result: QpvFilter = {};
  for (const [field, codes] of [['qpv', filter.dans], ['qpv_proche', filter.proche]] as const) {
    if (codes === undefined || codes.length === 0) continue;
    const bad = codes.filter((code) => !QPV_CODE.test(code));
    if (bad.length) fail(field, `« ${field} » doit être un code QPV (ex. QP035003, QN03501M).`, bad);
    if (field === 'qpv') result.dans = [...new Set(codes)];
    else result.proche = [...new Set(codes)];
  }
  if (filter.en_qpv !== undefined) result.en_qpv = filter.en_qpv;
  if (filter.proche_qpv !== undefined) result.proche_qpv = filter.proche_qpv;
  return Object.keys(result).length ? result : undefined;
}
