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
import { loadQpvFiles, loadQpvIndex, recomputeLieuQpv } from '../src/modules/qpv/qpv.use-cases.ts';
import { loadSnapshot } from '../src/modules/search/search-index.ts';
import { searchLieux } from '../src/modules/search/search-engine.ts';
import { QpvLayer } from '../src/modules/search/qpv-layer.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import { generateLieux } from './generate.ts';
import { bulkLoadLieux } from './load.ts';
import { atMost } from './bench.types.ts';
import { sql } from 'kysely';

export const description = 'observatory: indicators for the whole country (all levels), full and incremental refresh';

export interface ObservatoryBenchOptions {
  places?: number;
  seed?: number;
  referenceDir?: string;
  /** Use this PostgreSQL server instead of an in-memory PGlite (run.ts never passes the shared one). */
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
  const loadAverage = (await import('node:os')).loadavg()[0]!;
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
    const computeCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const cpu = process.cpuUsage();
      started = performance.now();
      computeIndicators({ frame, places, qpvIndex });
      computeWarm.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      computeCpu.push((used.user + used.system) / 1000);
    }

    // A full refresh as the platform does it: version check, read the registry, compute.
    const refresh: number[] = [];
    const refreshCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const observatory = createObservatory({ db: handle.db, referenceDir, frame });
      const cpu = process.cpuUsage();
      started = performance.now();
      await observatory.table();
      refresh.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      // PGlite runs in this process (WASM): its work is counted here too.
      refreshCpu.push((used.user + used.system) / 1000);
    }
    const observatory = createObservatory({ db: handle.db, referenceDir, frame });
    await observatory.table();
    started = performance.now();
    await observatory.table();
    const cachedMs = performance.now() - started;

    // A change batch: 100 places updated through the change log, then the background refresh.
    const batch = lieux.slice(0, 100).map((l) => l.id);
    await handle.db.updateTable('lieux').set({ horaires: 'Mo-Fr 09:00-17:00', updated_at: sql`now()` }).where('id', 'in', batch).execute();
    await handle.db.insertInto('lieu_changes').values(batch.map((id) => ({ lieu_id: id, kind: 'updated' as const }))).execute();
    started = performance.now();
    await observatory.table();
    const incrementalMs = performance.now() - started;

    const refreshMs = median(refresh);

    // Search read model: the first QPV filter of a snapshot locates every place in the contours
    // (later snapshots reuse the matches of unchanged places), then a filter is a bitset AND.
    const snapshot = await loadSnapshot(handle.db);
    const withQpv = { ...snapshot, qpv: new QpvLayer(qpvIndex, 300, 'bench') };
    let cpu = process.cpuUsage();
    started = performance.now();
    const firstQpv = searchLieux(withQpv, { limit: 20, qpv: { proche_qpv: true } }, new Date());
    const qpvFirstMs = performance.now() - started;
    let used = process.cpuUsage(cpu);
    const qpvFirstCpuMs = (used.user + used.system) / 1000;
    started = performance.now();
    searchLieux(withQpv, { limit: 20, qpv: { en_qpv: true } }, new Date());
    const qpvNextMs = performance.now() - started;
    // lieu_qpv for the whole registry, as after `maillage qpv load`.
    cpu = process.cpuUsage();
    started = performance.now();
    await recomputeLieuQpv(handle.db, { index: qpvIndex });
    const linksMs = performance.now() - started;
    used = process.cpuUsage(cpu);
    const linksCpuMs = (used.user + used.system) / 1000;
    return {
      name: 'observatory',
      database: handle.kind,
      places: count,
      communes: frame.communes.length,
      epci: table.codes('epci').length,
      qpv: qpvReport.files.reduce((n, f) => n + f.loaded, 0),
      compute_cold_ms: Math.round(computeColdMs),
      compute_warm_median_ms: Math.round(median(computeWarm)),
      // CPU time of this process: what wall time would be on an idle machine (the wall figures
      // grow with the machine's load, reported below).
      compute_warm_cpu_median_ms: Math.round(median(computeCpu)),
      refresh_from_db_median_ms: Math.round(refreshMs),
      refresh_from_db_cpu_median_ms: Math.round(median(refreshCpu)),
      search_qpv_first_filter_ms: Math.round(qpvFirstMs),
      search_qpv_first_filter_cpu_ms: Math.round(qpvFirstCpuMs),
      search_qpv_next_filter_ms: Math.round(qpvNextMs * 100) / 100,
      search_places_near_qpv: firstQpv.total,
      lieu_qpv_recompute_all_ms: Math.round(linksMs),
      lieu_qpv_recompute_all_cpu_ms: Math.round(linksCpuMs),
      incremental_refresh_after_100_changes_ms: Math.round(incrementalMs),
      cached_read_ms: Math.round(cachedMs * 100) / 100,
      load_average_1min: Math.round(loadAverage * 10) / 10,
      targets: {
        full_refresh: atMost('full refresh (read registry + compute) ≤ 2000 ms', refreshMs, 2000),
        incremental_refresh: atMost('refresh after a change batch ≤ 2000 ms', incrementalMs, 2000),
        compute: atMost('computation alone (warm) ≤ 2000 ms', median(computeWarm), 2000),
        full_refresh_cpu: atMost('full refresh, CPU time of the process (PGlite included) ≤ 2000 ms', median(refreshCpu), 2000),
      },
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
