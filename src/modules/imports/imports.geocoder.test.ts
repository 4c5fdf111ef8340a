// The BAN client against a local server speaking the api-adresse protocol: single search,
// CSV batch (multipart, filters, batch size), retries on 429 and 5xx, timeouts, malformed answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { banAddresses, startBanServer, type BanServer } from '../../../test/helpers/ban-server.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createBanGeocoder, GeocoderError, type GeocoderOptions } from './imports.geocoder.ts';

let ban: BanServer;
const sleeps: number[] = [];
const client = (options: Partial<GeocoderOptions> = {}) =>
  createBanGeocoder({
    url: `${ban.url}/`,
    backoffMs: 5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });

beforeAll(async () => {
  ban = await startBanServer(banAddresses);
});
afterAll(async () => ban?.close());
afterEach(() => {
  ban.requests.length = 0;
  ban.faults.length = 0;
  sleeps.length = 0;
});

const riviere = { id: 'a', adresse: '12 rue du Commandant Rivière', code_postal: '58000', commune: 'Nevers', citycode: '58194' };

describe('GET /search/ (one address)', () => {
  it('sends q, limit=1 and the citycode filter, and reads the best feature', async () => {
    const { answer, requests } = await client().search(riviere);
    expect(requests).toBe(1);
    expect(answer).toEqual({ latitude: 46.98955, longitude: 3.15868, score: 0.93, label: '12 Rue du Commandant Rivière 58000 Nevers', type: 'housenumber', citycode: '58194' });
    const sent = ban.requests[0]!;
    expect([sent.method, sent.path]).toEqual(['GET', '/search/']);
    expect(Object.fromEntries(sent.query)).toMatchObject({ q: '12 rue du Commandant Rivière 58000 Nevers', limit: '1', citycode: '58194' });
  });

  it('filters on the postal code when no INSEE code is given', async () => {
    await client().search({ ...riviere, citycode: null });
    expect(ban.requests[0]!.query.get('postcode')).toBe('58000');
    expect(ban.requests[0]!.query.has('citycode')).toBe(false);
  });

  it('answers null when the service finds nothing', async () => {
    const { answer } = await client().search({ ...riviere, adresse: '99 chemin inconnu' });
    expect(answer).toBeNull();
  });

  it('retries a 429 once, honouring Retry-After, then succeeds', async () => {
    ban.faults.push('rate-limit');
    const { answer, requests } = await client().search(riviere);
    expect(requests).toBe(2);
    expect(ban.requests).toHaveLength(2);
    expect(answer?.citycode).toBe('58194');
    expect(sleeps).toEqual([5]); // Retry-After: 0, so the backoff delay
  });

  it('gives up after the retries on repeated 500 with a French reason', async () => {
    ban.faults.push('server-error', 'server-error', 'server-error');
    const error = await client({ retries: 2 }).search(riviere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeocoderError);
    expect((error as GeocoderError).message).toMatch(/réponse HTTP 500 \(après 3 tentatives\)/);
    expect((error as GeocoderError).requests).toBe(3);
    expect(sleeps).toEqual([5, 10]); // exponential backoff
  });

  it('times out a request that never answers, and retries it', async () => {
    ban.faults.push('hang', 'hang');
    const error = await client({ timeoutMs: 150, retries: 1 }).search(riviere).catch((e: unknown) => e);
    expect((error as GeocoderError).message).toMatch(/délai dépassé \(après 2 tentatives\)/);
    expect(ban.requests).toHaveLength(2);
  });

  it('refuses a malformed answer without retrying', async () => {
    ban.faults.push('malformed');
    const error = await client().search(riviere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeocoderError);
    expect((error as GeocoderError).message).toMatch(/illisible/);
    expect(ban.requests).toHaveLength(1);
  });

  it('says so when nothing listens at the URL', async () => {
    const error = await createBanGeocoder({ url: 'http://127.0.0.1:9', retries: 0 }).search(riviere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeocoderError);
    expect((error as GeocoderError).message).toMatch(/^Service d’adresses \(http:\/\/127\.0\.0\.1:9\)/);
  });
});

describe('POST /search/csv/ (batch)', () => {
  const queries = [
    riviere,
    { id: 'b', adresse: '2 place Saint-Romain', code_postal: '58120', commune: 'Château-Chinon (Ville)', citycode: '58062' },
    { id: 'c', adresse: '99 chemin inconnu', code_postal: '58000', commune: 'Nevers', citycode: '58194' },
    { id: 'd', adresse: '11 avenue Jean Cagne', code_postal: '69200', commune: 'Vénissieux', citycode: null },
  ];

  it('sends the CSV file, the query columns and the filter column; maps answers by id; cuts batches', async () => {
    const result = await client({ batchSize: 2 }).searchBatch(queries);
    expect(result.error).toBeNull();
    // citycode group (3 rows, 2 per request) + postcode group (1 row)
    expect(result.requests).toBe(3);
    expect(ban.requests.map((r) => [r.method, r.path, r.rows?.length])).toEqual([
      ['POST', '/search/csv/', 2],
      ['POST', '/search/csv/', 1],
      ['POST', '/search/csv/', 1],
    ]);
    expect(ban.requests[0]!.form).toMatchObject({ columns: ['adresse', 'code_postal', 'commune'], citycode: ['filtre'] });
    expect(ban.requests[0]!.rows![0]).toEqual({ id: 'a', adresse: '12 rue du Commandant Rivière', code_postal: '58000', commune: 'Nevers', filtre: '58194' });
    expect(ban.requests[2]!.form).toMatchObject({ postcode: ['filtre'] });
    expect(ban.requests[2]!.form!.citycode).toBeUndefined();
    expect(result.answers.get('a')).toMatchObject({ latitude: 46.98955, longitude: 3.15868, score: 0.93, type: 'housenumber', citycode: '58194' });
    expect(result.answers.get('b')).toMatchObject({ citycode: '58062', label: '2 Place Saint-Romain 58120 Château-Chinon (Ville)' });
    expect(result.answers.get('c')).toBeNull();
    expect(result.answers.get('d')).toMatchObject({ citycode: '69259' });
  });

  it('retries a 429 then goes on', async () => {
    ban.faults.push('rate-limit');
    const result = await client().searchBatch(queries.slice(0, 3));
    expect(result.requests).toBe(2);
    expect(result.answers.size).toBe(3);
    expect(result.error).toBeNull();
  });

  it('keeps the answers already received and stops asking when the service fails', async () => {
    ban.faults.push('server-error', 'server-error');
    const result = await client({ batchSize: 2, retries: 1 }).searchBatch(queries.slice(0, 3));
    expect(result.answers.size).toBe(0);
    expect(result.error).toMatch(/réponse HTTP 500/);
    expect(result.requests).toBe(2);
    expect(ban.requests).toHaveLength(2); // the second slice is not sent
  });

  it('refuses a CSV answer without the result columns', async () => {
    ban.faults.push('malformed');
    const result = await client().searchBatch(queries.slice(0, 2));
    expect(result.answers.size).toBe(0);
    expect(result.error).toMatch(/réponse CSV/);
    expect(ban.requests).toHaveLength(1);
  });

  it('times out a CSV request that never answers', async () => {
    ban.faults.push('hang');
    const result = await client({ batchTimeoutMs: 150, retries: 0 }).searchBatch(queries.slice(0, 2));
    expect(result.error).toMatch(/délai dépassé/);
    expect(result.answers.size).toBe(0);
  });
});

describe('MAILLAGE_GEOCODER_URL', () => {
  it('defaults to the national service, can be pointed elsewhere or turned off, and refuses anything else', () => {
    expect(loadConfig({}).geocoderUrl).toBe('https://api-adresse.data.gouv.fr');
    expect(loadConfig({ MAILLAGE_GEOCODER_URL: 'http://127.0.0.1:7878/' }).geocoderUrl).toBe('http://127.0.0.1:7878');
    expect(loadConfig({ MAILLAGE_GEOCODER_URL: 'off' }).geocoderUrl).toBeNull();
    expect(() => loadConfig({ MAILLAGE_GEOCODER_URL: 'api-adresse.data.gouv.fr' })).toThrow(ConfigError);
  });
});
