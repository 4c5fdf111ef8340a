// Territories benchmark: cost of loading the administrative map (measured in a fresh child
// process, since the package data is shared once loaded), then commune resolution and search.
// Run alone: `npx tsx bench/territories.bench.ts`.
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { atMost, MB, round, type BenchOptions } from './bench.types.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import type { CommuneQuery } from '../src/modules/territories/territories.types.ts';

export const description = 'territories: load of the administrative map, resolveCommune, searchCommunes';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const projectDir = path.resolve(benchDir, '..');

interface LoadFigures {
  load_ms: number;
  load_cpu_ms: number;
  heap_mb: number;
  first_search_ms: number;
  heap_with_search_mb: number;
  degradations: number;
}

/** Child mode: one cold load, measured from a clean heap. */
async function measureLoad(referenceDir: string): Promise<LoadFigures> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  let started = performance.now();
  const territories = createTerritories({ referenceDir });
  const degradations = territories.degradations().length;
  const loadMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  started = performance.now();
  territories.searchCommunes('saint', 10);
  const firstSearchMs = performance.now() - started;
  gc();
  const heap2 = process.memoryUsage().heapUsed;
  (globalThis as { keep?: unknown }).keep = territories;
  return {
    load_ms: round(loadMs, 0),
    load_cpu_ms: round((cpu.user + cpu.system) / 1000, 0),
    heap_mb: round((heap1 - heap0) / MB, 1),
    first_search_ms: round(firstSearchMs, 0),
    heap_with_search_mb: round((heap2 - heap0) / MB, 1),
    degradations,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const queries: CommuneQuery[] = [
  { code_postal: '75015', commune: 'Paris' },
  { commune: 'ST ETIENNE' },
  { code_insee: '13001', code_postal: '13001', commune: 'Marseille' },
  { code_postal: '01000', commune: 'bourg en bresse' },
  { commune: 'Havre (Le)' },
  { code_postal: '59045', commune: 'LILLE CEDEX' },
  { commune: 'Saint-Denis' },
  { code_insee: '74011' },
];
const searches = ['par', 'saint', 'lyon', '59', 'sainte gen', 'havre', 'mont', 'ile d', '750', 'bourg en b', 'villeneuve', 'a'];

export async function run(options: Partial<BenchOptions> = {}) {
  const referenceDir = options.referenceDir ?? path.join(projectDir, '..', 'shared', 'data');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', referenceDir],
    { cwd: projectDir, maxBuffer: 1e6 },
  );
  const load = JSON.parse(stdout) as LoadFigures;

  const territories = createTerritories({ referenceDir });
  territories.searchCommunes('warm-up', 1);
  const rounds = options.quick ? 200 : 2_000;
  const resolveUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const query = queries[i % queries.length]!;
    const started = performance.now();
    territories.resolveCommune(query);
    resolveUs.push((performance.now() - started) * 1000);
  }
  const searchUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    territories.searchCommunes(searches[i % searches.length]!, 10);
    searchUs.push((performance.now() - started) * 1000);
  }
  return {
    name: 'territories',
    ...load,
    resolve_p50_us: round(percentile(resolveUs, 50), 1),
    resolve_p95_us: round(percentile(resolveUs, 95), 1),
    search_p50_us: round(percentile(searchUs, 50), 1),
    search_p95_us: round(percentile(searchUs, 95), 1),
    // CPU time for the load and medians for look-ups: on a shared 2-core machine, wall times and
    // tails mostly measure the other processes.
    targets: {
      load: atMost('first load CPU (package data + centres) ≤ 1,500 ms', load.load_cpu_ms, 1_500),
      memory: atMost('heap kept after load, search index included ≤ 80 MB', load.heap_with_search_mb, 80),
      resolve: atMost('resolveCommune p50 ≤ 50 µs', percentile(resolveUs, 50), 50),
      search: atMost('searchCommunes p50 ≤ 1,000 µs', percentile(searchUs, 50), 1_000),
    },
  };
}

const self = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (self && process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await measureLoad(process.argv[3]!)));
} else if (self) {
  process.stdout.write(`${JSON.stringify(await run(), null, 2)}\n`);
}
