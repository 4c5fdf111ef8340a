// HTTP: requests per second and latency of GET /api/v1/lieux around a point (3 filters, open
// now) on the real app over loopback, 50 concurrent connections (autocannon), with the web
// process in a child process; also that process's resident memory holding all the places.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { buildEntry } from '../scripts/build.js';
import { atLeast, atMost, round, type BenchOptions } from './bench.types.ts';
import { getDataset } from './dataset.ts';
import { loadedBenchServer } from './pg-server.ts';
import { BENCH_NOW, benchQueries } from './search.bench.ts';
import type { SearchQuery } from '../src/modules/search/search.types.ts';

function toPath(query: SearchQuery): string {
  const params = new URLSearchParams();
  params.set('lat', query.point!.latitude.toFixed(5));
  params.set('lon', query.point!.longitude.toFixed(5));
  for (const [field, values] of Object.entries(query.filters ?? {})) for (const value of values) params.append(field, value);
  if (query.ouvert_maintenant) params.set('ouvert_maintenant', 'true');
  params.set('limit', String(query.limit ?? 20));
  return `/api/v1/lieux?${params.toString()}`;
}

interface ChildLine {
  port?: number;
  places?: number;
  startup_ms?: number;
  load_ms?: number | null;
  memory?: { rss_mb: number; heap_used_mb: number };
}

/** Node flags of `npm start` (package.json): a 4 MB young generation keeps ~30 MB less resident under load. */
const SERVE_NODE_FLAGS = ['--max-semi-space-size=4'];

/**
 * The web process runs compiled JavaScript, as in production (`npm start` builds dist/ first):
 * the child script is bundled the same way as dist/maillage.js.
 */
async function startChild(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; next: () => Promise<ChildLine> }> {
  const childFile = await buildEntry('bench/http-server.child.ts', 'dist/bench/http-server.child.js');
  const child = spawn(process.execPath, ['--expose-gc', ...SERVE_NODE_FLAGS, childFile], {
    env: { ...process.env, ...env, TZ: 'Europe/Paris' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<ChildLine> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the web process stopped: ${stderr.slice(-2000)}`);
    return JSON.parse(value as string) as ChildLine;
  };
  return { child, next };
}

async function load(url: string, paths: string[], seconds: number) {
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
  });
  return {
    duration_s: seconds,
    connections: 50,
    requests_total: result.requests.total,
    requests_per_s: round(result.requests.average, 0),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    throughput_mb_s: round(result.throughput.average / 2 ** 20, 1),
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The PostgreSQL server is used through openBenchServer only (a schema of its own). */
export const usesBenchServer = true;

export const description = 'GET /api/v1/lieux near a point with 3 filters, real app on loopback, 50 connections (autocannon)';

export async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const notes: string[] = [];
  const dataset = getDataset(options.places, options.seed, options.referenceDir);
  const { server, note, loadMs: serverLoadMs } = await loadedBenchServer(options);
  if (note) notes.push(`${note}: the web process uses embedded PGlite, whose memory counts in its RSS`);

  const { child, next } = await startChild({
    BENCH_PLACES: String(options.places),
    BENCH_SEED: String(options.seed),
    BENCH_NOW: BENCH_NOW.toISOString(),
    BENCH_DATABASE_URL: server?.schemaUrl ?? '',
    BENCH_REFERENCE_DIR: dataset.referenceDir,
  });
  try {
    const ready = await next();
    const url = `http://127.0.0.1:${ready.port}`;
    const paths = benchQueries(dataset.lieux, options.seed, 500).nearest.map(toPath);
    const probe = await fetch(url + paths[0]);
    const body = (await probe.json()) as { total?: number; items?: unknown[] };
    if (probe.status !== 200) throw new Error(`GET ${paths[0]} answered ${probe.status}: ${JSON.stringify(body).slice(0, 500)}`);
    await load(url, paths, options.quick ? 1 : 3); // warm-up: JIT, caches
    const measured = await load(url, paths, options.quick ? 5 : 15);
    child.stdin.write('memory\n');
    const after = await next();
    const rss = after.memory!.rss_mb;
    return {
      places_in_read_model: ready.places,
      store: server ? 'postgresql server' : 'embedded PGlite',
      load_ms: serverLoadMs ?? ready.load_ms,
      startup_ms: ready.startup_ms,
      example_path: paths[0],
      example_result: { total: body.total, items: body.items?.length },
      load_test: measured,
      web_process_memory: { at_start: ready.memory, after_load_test: after.memory },
      targets: {
        requests_per_s: atLeast('≥ 2,000 req/s', measured.requests_per_s, 2000),
        web_process_rss_mb: atMost(
          server ? '≤ 300 MB RSS with all places in the read model' : '≤ 300 MB RSS (includes embedded PGlite here)',
          rss,
          300,
        ),
      },
      notes,
    };
  } finally {
    child.stdin.write('stop\n');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
