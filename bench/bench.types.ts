// The shape every benchmark section follows, so run.ts can list, select and report them.

export interface BenchOptions {
  /** Number of generated places (default 50,000). */
  places: number;
  /** Seed of the generator: the same seed gives the same places and queries. */
  seed: number;
  /** PostgreSQL server for the SQL reference; undefined or unreachable: skipped with a note. */
  databaseUrl: string | undefined;
  /** Reference folder holding communes/communes-centres-geoapi-2025.json. */
  referenceDir: string | undefined;
  /** Shorter loops (fewer iterations, shorter HTTP run), for a quick look. */
  quick: boolean;
}

export interface Target {
  /** What is compared, e.g. "p95 ≤ 1 ms". */
  target: string;
  value: number;
  pass: boolean;
}

/** A section of `npm run bench`: bench/<name>.bench.ts exports `description` and `run`. */
export interface BenchModule {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<object>;
}

export function atMost(target: string, value: number, limit: number): Target {
  return { target, value: round(value), pass: value <= limit };
}

export function atLeast(target: string, value: number, limit: number): Target {
  return { target, value: round(value), pass: value >= limit };
}

export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export const MB = 1024 * 1024;
