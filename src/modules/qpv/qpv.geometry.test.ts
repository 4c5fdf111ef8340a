import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QpvFileError, parseQpvGeoJson, readQpvFile } from './qpv.file.ts';
import { QpvIndex, distanceToQpvM } from './qpv.geometry.ts';
import { resolveCommuneByName } from './qpv.communes.ts';

const dataDir = path.resolve('../shared/data');
const rennes = readQpvFile(path.join(dataDir, 'qpv/qpv-2015-rennes.geojson'), resolveCommuneByName);
const occitanie = readQpvFile(path.join(dataDir, 'qpv/qpv-2015-occitanie.geojson'), resolveCommuneByName);
const index = new QpvIndex([...rennes.shapes, ...occitanie.shapes]);

describe('QPV files (real 2015 contours)', () => {
  it('reads both property spellings, with population and commune', () => {
    expect(occitanie.shapes).toHaveLength(105);
    expect(occitanie.problems).toEqual([]);
    const perpignan = occitanie.shapes.find((s) => s.code === 'QP066007');
    expect(perpignan).toMatchObject({ nom: 'Bas-Vernet Nouveau QPV', commune: '66136', liste: '2015' });
    expect(rennes.shapes.map((s) => s.code).sort()).toEqual(['QP035001', 'QP035002', 'QP035003', 'QP035004', 'QP035005', 'QP035006']);
    const maurepas = rennes.shapes.find((s) => s.code === 'QP035004')!;
    expect(maurepas).toMatchObject({ nom: 'Maurepas', population: 6206, commune: '35238', liste: '2015' });
    expect(maurepas.geometry.type).toBe('MultiPolygon');
    expect(rennes.shapes.find((s) => s.code === 'QP035001')!.commune).toBe('35288'); // La Découverte, Saint-Malo
  });
});

describe('locating a point', () => {
  it('finds the neighbourhood a point lies in (multipolygons of Rennes, polygons of Toulouse)', () => {
    // Le Blosne: métro Triangle; Villejean: dalle Kennedy; Le Mirail (Toulouse)
    expect(index.locate(-1.6668, 48.0878, 300).filter((m) => m.relation === 'dans').map((m) => m.code_qp)).toEqual(['QP035005']);
    expect(index.locate(-1.7094, 48.1213, 300)[0]).toEqual({ code_qp: 'QP035002', relation: 'dans', distance_m: 0 });
    expect(index.locate(1.401, 43.5745, 0).map((m) => m.code_qp)).toEqual(['QP031007']);
  });

  it('finds nothing in the city centre (Rennes town hall, Toulouse Capitole)', () => {
    expect(index.locate(-1.6797, 48.1114, 300)).toEqual([]);
    expect(index.locate(1.444, 43.6045, 300)).toEqual([]);
  });

  it('counts a point on the boundary (a vertex, the middle of an edge) as inside', () => {
    const ring = (occitanie.shapes.find((s) => s.code === 'QP066007')!.geometry.coordinates[0] as number[][]);
    const [lon, lat] = ring[0]!;
    expect(index.locate(lon!, lat!, 0)).toContainEqual({ code_qp: 'QP066007', relation: 'dans', distance_m: 0 });
    const [a, b] = [ring[5]!, ring[6]!];
    const mid = [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2];
    expect(index.locate(mid[0]!, mid[1]!, 0).map((m) => m.code_qp)).toContain('QP066007');
  });

  it('measures the distance to the contour: 0.002° west of the westernmost vertex is ~149 m away', () => {
    const villejean = rennes.shapes.find((s) => s.code === 'QP035002')!;
    const [minLon] = villejean.bbox;
    const ring = villejean.geometry.coordinates[0]![0] as number[][];
    const west = ring.find((p) => p[0] === minLon)!;
    const lon = west[0]! - 0.002;
    const lat = west[1]!;
    const expected = 0.002 * 111_320 * Math.cos((lat * Math.PI) / 180); // ≈ 148.9 m
    const matches = index.locate(lon, lat, 300);
    const near = matches.find((m) => m.code_qp === 'QP035002')!;
    expect(near.relation).toBe('proche');
    expect(Math.abs(near.distance_m - expected)).toBeLessThan(1.5);
    // beyond the configured distance, the QPV is not listed
    expect(index.locate(lon, lat, 100).find((m) => m.code_qp === 'QP035002')).toBeUndefined();
  });
});

describe('holes and multi-part contours', () => {
  // A 2024-list QPV (lower-case keys) made of a square with a hole, and a second square.
  const synthetic = parseQpvGeoJson(
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code_qp: 'QN03501M', lib_qp: 'Quartier test', insee_com: '35238' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]],
                [[0.004, 0.004], [0.006, 0.004], [0.006, 0.006], [0.004, 0.006], [0.004, 0.004]],
              ],
              [[[0.02, 0], [0.03, 0], [0.03, 0.01], [0.02, 0.01], [0.02, 0]]],
            ],
          },
        },
      ],
    }),
    'test.geojson',
  );
  const shape = synthetic.shapes[0]!;
  const small = new QpvIndex(synthetic.shapes);

  it('reads the 2024 code list', () => {
    expect(shape).toMatchObject({ code: 'QN03501M', nom: 'Quartier test', commune: '35238', liste: '2024' });
  });

  it('a point in the hole is outside, at the distance to the hole edge', () => {
    expect(small.locate(0.005, 0.005, 0)).toEqual([]);
    const [m] = small.locate(0.005, 0.005, 300);
    // 0.001° of longitude at the equator = 111.3 m to the hole's edge
    expect(m!.relation).toBe('proche');
    expect(Math.abs(m!.distance_m - 111.3)).toBeLessThan(1);
  });

  it('a point in the second part of the multipolygon is inside', () => {
    expect(small.locate(0.025, 0.005, 0)).toEqual([{ code_qp: 'QN03501M', relation: 'dans', distance_m: 0 }]);
    expect(distanceToQpvM(0.002, 0.002, shape.geometry)).toBe(0);
  });
});

describe('bad files', () => {
  it('names the missing file', () => {
    expect(() => readQpvFile('/nulle/part/qpv.geojson')).toThrow(/Fichier QPV « \/nulle\/part\/qpv.geojson » : fichier introuvable/);
  });

  it('names a file that is not JSON, or not a FeatureCollection', () => {
    expect(() => parseQpvGeoJson('{"type": "Feature', 'casse.geojson')).toThrow(QpvFileError);
    expect(() => parseQpvGeoJson('{"type": "Feature', 'casse.geojson')).toThrow(/« casse.geojson » : ce n'est pas du JSON valide/);
    expect(() => parseQpvGeoJson('{"type": "Feature"}', 'x.geojson')).toThrow(/FeatureCollection GeoJSON est attendue/);
  });

  it('skips a bad feature, names it, and keeps the others', () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    const result = parseQpvGeoJson(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code_qp: 'QP001001', nom_qp: 'Bon' }, geometry: square },
          { type: 'Feature', properties: { nom_qp: 'Sans code' }, geometry: square },
          { type: 'Feature', properties: { code_qp: 'QP001002' }, geometry: { type: 'Point', coordinates: [0, 0] } },
          { type: 'Feature', properties: { code_qp: 'QP001003' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [500, 0]]] } },
        ],
      }),
      'melange.geojson',
    );
    expect(result.shapes.map((s) => s.code)).toEqual(['QP001001']);
    expect(result.problems).toHaveLength(3);
    expect(result.problems[0]).toMatch(/« melange.geojson », objet n° 2 : code QPV absent/);
    expect(result.problems[1]).toMatch(/objet n° 3 \(QP001002\) : type de géométrie « Point » non pris en charge/);
    expect(result.problems[2]).toMatch(/objet n° 4 \(QP001003\) : coordonnées de polygone invalides/);
  });
});
