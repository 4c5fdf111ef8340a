// Client of the national address API (api-adresse.data.gouv.fr, the BAN geocoder, an addok
// server): `GET /search/` for one address (GeoJSON FeatureCollection, best feature first) and
// `POST /search/csv/` for many (multipart: a `data` CSV file, the `columns` that make the query,
// and filters naming the column that holds each row's filter value; the answer is the same
// CSV with latitude, longitude, result_* columns added). Each request has a timeout; 429 and
// 5xx answers, timeouts and network errors are retried with exponential backoff (Retry-After
// honoured); a batch is cut into requests of at most `batchSize` rows.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export interface GeocodeQuery {
  /** Caller's id of the query (answers are keyed by it). */
  id: string;
  /** Street address (number, street, place name…). */
  adresse: string;
  code_postal?: string | null;
  commune?: string | null;
  /** INSEE code the answer must lie in (BAN `citycode` filter); else `code_postal` filters. */
  citycode?: string | null;
}

export interface GeocodeMatch {
  latitude: number;
  longitude: number;
  /** Address as the BAN writes it. */
  label: string;
  /** BAN relevance, 0 to 1. */
  score: number;
  /** housenumber, street, locality or municipality. */
  type: string;
  citycode: string;
}

/** A match, or null when the service found nothing. */
export type GeocodeAnswer = GeocodeMatch | null;

export interface BatchResult {
  answers: Map<string, GeocodeAnswer>;
  /** HTTP requests made, retries included. */
  requests: number;
  /** French reason when some queries got no answer (service unreachable or broken); their ids are absent from `answers`. */
  error: string | null;
}

export interface Geocoder {
  readonly url: string;
  search(query: GeocodeQuery): Promise<{ answer: GeocodeAnswer; requests: number }>;
  searchBatch(queries: readonly GeocodeQuery[]): Promise<BatchResult>;
}

/** The service could not answer (unreachable, timeouts, errors after retries, malformed answer); message in French. */
export class GeocoderError extends Error {
  constructor(
    message: string,
    readonly requests: number,
  ) {
    super(message);
  }
}

export interface GeocoderOptions {
  /** Base URL, e.g. https://api-adresse.data.gouv.fr */
  url: string;
  fetch?: typeof fetch;
  /** Per request of one address (default 10 s). */
  timeoutMs?: number;
  /** Per CSV request (default 120 s: the service geocodes a few hundred rows a second). */
  batchTimeoutMs?: number;
  /** Rows per CSV request (default 1,000; the public service refuses files over 50 MB). */
  batchSize?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay, doubled at each retry (default 1 s). */
  backoffMs?: number;
  /** Longest wait between attempts, Retry-After included (default 30 s). */
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const defaultBatchSize = 1000;

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function number(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** One feature of a GeoJSON answer → a match; throws on a shape that is not the BAN's. */
function matchOfFeature(feature: unknown): GeocodeMatch {
  const f = feature as { geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> } | null;
  const coordinates = f?.geometry?.coordinates;
  const properties = f?.properties;
  const longitude = Array.isArray(coordinates) ? number(coordinates[0]) : null;
  const latitude = Array.isArray(coordinates) ? number(coordinates[1]) : null;
  const score = number(properties?.score);
  if (latitude === null || longitude === null || score === null || typeof properties?.citycode !== 'string') {
    throw new Error('réponse inattendue (objet sans coordonnées, score ou citycode)');
  }
  return { latitude, longitude, score, label: String(properties.label ?? ''), type: String(properties.type ?? ''), citycode: properties.citycode };
}

export function createBanGeocoder(options: GeocoderOptions): Geocoder {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const batchSize = Math.max(1, options.batchSize ?? defaultBatchSize);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** One request with retries; `read` turns a 2xx response into the result (its errors are not retried). */
  async function withRetries<T>(what: string, attempt: () => Promise<Response>, read: (response: Response) => Promise<T>): Promise<{ value: T; requests: number }> {
    let requests = 0;
    for (let tries = 0; ; tries++) {
      requests++;
      try {
        let response: Response;
        try {
          response = await attempt();
        } catch (error) {
          const cause = error as Error & { cause?: Error };
          const reason = cause.name === 'TimeoutError' ? 'délai dépassé' : (cause.cause?.message ?? cause.message);
          throw new RetryableError(`${what} : ${reason}`);
        }
        if (response.status === 429 || response.status >= 500) {
          await response.body?.cancel();
          throw new RetryableError(`${what} : réponse HTTP ${response.status}`, retryAfter(response.headers.get('retry-after')));
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new GeocoderError(`${what} : réponse HTTP ${response.status}`, requests);
        }
        try {
          return { value: await read(response), requests };
        } catch (error) {
          if ((error as Error).name === 'TimeoutError') throw new RetryableError(`${what} : délai dépassé`);
          throw new GeocoderError(`${what} : ${(error as Error).message}`, requests);
        }
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        if (tries >= retries) throw new GeocoderError(`${error.message} (après ${requests} tentatives)`, requests);
        await sleep(Math.min(maxBackoffMs, Math.max(error.retryAfterMs ?? 0, backoffMs * 2 ** tries)));
      }
    }
  }

  async function search(query: GeocodeQuery): Promise<{ answer: GeocodeAnswer; requests: number }> {
    const url = new URL(`${base}/search/`);
    url.searchParams.set('q', [query.adresse, query.code_postal, query.commune].filter(Boolean).join(' '));
    url.searchParams.set('limit', '1');
    url.searchParams.set('autocomplete', '0');
    if (query.citycode) url.searchParams.set('citycode', query.citycode);
    else if (query.code_postal && /^\d{5}$/.test(query.code_postal)) url.searchParams.set('postcode', query.code_postal);
    const { value, requests } = await withRetries(
      `Service d’adresses (${base})`,
      () => doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) }),
      async (response) => {
        let body: unknown;
        try {
          body = JSON.parse(await response.text());
        } catch {
          throw new Error('réponse illisible (JSON attendu)');
        }
        const features = (body as { features?: unknown } | null)?.features;
        if (!Array.isArray(features)) throw new Error('réponse inattendue (FeatureCollection attendue)');
        return features.length === 0 ? null : matchOfFeature(features[0]);
      },
    );
    return { answer: value, requests };
  }

  /** One CSV request for rows sharing one kind of filter. */
  async function searchCsv(queries: readonly GeocodeQuery[], filter: 'citycode' | 'postcode' | null): Promise<{ answers: Map<string, GeocodeAnswer>; requests: number }> {
    const csv = stringify([
      ['id', 'adresse', 'code_postal', 'commune', 'filtre'],
      ...queries.map((q) => [q.id, q.adresse, q.code_postal ?? '', q.commune ?? '', filter === 'citycode' ? q.citycode : filter === 'postcode' ? q.code_postal : '']),
    ]);
    const form = () => {
      const data = new FormData();
      data.append('data', new Blob([csv], { type: 'text/csv' }), 'adresses.csv');
      for (const column of ['adresse', 'code_postal', 'commune']) data.append('columns', column);
      if (filter) data.append(filter, 'filtre');
      return data;
    };
    const ids = new Set(queries.map((q) => q.id));
    const { value, requests } = await withRetries(
      `Service d’adresses (${base}/search/csv/)`,
      () => doFetch(`${base}/search/csv/`, { method: 'POST', body: form(), signal: AbortSignal.timeout(options.batchTimeoutMs ?? 120_000) }),
      async (response) => {
        let rows: Record<string, string>[];
        try {
          rows = parse(await response.text(), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false }) as Record<string, string>[];
        } catch (error) {
          throw new Error(`réponse CSV illisible (${(error as Error).message})`);
        }
        const missing = ['id', 'latitude', 'longitude', 'result_score'].filter((c) => rows.length > 0 && !(c in rows[0]!));
        if (missing.length > 0 || rows.length !== queries.length) {
          throw new Error(missing.length > 0 ? `réponse CSV sans les colonnes ${missing.join(', ')}` : `réponse CSV de ${rows.length} lignes pour ${queries.length} adresses`);
        }
        const answers = new Map<string, GeocodeAnswer>();
        for (const row of rows) {
          if (!ids.has(row.id ?? '')) throw new Error(`réponse CSV avec un identifiant inconnu (« ${row.id} »)`);
          const status = row.result_status;
          // addok-csv: ok, not-found, skipped (empty query), error (that row failed: no answer).
          if (status === 'error') continue;
          const latitude = number(row.latitude);
          const longitude = number(row.longitude);
          const score = number(row.result_score);
          if ((status !== undefined && status !== 'ok') || latitude === null || longitude === null || score === null) {
            answers.set(row.id!, null);
            continue;
          }
          answers.set(row.id!, { latitude, longitude, score, label: row.result_label ?? '', type: row.result_type ?? '', citycode: row.result_citycode ?? '' });
        }
        return answers;
      },
    );
    return { answers: value, requests };
  }

  async function searchBatch(queries: readonly GeocodeQuery[]): Promise<BatchResult> {
    const result: BatchResult = { answers: new Map(), requests: 0, error: null };
    const groups = new Map<'citycode' | 'postcode' | null, GeocodeQuery[]>();
    for (const q of queries) {
      const filter = q.citycode ? 'citycode' : q.code_postal && /^\d{5}$/.test(q.code_postal) ? 'postcode' : null;
      groups.set(filter, [...(groups.get(filter) ?? []), q]);
    }
    for (const [filter, group] of groups) {
      for (let start = 0; start < group.length; start += batchSize) {
        try {
          const { answers, requests } = await searchCsv(group.slice(start, start + batchSize), filter);
          result.requests += requests;
          for (const [id, answer] of answers) result.answers.set(id, answer);
        } catch (error) {
          if (!(error instanceof GeocoderError)) throw error;
          result.requests += error.requests;
          result.error ??= error.message;
          // An unreachable service will not answer the next slices either: stop asking.
          return result;
        }
      }
    }
    return result;
  }

  return { url: base, search, searchBatch };
}
