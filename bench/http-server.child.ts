// The real web process for the HTTP benchmark, in its own process so the load generator
// does not share its event loop: bootstrap + buildApp on 127.0.0.1 with a random port.
// The store is the benchmark's PostgreSQL schema (BENCH_DATABASE_URL), or, without a server,
// an embedded PGlite folder that this process fills with generated places first.
// Protocol: one JSON line on stdout when ready; reads "memory" (answers a JSON line) and "stop".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openDatabase } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { buildApp } from '../src/server/app.ts';
import { bootstrap, shutdown } from '../src/server/bootstrap.ts';
import { withCompactHeap } from '../src/server/compact-heap.ts';
import { loadConfig } from '../src/server/config.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import { generateLieux } from './generate.ts';
import { bulkLoadLieux } from './load.ts';

process.env.TZ = 'Europe/Paris';
const places = Number(process.env.BENCH_PLACES);
const seed = Number(process.env.BENCH_SEED);
const now = process.env.BENCH_NOW!;
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const referenceDir = process.env.BENCH_REFERENCE_DIR!;

function memory() {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  return { rss_mb: mb(usage.rss), heap_used_mb: mb(usage.heapUsed), heap_total_mb: mb(usage.heapTotal), external_mb: mb(usage.external) };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-'));
  let loadMs: number | null = null;
  if (!databaseUrl) {
    // Generated here only when there is no server: the web process must not keep them around.
    const handle = await openDatabase({ pgliteDataDir: path.join(dataDir, 'pglite') });
    await migrateToLatest(handle.db);
    const territories = createTerritories({ referenceDir });
    loadMs = (await bulkLoadLieux(handle.db, generateLieux(places, seed, { referenceDir }), territories)).ms;
    await handle.close();
  }
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    MAILLAGE_DATA_DIR: dataDir,
    MAILLAGE_SEED_DEMO: 'false',
    MAILLAGE_REFERENCE_DIR: referenceDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const started = performance.now();
  // Started as `maillage serve` starts (src/bin/serve.command.ts).
  const { deps, app } = await withCompactHeap(async () => {
    const deps = await bootstrap(config, { clock: fixedClock(now) });
    return { deps, app: await buildApp(deps) };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const startupMs = performance.now() - started;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  globalThis.gc?.();
  const ready = { port, places: deps.search.current().size, startup_ms: Math.round(startupMs), load_ms: loadMs, memory: memory() };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'memory') process.stdout.write(`${JSON.stringify({ memory: memory() })}\n`);
    if (line === 'stop') break;
  }
  await app.close();
  await shutdown(deps);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
