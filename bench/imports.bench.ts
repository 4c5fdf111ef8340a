// Import benchmark (issue 3, item 9): a standard v1 CSV of N generated places imported through
// the whole pipeline (read, validate, enrich, check positions, dedup against the registry,
// write with history) into a registry already holding N other places; then the same file
// again, unchanged. Measures rows/s, the unchanged re-import time, the time of each stage and
// the peak RSS of the import process: the import runs in a child process of compiled
// JavaScript (bench/imports.child.ts), as `maillage import` and sync jobs run in production.
// Runs on the PostgreSQL server when one is reachable (a schema of its own), then on PGlite.
// Run alone with `npx tsx bench/imports.bench.ts [places]`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
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
import type { ImportReport } from '../src/modules/imports/imports.use-cases.ts';
import { buildEntry } from '../scripts/build.js';
import { atLeast, atMost, round, type BenchOptions } from './bench.types.ts';
import { generateLieux, type StandardLieu } from './generate.ts';
import { bulkLoadLieux } from './load.ts';
import { openBenchServer } from './pg-server.ts';
import { measureWriteFloor, type WriteFloor } from './write-floor.ts';

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

interface ChildResult {
  rssBeforeMb: number;
  fileMb: number;
  first: { ms: number; peakRssMb: number; report: ImportReport };
  again: { ms: number; peakRssMb: number; report: ImportReport };
}

/** Runs bench/imports.child.ts (compiled) on the prepared store; its JSON line. */
async function importInChild(env: Record<string, string>): Promise<ChildResult> {
  const childFile = await buildEntry('bench/imports.child.ts', 'dist/bench/imports.child.js');
  const child = spawn(process.execPath, [childFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the import process failed (${code}): ${stderr.slice(-2000)}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

/** The registry of N places and source "bench" in the store, the file on disk; then the child imports it twice. */
async function measure(
  handle: DbHandle,
  territories: Territories,
  options: { count: number; seed: number; referenceDir: string },
  store: { env: Record<string, string>; release?: () => Promise<void>; writeFloor?: () => Promise<WriteFloor> },
) {
  const file = await loadRegistry(handle, territories, options);
  await addSource({ db: handle.db, clock: systemClock }, { name: 'bench', producer: 'Banc d’essai' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-import-bench-'));
  const filePath = path.join(dir, 'bench.csv');
  fs.writeFileSync(filePath, file);
  try {
    await store.release?.(); // PGlite: one process at a time on its folder
    const result = await importInChild({ ...store.env, BENCH_IMPORT_FILE: filePath, BENCH_REFERENCE_DIR: options.referenceDir });
    return { ...figures(result, options.count), ...(store.writeFloor ? { write_floor: await store.writeFloor() } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function figures({ rssBeforeMb, fileMb, first, again }: ChildResult, rows: number) {
  const peakMb = Math.max(first.peakRssMb, again.peakRssMb);
  return {
    file_mb: fileMb,
    import: { ms: round(first.ms, 0), rows_per_s: round((rows / first.ms) * 1000, 0), stats: first.report.stats, stages_ms: first.report.stages },
    reimport: { ms: round(again.ms, 0), stats: again.report.stats, stages_ms: again.report.stages },
    rss_before_mb: rssBeforeMb,
    peak_rss_mb: peakMb,
    targets: {
      import_rows_per_s: atLeast('import ≥ 10,000 rows/s', (rows / first.ms) * 1000, 10_000),
      unchanged_reimport_s: atMost('unchanged re-import ≤ 2 s', again.ms / 1000, 2),
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

  const { server, note } = await openBenchServer(options.databaseUrl);
  if (server) {
    try {
      // The server alone writing what the run wrote: the most rows/s any import can reach here.
      const writeFloor = () => measureWriteFloor(options.databaseUrl!, server.schema, 'bench', count);
      engines.postgres = await measure(server.handle, territories, settings, { env: { BENCH_DATABASE_URL: server.schemaUrl }, writeFloor });
    } finally {
      await server.drop();
    }
  }
  const pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-import-bench-pglite-'));
  try {
    const pglite = await openDatabase({ pgliteDataDir: pgliteDir });
    let open = true;
    const close = async () => {
      if (open) await pglite.close();
      open = false;
    };
    try {
      await migrateToLatest(pglite.db);
      engines.pglite = await measure(pglite, territories, settings, { env: { BENCH_PGLITE_DIR: pgliteDir }, release: close });
    } finally {
      await close();
    }
  } finally {
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  }

  // Targets: the PostgreSQL server's (the production store) when reachable; with PGlite the
  // import process also holds the database itself (about 350 MB once opened).
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
