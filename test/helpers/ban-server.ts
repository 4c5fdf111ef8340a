// A local stand-in for the national address API (api-adresse.data.gouv.fr, an addok server)
// on 127.0.0.1: `GET /search/` answers a GeoJSON FeatureCollection, `POST /search/csv/` reads
// the multipart form (data file, columns, citycode/postcode filter columns) and answers the
// CSV with the result columns added, as the real service does. Addresses come from a small
// table; tests can script failures (429, 500, no answer, malformed body) for the next requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { normalizeText } from '../../src/lib/text.ts';

export interface BanAddress {
  /** Words that must all appear in the query (normalised). */
  words: string;
  label: string;
  latitude: number;
  longitude: number;
  score: number;
  type: 'housenumber' | 'street' | 'locality' | 'municipality';
  citycode: string;
  postcode: string;
}

export type Fault = 'rate-limit' | 'server-error' | 'hang' | 'malformed';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Multipart fields of a CSV request (the file as text). */
  form?: Record<string, string[]>;
  rows?: Record<string, string>[];
}

export interface BanServer {
  url: string;
  requests: RecordedRequest[];
  /** Faults applied to the next requests, in order. */
  faults: Fault[];
  close(): Promise<void>;
}

const resultColumns = ['latitude', 'longitude', 'result_label', 'result_score', 'result_type', 'result_id', 'result_housenumber', 'result_name', 'result_street', 'result_postcode', 'result_city', 'result_context', 'result_citycode', 'result_oldcitycode', 'result_oldcity', 'result_district', 'result_status'];

function lookup(addresses: readonly BanAddress[], q: string, filters: { citycode?: string | null; postcode?: string | null }): BanAddress | null {
  const query = ` ${normalizeText(q)} `;
  return (
    addresses.find(
      (a) =>
        normalizeText(a.words)
          .split(' ')
          .every((w) => query.includes(` ${w} `)) &&
        (!filters.citycode || filters.citycode === a.citycode) &&
        (!filters.postcode || filters.postcode === a.postcode),
    ) ?? null
  );
}

async function body(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startBanServer(addresses: readonly BanAddress[]): Promise<BanServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams };
    requests.push(recorded);
    const raw = await body(request);
    const fault = faults.shift();
    if (fault === 'rate-limit') {
      response.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"message":"Too many requests"}');
      return;
    }
    if (fault === 'server-error') {
      response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
      return;
    }
    if (fault === 'hang') {
      hanging.add(response);
      return;
    }
    if (request.method === 'GET' && url.pathname === '/search/') {
      if (fault === 'malformed') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>');
        return;
      }
      const found = lookup(addresses, url.searchParams.get('q') ?? '', { citycode: url.searchParams.get('citycode'), postcode: url.searchParams.get('postcode') });
      const features = found
        ? [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [found.longitude, found.latitude] },
              properties: { label: found.label, score: found.score, type: found.type, citycode: found.citycode, postcode: found.postcode, id: `${found.citycode}_x`, name: found.label },
            },
          ]
        : [];
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'FeatureCollection', version: 'draft', features, query: url.searchParams.get('q') }));
      return;
    }
    if (request.method === 'POST' && url.pathname === '/search/csv/') {
      const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: request.headers as Record<string, string>, body: new Uint8Array(raw) }).formData();
      const fields: Record<string, string[]> = {};
      for (const [name, value] of form.entries()) (fields[name] ??= []).push(typeof value === 'string' ? value : await value.text());
      recorded.form = fields;
      const rows = parse(fields.data?.[0] ?? '', { columns: true }) as Record<string, string>[];
      recorded.rows = rows;
      if (fault === 'malformed') {
        response.writeHead(200, { 'content-type': 'text/csv' }).end('erreur;inattendue\n1;2\n');
        return;
      }
      const columns = fields.columns ?? [];
      const citycodeColumn = fields.citycode?.[0];
      const postcodeColumn = fields.postcode?.[0];
      const header = [...Object.keys(rows[0] ?? {}), ...resultColumns];
      const out = rows.map((row) => {
        const q = columns.map((c) => row[c] ?? '').join(' ');
        const found = lookup(addresses, q, { citycode: citycodeColumn ? row[citycodeColumn] : null, postcode: postcodeColumn ? row[postcodeColumn] : null });
        const result = found
          ? [found.latitude, found.longitude, found.label, found.score, found.type, `${found.citycode}_x`, '', found.label, '', found.postcode, '', '', found.citycode, '', '', '', 'ok']
          : ['', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'not-found'];
        return [...Object.values(row), ...result];
      });
      response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(stringify([header, ...out]));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Real Nevers and Vénissieux addresses, with what the BAN answers for them. */
export const banAddresses: BanAddress[] = [
  { words: '12 commandant riviere', label: '12 Rue du Commandant Rivière 58000 Nevers', latitude: 46.98955, longitude: 3.15868, score: 0.93, type: 'housenumber', citycode: '58194', postcode: '58000' },
  { words: '2 place saint romain', label: '2 Place Saint-Romain 58120 Château-Chinon (Ville)', latitude: 47.06402, longitude: 3.93372, score: 0.91, type: 'housenumber', citycode: '58062', postcode: '58120' },
  { words: '8 rue de la pique', label: '8 Rue de la Pique 58000 Nevers', latitude: 46.98623, longitude: 3.15731, score: 0.89, type: 'housenumber', citycode: '58194', postcode: '58000' },
  { words: 'rue des tanneries', label: 'Rue des Tanneries 58000 Nevers', latitude: 46.9871, longitude: 3.1612, score: 0.42, type: 'street', citycode: '58194', postcode: '58000' },
  { words: 'lieu dit le bourg', label: 'Nevers', latitude: 46.9908, longitude: 3.1628, score: 0.71, type: 'municipality', citycode: '58194', postcode: '58000' },
  { words: '11 avenue jean cagne', label: '11 Avenue Jean Cagne 69200 Vénissieux', latitude: 45.70402, longitude: 4.88264, score: 0.95, type: 'housenumber', citycode: '69259', postcode: '69200' },
];
