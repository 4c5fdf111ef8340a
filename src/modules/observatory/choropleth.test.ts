// Choropleth maps: contour files of the reference data (real IGN contours), their problems in
// French naming the file, quantile classes and a legend that gives each class's bounds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildChoropleth, classBreaks, contoursOf, readContours } from './choropleth.ts';

const dataDir = path.resolve('../shared/data');

describe('contour files', () => {
  it('reads the régions, départements and Hauts-de-France communes of the reference data', () => {
    const regions = contoursOf(dataDir, 'region', ['53', '76', '01']);
    expect(regions.problems).toEqual([]);
    expect(regions.features.map((f) => [f.code, f.nom])).toEqual([['53', 'Bretagne'], ['76', 'Occitanie']]); // no Guadeloupe in the metropolitan file
    const communes = contoursOf(dataDir, 'commune', ['59350', '35238']);
    expect(communes.features.map((f) => f.nom)).toEqual(['Lille']);
  });

  it('names the file and the problem when a contour file is missing or broken', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contours-'));
    fs.mkdirSync(path.join(dir, 'contours'));
    expect(contoursOf(dir, 'region', ['53'])).toEqual({ features: [], problems: ['Contours regions-version-simplifiee.geojson : fichier absent.'] });
    fs.writeFileSync(path.join(dir, 'contours', 'departements-version-simplifiee.geojson'), '{"type": "Feat');
    expect(contoursOf(dir, 'departement', ['35']).problems[0]).toMatch(/^Contours departements-version-simplifiee\.geojson : .*JSON/);
    const notACollection = path.join(dir, 'autre.geojson');
    fs.writeFileSync(notACollection, '{"type": "Feature"}');
    expect((readContours(notACollection) as Error).message).toBe('Contours autre.geojson : ce n’est pas une FeatureCollection GeoJSON.');
  });
});

describe('classes and legend', () => {
  it('cuts known values into at most five quantile classes without empty ones', () => {
    expect(classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([3, 5, 7, 9]);
    expect(classBreaks([0, 0, 0, 0, 2])).toEqual([2]); // ties collapse: two classes, not five
    expect(classBreaks([])).toEqual([]);
  });

  it('colours each area by class and writes the bounds in the legend, unknown values hatched', () => {
    const square = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 45], [x + 1, 45], [x + 1, 46], [x, 46], [x, 45]]] });
    const values = [0.5, 1.2, 2.75, 4, 8.25, null];
    const map = buildChoropleth({
      title: 'Test',
      measure: 'lieux pour 10 000 habitants',
      digits: 2,
      features: values.map((value, i) => ({ code: `C${i}`, nom: `Commune ${i}`, geometry: square(i), value })),
    })!;
    expect(map.classes.map((c) => c.label)).toEqual([
      'de 0,5 à moins de 1,2',
      'de 1,2 à moins de 2,75',
      'de 2,75 à moins de 4',
      'de 4 à moins de 8,25',
      'de 8,25 à 8,25',
    ]);
    expect(map.areas.map((a) => a.classIndex)).toEqual([0, 1, 2, 3, 4, -1]);
    expect(map.unknownLabel).toBe('Donnée non disponible');
    // Equirectangular, scaled by cos(45.5°): six 1° squares side by side fill the 560 px width.
    expect(map.areas[0]!.d.startsWith('M0 ')).toBe(true);
    expect(map.height).toBe(Math.round(560 / (6 * Math.cos((45.5 * Math.PI) / 180))));
  });
});
