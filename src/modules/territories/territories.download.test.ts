// `maillage data download` against a local server speaking like geo.api.gouv.fr, data.gouv.fr
// and the Etalab contours host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { checkContours, checkQpv, downloadReferenceData, toCentreRows, type ReferenceUrls } from './territories.download.ts';
import { createTerritories } from './territories.use-cases.ts';

const run = promisify(execFile);

type Mode = 'ok' | 'http500' | 'malformed' | 'tooFew';

const arrondissementCodes = [
  ...Array.from({ length: 20 }, (_, i) => `751${String(i + 1).padStart(2, '0')}`),
  ...Array.from({ length: 9 }, (_, i) => `6938${i + 1}`),
  ...Array.from({ length: 16 }, (_, i) => `132${String(i + 1).padStart(2, '0')}`),
];

function geoApiCommune(code: string, lat: number, lon: number) {
  return { nom: `Commune ${code}`, code, codeDepartement: code.slice(0, 2), population: 100, centre: { type: 'Point', coordinates: [lon, lat] } };
}

// 30,000 communes, as many as the real answer needs to be accepted; Lille at a known place.
const communes = [
  geoApiCommune('59350', 50.6311, 3.0468),
  ...Array.from({ length: 29_999 }, (_, i) => geoApiCommune(String(10_000 + i), 45 + (i % 500) / 100, 2 + (i % 300) / 100)),
];
const arrondissements = arrondissementCodes.map((code, i) => geoApiCommune(code, 48 + i / 100, 2 + i / 100));

function square(x: number, y: number) {
  return { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y]]] };
}

function collection(features: object[]) {
  return JSON.stringify({ type: 'FeatureCollection', features });
}

const qpvZip = zipSync({
  'QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson': strToU8(
    collection(
      Array.from({ length: 1_000 }, (_, i) => ({
        type: 'Feature',
        properties: { code_qp: `QN0${String(i).padStart(5, '0')}`, lib_qp: `Quartier ${i}` },
        geometry: square(2 + i / 1000, 48),
      })),
    ),
  ),
  'LISEZMOI.txt': strToU8('métadonnées'),
});

const departementCodes = [
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '20'),
  '2A', '2B', '971', '972', '973', '974', '976',
];
const departements = collection(departementCodes.map((code, i) => ({ type: 'Feature', properties: { code, nom: `Département ${code}` }, geometry: square(i / 10, 45) })));
const regions = collection(
  ['01', '02', '03', '04', '06', '11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94'].map((code, i) => ({
    type: 'Feature',
    properties: { code, nom: `Région ${code}` },
    geometry: square(i, 46),
  })),
);

let mode: Mode = 'ok';
const requests: string[] = [];

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  requests.push(url.pathname + url.search);
  const send = (status: number, body: string | Uint8Array, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (url.pathname === '/communes') {
    if (mode === 'http500') return send(500, '{"message":"Internal Server Error"}');
    if (mode === 'malformed') return send(200, '[{"nom":"Lille","code":"59350","centre":');
    const isArrondissement = url.searchParams.get('type') === 'arrondissement-municipal';
    const rows = isArrondissement ? arrondissements : mode === 'tooFew' ? communes.slice(0, 10) : communes;
    return send(200, JSON.stringify(rows));
  }
  if (url.pathname === '/fr/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119') return send(200, qpvZip, 'application/zip');
  if (url.pathname === '/contours/departements-100m.geojson' || url.pathname === '/contours/departements-1000m.geojson') {
    return send(200, departements);
  }
  if (url.pathname === '/contours/regions-100m.geojson') return send(200, regions);
  send(404, 'Not Found', 'text/plain');
});

let urls: ReferenceUrls;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  urls = { geoApi: base, dataGouv: base, contours: `${base}/contours` };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  mode = 'ok';
  requests.length = 0;
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-download-'));
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

const centresPath = 'communes/communes-centres-geoapi-2025.json';

describe('downloadReferenceData', () => {
  it('fetches every reference file into the layout the platform reads', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const reports = await downloadReferenceData({ referenceDir: dir, urls, progress: (line) => lines.push(line) });
    expect(reports.map((r) => [r.file.path, r.ok, r.error])).toEqual([
      [centresPath, true, undefined],
      ['communes/arrondissements-centres-geoapi.json', true, undefined],
      ['qpv/qpv-2024.geojson', true, undefined],
      ['contours/departements-avec-outre-mer.geojson', true, undefined],
      ['contours/departements-version-simplifiee.geojson', true, undefined],
      ['contours/regions-avec-outre-mer.geojson', true, undefined],
    ]);
    expect(requests).toContain('/communes?fields=nom,code,codeDepartement,population,centre&format=json&geometry=centre');
    // No temporary file left behind.
    expect(filesUnder(dir)).toEqual([
      'communes/arrondissements-centres-geoapi.json',
      centresPath,
      'contours/departements-avec-outre-mer.geojson',
      'contours/departements-version-simplifiee.geojson',
      'contours/regions-avec-outre-mer.geojson',
      'qpv/qpv-2024.geojson',
    ]);

    const rows = JSON.parse(fs.readFileSync(path.join(dir, centresPath), 'utf8'));
    expect(rows).toHaveLength(30_000);
    expect(rows[0]).toEqual({ code: '59350', nom: 'Commune 59350', dept: '59', lat: 50.6311, lon: 3.0468, population: 100 });
    const qpv = JSON.parse(fs.readFileSync(path.join(dir, 'qpv/qpv-2024.geojson'), 'utf8'));
    expect(qpv.features).toHaveLength(1_000);
    const simplified = JSON.parse(fs.readFileSync(path.join(dir, 'contours/departements-version-simplifiee.geojson'), 'utf8'));
    expect(simplified.features.some((f: { properties: { code: string } }) => f.properties.code.startsWith('97'))).toBe(false);
    expect(simplified.features.length).toBe(96);
    expect(lines.some((line) => line.startsWith(`Téléchargement de ${centresPath}`))).toBe(true);

    // The platform reads what was downloaded: Lille and the arrondissements get their centres.
    const territories = createTerritories({ referenceDir: dir });
    expect(territories.degradations()).toEqual([]);
    expect(territories.getCommune('59350')?.centre).toEqual({ latitude: 50.6311, longitude: 3.0468 });
    expect(territories.getCommune('75101')?.centre).toEqual({ latitude: 48, longitude: 2 });
  });

  it.each<[Mode, RegExp]>([
    ['http500', /communes\/communes-centres-geoapi-2025\.json : le serveur a répondu HTTP 500/],
    ['malformed', /communes\/communes-centres-geoapi-2025\.json : contenu refusé \(JSON invalide/],
    ['tooFew', /communes\/communes-centres-geoapi-2025\.json : contenu refusé \(10 communes avec un centre reçus, au moins 30000 attendus\)/],
  ])('keeps the previous file and explains a %s answer', async (failure, message) => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'communes'));
    const previous = JSON.stringify([{ code: '59350', nom: 'Lille', dept: '59', lat: 50.6, lon: 3.1, population: 1 }]);
    fs.writeFileSync(path.join(dir, centresPath), previous);
    mode = failure;
    const reports = await downloadReferenceData({ referenceDir: dir, urls, only: ['centres'] });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.ok).toBe(false);
    expect(reports[0]!.error).toMatch(message);
    expect(reports[0]!.error).toMatch(/le fichier précédent est conservé/);
    expect(fs.readFileSync(path.join(dir, centresPath), 'utf8')).toBe(previous);
    expect(filesUnder(dir)).toEqual([centresPath]);
  });

  it('says when the server cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = tempDir();
    const reports = await downloadReferenceData({
      referenceDir: dir,
      urls: { ...urls, geoApi: `http://127.0.0.1:${port}` },
      only: ['centres'],
    });
    expect(reports[0]!.error).toMatch(/communes\/communes-centres-geoapi-2025\.json : téléchargement impossible depuis http:\/\/127\.0\.0\.1/);
    expect(fs.existsSync(path.join(dir, centresPath))).toBe(false);
  });
});

describe('maillage data (command line)', () => {
  const cli = (args: string[], referenceDir: string) =>
    run(process.execPath, ['bin/maillage.js', 'data', ...args], {
      env: { ...process.env, MAILLAGE_REFERENCE_DIR: referenceDir, MAILLAGE_GEO_API_URL: urls.geoApi, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });

  it('downloads with progress, then reports the files present and the degraded features', async () => {
    const dir = tempDir();
    const download = await cli(['download', '--only', 'centres,arrondissements'], dir);
    expect(download.stdout).toMatch(/Téléchargement de communes\/communes-centres-geoapi-2025\.json/);
    expect(download.stdout).toMatch(/2 fichier\(s\) de référence à jour/);
    const status = await cli(['status'], dir);
    expect(status.stdout).toMatch(/✓ communes\/communes-centres-geoapi-2025\.json/);
    expect(status.stdout).toMatch(/✗ qpv\/qpv-2024\.geojson — absent : les lieux ne peuvent pas être rattachés à un quartier prioritaire/);
    expect(status.stdout).toMatch(/Territoires : aucune fonction dégradée\./);
  });

  it('fails with a French message naming the file, exit code 1 and no stack trace', async () => {
    mode = 'http500';
    const dir = tempDir();
    const failure = await cli(['download', '--only', 'centres'], dir).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/Erreur : 1 fichier\(s\) de référence sur 1 n'ont pas pu être téléchargés/);
    expect(failure?.stderr).toMatch(/communes\/communes-centres-geoapi-2025\.json : le serveur a répondu HTTP 500/);
    expect(failure?.stderr).not.toMatch(/at .*\.ts:\d+/);
    const status = await cli(['status'], dir);
    expect(status.stdout).toMatch(/Territoires dégradés : Fichier de référence absent : communes\/communes-centres-geoapi-2025\.json/);
  });
});

describe('checks of downloaded content', () => {
  const qpvFeature = (code: string) => ({ type: 'Feature', properties: { code_qp: code }, geometry: square(2, 48) });

  it('accepts QPV contours as plain GeoJSON and refuses a ZIP without GeoJSON or a projected file', () => {
    const plain = collection([qpvFeature('QN05901M'), qpvFeature('QP035001')]);
    expect(checkQpv(strToU8(plain), 2)).toBe(plain);
    expect(() => checkQpv(zipSync({ 'QP2024.shp': strToU8('binaire') }), 1)).toThrow("l'archive ZIP ne contient aucun fichier GeoJSON");
    const lambert = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } }, features: [qpvFeature('QN05901M')] });
    expect(() => checkQpv(strToU8(lambert), 1)).toThrow('coordonnées en « urn:ogc:def:crs:EPSG::2154 », WGS84 attendu');
    expect(() => checkQpv(strToU8(collection([qpvFeature('X1')])), 1)).toThrow('0 quartiers avec un code QPV reçus, au moins 1 attendus');
  });

  it('refuses contours that are not a FeatureCollection or have too few features', () => {
    expect(() => checkContours(strToU8('{"type":"Feature"}'), 1, 'régions')).toThrow('une FeatureCollection GeoJSON est attendue');
    expect(() => checkContours(strToU8(regions), 19, 'régions')).toThrow('18 régions avec un code reçus, au moins 19 attendus');
  });

  it('skips communes without a usable centre when converting', () => {
    const body = JSON.stringify([
      geoApiCommune('59350', 50.63, 3.05),
      { code: '98411', nom: 'Îles Saint-Paul et Nouvelle-Amsterdam' },
      geoApiCommune('00001', 95, 3),
    ]);
    expect(JSON.parse(toCentreRows(strToU8(body), 1, 'communes'))).toEqual([
      { code: '59350', nom: 'Commune 59350', dept: '59', lat: 50.63, lon: 3.05, population: 100 },
    ]);
    expect(() => toCentreRows(strToU8('{"communes": []}'), 1, 'communes')).toThrow('une liste JSON de communes est attendue');
  });
});
