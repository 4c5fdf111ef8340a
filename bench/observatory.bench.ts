// Observatory benchmark: indicators for the whole country (every commune, EPCI, département,
// région, QPV and France) from a national-scale registry. Budget: 2 s for a full refresh
// (read the registry from the database + compute). `run()` returns JSON-ready figures; run
// alone with `npx tsx bench/observatory.bench.ts [places]`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadCommuneFrame } from '../src/modules/observatory/commune-frame.ts';
import { computeIndicators } from '../src/modules/observatory/observatory.indicators.ts';
import { createObservatory } from '../src/modules/observatory/observatory.use-cases.ts';
import { defaultQpvFiles } from '../src/modules/qpv/qpv.file.ts';
import { loadQpvFiles, loadQpvIndex } from '../src/modules/qpv/qpv.use-cases.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import { generateLieux } from './generate.ts';
import { bulkLoadLieux } from './load.ts';

export interface ObservatoryBenchOptions {
  places?: number;
  seed?: number;
  referenceDir?: string;
  /** Use this PostgreSQL server instead of an in-memory PGlite. */
  databaseUrl?: string;
}

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(options: ObservatoryBenchOptions = {}) {
  const count = options.places ?? 50_000;
  const referenceDir = options.referenceDir ?? path.join(projectDir, '..', 'shared', 'data');
  const handle = await openDatabase({ databaseUrl: options.databaseUrl });
  try {
    await migrateToLatest(handle.db);
    const lieux = generateLieux(count, options.seed ?? 42, { referenceDir });
    await bulkLoadLieux(handle.db, lieux, createTerritories({ referenceDir }));
    const qpvReport = await loadQpvFiles(handle.db, defaultQpvFiles(referenceDir));
    const frame = loadCommuneFrame(referenceDir);
    const qpvIndex = await loadQpvIndex(handle.db);

    // Pure computation over places already in memory (cold: opening hours parsed for the first time).
    const places = lieux.map((l) => ({ ...l, code_epci: null, code_departement: null, code_region: null, horaires: l.horaires ?? null }));
    let started = performance.now();
    const table = computeIndicators({ frame, places, qpvIndex });
    const computeColdMs = performance.now() - started;
    const computeWarm: number[] = [];
    for (let i = 0; i < 3; i++) {
      started = performance.now();
      computeIndicators({ frame, places, qpvIndex });
      computeWarm.push(performance.now() - started);
    }

    // A full refresh as the platform does it: version check, read the registry, compute.
    const refresh: number[] = [];
    for (let i = 0; i < 3; i++) {
      const observatory = createObservatory({ db: handle.db, referenceDir, frame });
      started = performance.now();
      await observatory.table();
      refresh.push(performance.now() - started);
    }
    const observatory = createObservatory({ db: handle.db, referenceDir, frame });
    await observatory.table();
    started = performance.now();
    await observatory.table();
    const cachedMs = performance.now() - started;

    const refreshMs = median(refresh);
    return {
      name: 'observatory',
      database: handle.kind,
      places: count,
      communes: frame.communes.length,
      epci: table.codes('epci').length,
      qpv: qpvReport.files.reduce((n, f) => n + f.loaded, 0),
      compute_cold_ms: Math.round(computeColdMs),
      compute_warm_median_ms: Math.round(median(computeWarm)),
      refresh_from_db_median_ms: Math.round(refreshMs),
      cached_read_ms: Math.round(cachedMs * 100) / 100,
      budget_ms: 2000,
      within_budget: refreshMs <= 2000,
      france: {
        lieux_pour_10000_habitants: table.get('france', 'FR')!.lieux_pour_10000_habitants,
        part_population_plus_10_km: table.get('france', 'FR')!.distance.part_population_plus_10_km,
      },
    };
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const places = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await run({ places }), null, 2));
}
