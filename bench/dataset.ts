// The generated places shared by the benchmark sections of one run (generated once).
import path from 'node:path';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import type { Territories } from '../src/modules/territories/territories.types.ts';
import { findCentresFile } from './communes.ts';
import { generateLieux, type StandardLieu } from './generate.ts';

export interface Dataset {
  lieux: StandardLieu[];
  territories: Territories;
  referenceDir: string;
  generateMs: number;
}

const cache = new Map<string, Dataset>();

export function getDataset(places: number, seed: number, referenceDir?: string): Dataset {
  const key = `${places}:${seed}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = path.dirname(path.dirname(findCentresFile(referenceDir)));
  const territories = createTerritories({ referenceDir: dir });
  territories.getCommune('75056'); // load the administrative map outside the timings
  const started = performance.now();
  const lieux = generateLieux(places, seed, { referenceDir: dir });
  const dataset = { lieux, territories, referenceDir: dir, generateMs: performance.now() - started };
  cache.set(key, dataset);
  return dataset;
}
