// Import benchmark (issue 3, item 9): a standard v1 CSV of N generated places imported through
// the whole pipeline (read, validate, enrich, check positions, dedup against the registry,
// write with history) into a registry already holding N other places; then the same file
// again, unchanged. Measures rows/s, the unchanged re-import time, the time of each stage and
// the peak RSS of the process. Runs on embedded PGlite, and on the PostgreSQL server when
// one is reachable (a schema of its own).
// Run alone with `npx tsx bench/imports.bench.ts [places]`.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify/sync';
import { openDatabase, type DbHandle } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { systemClock } from '../src/lib/clock.ts';
import { standardFields } from '../src/modules/lieux/lieux.schema.ts';
import { addSource } from '../src/modules/sources/sources.use-cases.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import type { Territories } from '../src/modules/territories/territories.types.ts';
import { runImport } from '../src/modules/imports/imports.use-cases.ts';
import { atLeast, atMost, MB, round, type BenchOptions } from './bench.types.ts';
import { generateLieux, type StandardLieu } from './generate.ts';
import { bulkLoadLieux } from './load.ts';
import { openBenchServer } from './pg-server.ts';

export const description = 'imports: N standard rows into a registry of N places (rows/s), unchanged re-import, peak RSS';
export const usesBenchServer = true;

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The standard v1 CSV a producer would send: every standard field, multi-values joined by `|`. */
export function standardCsv(lieux: readonly StandardLieu[]): Buffer {
  const rows = lieux.map((lieu) =>
    standardFields.map((field) => {
      const value = (lieu as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join('|') : value === undefined ? '' : String(value);
    }),
  );
  return Buffer.from(stringify([[...standardFields], ...rows]));
}

/** Highest RSS seen by sampling every 20 ms while `fn` runs (and at its start and end). */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The registry of N places loaded, then the file imported twice; generated places are dropped first. */
async function measure(handle: DbHandle, territories: Territories, options: { count: number; seed: number; referenceDir: string }) {
  const file = await loadRegistry(handle, territories, options);
  const deps = { db: handle.db, clock: systemClock, territories };
  await addSource(deps, { name: 'bench', producer: 'Banc d’essai' });
  global.gc?.();
  const baseRssMb = process.memoryUsage.rss() / MB;
  const first = await withPeakRss(async () => {
    const started = performance.now();
    const report = await runImport(deps, { source: 'bench', bytes: file, fileName: 'bench.csv' });
    return { report, ms: performance.now() - started };
  });
  const again = await withPeakRss(async () => {
    const started = performance.now();
    const report = await runImport(deps, { source: 'bench', bytes: file, fileName: 'bench.csv' });
    return { report, ms: performance.now() - started };
  });
  const { report, ms } = first.result;
  const rows = options.count;
  const peakMb = Math.max(first.peakMb, again.peakMb);
  return {
    import: { ms: round(ms, 0), rows_per_s: round((rows / ms) * 1000, 0), stats: report.stats, stages_ms: report.stages },
    reimport: { ms: round(again.result.ms, 0), stats: again.result.report.stats, stages_ms: again.result.report.stages },
    rss_before_mb: round(baseRssMb, 0),
    peak_rss_mb: round(peakMb, 0),
    targets: {
      import_rows_per_s: atLeast('import ≥ 10,000 rows/s', (rows / ms) * 1000, 10_000),
      unchanged_reimport_s: atMost('unchanged re-import ≤ 2 s', again.result.ms / 1000, 2),
      peak_rss_mb: atMost('peak RSS ≤ 500 MB', peakMb, 500),
    },
  };
}

/** Loads N places into the registry and returns the file of N other places (one draw: they are distinct). */
async function loadRegistry(handle: DbHandle, territories: Territories, options: { count: number; seed: number; referenceDir: string }): Promise<Buffer> {
  const all = generateLieux(2 * options.count, options.seed, { referenceDir: options.referenceDir });
  await bulkLoadLieux(handle.db, all.slice(0, options.count), territories);
  return standardCsv(all.slice(options.count));
}

export async function run(options: Partial<BenchOptions> = {}) {
  const count = options.places ?? 50_000;
  const referenceDir = options.referenceDir ?? path.join(projectDir, '..', 'shared', 'data');
  const territories = createTerritories({ referenceDir });
  const settings = { count, seed: options.seed ?? 42, referenceDir };
  const engines: Record<string, Record<string, unknown>> = {};

  // PostgreSQL first: PGlite's WebAssembly memory stays in the process once touched.
  const { server, note } = await openBenchServer(options.databaseUrl);
  if (server) {
    try {
      engines.postgres = await measure(server.handle, territories, settings);
    } finally {
      await server.drop();
    }
  }
  const pglite = await openDatabase({});
  try {
    await migrateToLatest(pglite.db);
    engines.pglite = await measure(pglite, territories, settings);
  } finally {
    await pglite.close();
  }

  // Targets: the PostgreSQL server's (production store, RSS of this process only) when reachable;
  // the embedded engine's RSS includes PGlite itself (about 350 MB once opened).
  const reference = engines.postgres ?? engines.pglite!;
  const { targets } = reference as { targets: object };
  const without = (figures: Record<string, unknown> | undefined) => (figures ? Object.fromEntries(Object.entries(figures).filter(([k]) => k !== 'targets')) : { skipped: note });
  return {
    places_in_registry: count,
    rows_in_file: count,
    targets_from: engines.postgres ? 'postgres' : 'pglite',
    load_average: round(os.loadavg()[0]!, 2),
    engines: { postgres: without(engines.postgres), pglite: without(engines.pglite) },
    targets,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const places = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await run({ places, databaseUrl: process.env.BENCH_DATABASE_URL }), null, 2));
}
