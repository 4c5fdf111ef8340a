// `npm run bench`: runs the benchmark sections and prints ONE JSON report on stdout (also
// written to bench/results/latest.json). Progress goes to stderr.
//   npm run bench -- --only=search,http --places=5000 --quick
//   options: --places=N (50000) --seed=N (42) --only=a,b --quick --database-url=URL --reference-dir=DIR
process.env.TZ = 'Europe/Paris'; // opening hours are read in the process's local time zone

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchOptions, Target } from './bench.types.ts';
import { dropSharedBenchServers } from './pg-server.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
/** Sections that run first; any other bench/<name>.bench.ts follows in name order. */
const FIRST = ['search', 'http'];

interface BenchFile {
  description?: string;
  run?: (options: BenchOptions) => Promise<object>;
  /** true: the section opens `databaseUrl` only through openBenchServer (a schema of its own). */
  usesBenchServer?: boolean;
}

/** Every bench/<name>.bench.ts exporting `run(options)` is a section: adding one needs no edit here. */
function discoverModules(): BenchModule[] {
  return fs
    .readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.slice(0, -'.bench.ts'.length))
    .sort((a, b) => (FIRST.includes(a) ? FIRST.indexOf(a) : 99) - (FIRST.includes(b) ? FIRST.indexOf(b) : 99) || a.localeCompare(b))
    .map((name) => ({
      name,
      description: `bench/${name}.bench.ts`,
      // Imported only when selected, so a section being edited cannot break the others.
      async run(options: BenchOptions) {
        const file = (await import(pathToFileURL(path.join(benchDir, `${name}.bench.ts`)).href)) as BenchFile;
        if (typeof file.run !== 'function') throw new Error(`bench/${name}.bench.ts does not export run(options)`);
        process.stderr.write(`[bench] ${name}: ${file.description ?? ''}\n`);
        // Never hand the shared server to a section that could migrate its public schema.
        return file.run(file.usesBenchServer ? options : { ...options, databaseUrl: undefined });
      },
    }));
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

function parseArgs(argv: string[], benchModules: BenchModule[]): { options: BenchOptions; only: string[] | undefined } {
  const args = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Argument inconnu : ${arg}`);
    args.set(match[1]!, match[2] ?? 'true');
  }
  const known = new Set(['places', 'seed', 'only', 'quick', 'database-url', 'reference-dir']);
  for (const key of args.keys()) if (!known.has(key)) throw new Error(`Option inconnue : --${key}`);
  const places = Number(args.get('places') ?? 50_000);
  if (!Number.isInteger(places) || places < 100) throw new Error('--places doit être un entier ≥ 100');
  const only = args.get('only')?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of only ?? []) {
    if (!benchModules.some((m) => m.name === name)) {
      throw new Error(`Section inconnue : ${name} (sections : ${benchModules.map((m) => m.name).join(', ')})`);
    }
  }
  return {
    only,
    options: {
      places,
      seed: Number(args.get('seed') ?? 42),
      quick: args.get('quick') === 'true',
      databaseUrl: args.get('database-url') ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL,
      referenceDir: args.get('reference-dir') ?? process.env.MAILLAGE_REFERENCE_DIR,
    },
  };
}

function collectTargets(sections: Record<string, unknown>): { total: number; passed: number; failed: string[] } {
  const failed: string[] = [];
  let total = 0;
  for (const [name, section] of Object.entries(sections)) {
    const targets = (section as { targets?: Record<string, Target> }).targets ?? {};
    for (const [key, target] of Object.entries(targets)) {
      total++;
      if (!target.pass) failed.push(`${name}.${key}`);
    }
  }
  return { total, passed: total - failed.length, failed };
}

async function main(): Promise<void> {
  const benchModules = discoverModules();
  const { options, only } = parseArgs(process.argv.slice(2), benchModules);
  const started = Date.now();
  const sections: Record<string, unknown> = {};
  for (const module of benchModules) {
    if (only && !only.includes(module.name)) continue;
    const t0 = performance.now();
    try {
      sections[module.name] = { ...(await module.run(options)), duration_s: Math.round((performance.now() - t0) / 100) / 10 };
    } catch (error) {
      sections[module.name] = { error: error instanceof Error ? error.message : String(error) };
      process.stderr.write(`[bench] ${module.name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    }
  }
  await dropSharedBenchServers();
  const report = {
    environment: {
      date: new Date(started).toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu_count: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      total_memory_gb: Math.round(os.totalmem() / 1024 ** 3),
      load_average_1m: Math.round(os.loadavg()[0]! * 100) / 100,
    },
    options: { ...options, databaseUrl: options.databaseUrl ? new URL(options.databaseUrl).host : null },
    sections,
    summary: { ...collectTargets(sections), duration_s: Math.round((Date.now() - started) / 100) / 10 },
  };
  const json = JSON.stringify(report, null, 2);
  const resultsDir = path.join(benchDir, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${json}\n`);
  process.stdout.write(`${json}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
