// The import process for the import benchmark, compiled like dist/maillage.js and run on its
// own, as `maillage import` or a sync job runs in production: its peak RSS is the import's,
// not the benchmark's (which holds the generated places). Reads the file given in
// BENCH_IMPORT_FILE and imports it twice into source "bench" (first run, then unchanged),
// on BENCH_DATABASE_URL or the PGlite folder BENCH_PGLITE_DIR. Prints one JSON line.
import fs from 'node:fs';
import { openDatabase } from '../src/db/kysely.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import { runImport } from '../src/modules/imports/imports.use-cases.ts';

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const handle = await openDatabase(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : { pgliteDataDir: process.env.BENCH_PGLITE_DIR! });
const territories = createTerritories({ referenceDir: process.env.BENCH_REFERENCE_DIR! });
const deps = { db: handle.db, clock: systemClock, territories };
const bytes = fs.readFileSync(process.env.BENCH_IMPORT_FILE!);
const rssBeforeMb = mb(process.memoryUsage.rss());

const timed = async () => {
  const started = performance.now();
  const report = await runImport(deps, { source: 'bench', bytes, fileName: 'bench.csv' });
  return { ms: performance.now() - started, report, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
};
const first = await timed();
const again = await timed();
await handle.close();
process.stdout.write(`${JSON.stringify({ rssBeforeMb, fileMb: mb(bytes.length), first, again })}\n`);
