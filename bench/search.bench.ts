// Search: the in-memory read model against the SQL reference (PGlite and the PostgreSQL
// server), on the same generated places and the same queries, in one run:
// (a) nearest 20 around random points with 3 filters (a service, free of charge, open now),
// (b) listing a département, (c) text search on name and commune.
import v8 from 'node:v8';
import vm from 'node:vm';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { openDatabase, type DbHandle } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildSnapshot, type PlaceRecord } from '../src/modules/search/read-model.ts';
import { forEachPublishedRow, currentChangeSeq, searchLieuxSql } from '../src/modules/search/search.repository.ts';
import { createInterner, toPlaceRecord } from '../src/modules/search/search.item.ts';
import { searchLieux } from '../src/modules/search/search-engine.ts';
import type { SearchQuery, SearchResult } from '../src/modules/search/search.types.ts';
import { MB, atLeast, atMost, round, type BenchOptions, type Target } from './bench.types.ts';
import { getDataset } from './dataset.ts';
import { bulkLoadLieux } from './load.ts';
import { loadedBenchServer } from './pg-server.ts';
import { Random } from './random.ts';
import { measure, summarize, type LatencySummary, type LoopLimits } from './stats.ts';
import type { StandardLieu } from './generate.ts';

/** A Tuesday morning in Paris: most places are open, some are not (lunch breaks, days off). */
export const BENCH_NOW = new Date('2026-11-24T10:30:00+01:00');

type CaseName = 'nearest' | 'departement' | 'text';

export function benchQueries(lieux: readonly StandardLieu[], seed: number, count = 200): Record<CaseName, SearchQuery[]> {
  const random = new Random(seed + 1);
  const nearest: SearchQuery[] = [];
  const departement: SearchQuery[] = [];
  const text: SearchQuery[] = [];
  const words = ['mediatheque', 'france services', 'espace numerique', 'emmaus', 'fablab', 'centre social', 'mairie', 'mediateque', 'numerque'];
  for (let i = 0; i < count; i++) {
    // Points where people are: near a random place, a few kilometres off.
    const anchor = random.pick(lieux);
    nearest.push({
      point: { latitude: anchor.latitude + (random.next() - 0.5) * 0.05, longitude: anchor.longitude + (random.next() - 0.5) * 0.07 },
      filters: { services: ['Aide aux démarches administratives'], frais_a_charge: ['Gratuit'] },
      ouvert_maintenant: true,
      limit: 20,
    });
    const placed = random.pick(lieux);
    departement.push({ territoire: { type: 'departement', code: departementOf(placed.code_insee) }, limit: 20 });
    // Half by commune name (first word), half by kind of place, some with a typo.
    const q = random.chance(0.5) ? random.pick(lieux).commune.split(/[\s-]/)[0]! : random.pick(words);
    text.push({ q, limit: 20 });
  }
  return { nearest, departement, text };
}

function departementOf(codeInsee: string): string {
  return codeInsee.startsWith('97') ? codeInsee.slice(0, 3) : codeInsee.slice(0, 2);
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

function memory() {
  const usage = process.memoryUsage();
  return { rss_mb: round(usage.rss / MB, 1), heap_used_mb: round(usage.heapUsed / MB, 1) };
}

async function loadInto(handle: DbHandle, lieux: StandardLieu[], options: BenchOptions) {
  const { territories } = getDataset(options.places, options.seed, options.referenceDir);
  const loaded = await bulkLoadLieux(handle.db, lieux, territories);
  await sql`ANALYZE lieux`.execute(handle.db);
  return round(loaded.ms, 0);
}

async function buildReadModel(db: Kysely<Database>) {
  collectGarbage();
  const before = memory();
  const t0 = performance.now();
  const intern = createInterner();
  const records: PlaceRecord[] = [];
  const version = await currentChangeSeq(db);
  await forEachPublishedRow(db, (row) => records.push(toPlaceRecord(row, intern)));
  const t1 = performance.now();
  const snapshot = buildSnapshot(records, version);
  const t2 = performance.now();
  records.length = 0;
  collectGarbage();
  const after = memory();
  return {
    snapshot,
    report: {
      places: snapshot.size,
      read_rows_ms: round(t1 - t0, 0),
      build_index_ms: round(t2 - t1, 0),
      total_ms: round(t2 - t0, 0),
      memory_before: before,
      memory_after: after,
      rss_delta_mb: round(after.rss_mb - before.rss_mb, 1),
      heap_delta_mb: round(after.heap_used_mb - before.heap_used_mb, 1),
    },
  };
}

function sameResult(a: SearchResult, b: SearchResult): boolean {
  return a.total === b.total && a.items.map((i) => i.id).join() === b.items.map((i) => i.id).join();
}

/** The PostgreSQL server is used through openBenchServer only (a schema of its own). */
export const usesBenchServer = true;

export const description = 'Read model vs SQL reference (PGlite and PostgreSQL server): nearest with filters, département list, text';

export async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const notes: string[] = [];
  const dataset = getDataset(options.places, options.seed, options.referenceDir);
  const pglite = await openDatabase({ pgliteDataDir: 'memory://' });
  await migrateToLatest(pglite.db);
  const pgliteLoadMs = await loadInto(pglite, dataset.lieux, options);
  const { server, note, loadMs: serverLoadMs } = await loadedBenchServer(options);
  if (note) notes.push(`SQL on the PostgreSQL server skipped: ${note}`);

  try {
    const { snapshot, report: readModel } = await buildReadModel((server?.handle ?? pglite).db);
    const queries = benchQueries(dataset.lieux, options.seed);
    const fast: LoopLimits = options.quick
      ? { warmup: 20, maxIterations: 300, maxMs: 1000, minIterations: 50 }
      : { warmup: 20, maxIterations: 3000, maxMs: 4000, minIterations: 30 };
    const slow: LoopLimits = options.quick
      ? { warmup: 2, maxIterations: 30, maxMs: 3000, minIterations: 5 }
      : { warmup: 3, maxIterations: 200, maxMs: 10_000, minIterations: 10 };

    const cases: Record<string, unknown> = {};
    const targets: Record<string, Target> = {};
    let compared = 0;
    let mismatches = 0;
    for (const name of ['nearest', 'departement', 'text'] as const) {
      const list = queries[name];
      const readModelLatency = summarize(await measure(list, (q) => searchLieux(snapshot, q, BENCH_NOW), fast));
      const sqlLatency: { pglite: LatencySummary | null; server: LatencySummary | null } = { pglite: null, server: null };
      for (const [engine, handle] of [['pglite', pglite], ['server', server?.handle]] as const) {
        if (!handle) continue;
        sqlLatency[engine] = summarize(await measure(list, (q) => searchLieuxSql(handle.db, q, BENCH_NOW), slow));
      }
      // The two engines must agree, or the comparison means nothing.
      const checkHandle = server?.handle ?? pglite;
      for (const q of list.slice(0, options.quick ? 5 : 20)) {
        compared++;
        if (!sameResult(searchLieux(snapshot, q, BENCH_NOW), await searchLieuxSql(checkHandle.db, q, BENCH_NOW))) mismatches++;
      }
      const ratio = (sqlSummary: LatencySummary | null, key: 'p50_ms' | 'p95_ms') =>
        sqlSummary ? round(sqlSummary[key] / Math.max(readModelLatency[key], 1e-4), 1) : null;
      cases[name] = {
        query_example: list[0],
        read_model: readModelLatency,
        sql_pglite: sqlLatency.pglite,
        sql_server: sqlLatency.server,
        speedup_vs_pglite: { p50: ratio(sqlLatency.pglite, 'p50_ms'), p95: ratio(sqlLatency.pglite, 'p95_ms') },
        speedup_vs_server: { p50: ratio(sqlLatency.server, 'p50_ms'), p95: ratio(sqlLatency.server, 'p95_ms') },
      };
      targets[`${name}.read_model_p95_ms`] = atMost('p95 ≤ 1 ms in-process', readModelLatency.p95_ms, 1);
      const serverRatio = ratio(sqlLatency.server, 'p95_ms');
      if (serverRatio !== null) targets[`${name}.speedup_vs_server_p95`] = atLeast('≥ 20× faster than SQL on the server (p95)', serverRatio, 20);
    }
    return {
      places: options.places,
      now: BENCH_NOW.toISOString(),
      dataset: {
        generate_ms: round(dataset.generateMs, 0),
        load_pglite_ms: pgliteLoadMs,
        load_server_ms: serverLoadMs,
      },
      read_model: readModel,
      cases,
      agreement: { compared, mismatches },
      targets,
      notes,
    };
  } finally {
    await pglite.close();
  }
}
