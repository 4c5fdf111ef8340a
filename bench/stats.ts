// Latency loops and percentiles (nearest-rank), in milliseconds.
import { round } from './bench.types.ts';

export interface LatencySummary {
  iterations: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    iterations: sorted.length,
    p50_ms: round(percentile(sorted, 50), 4),
    p95_ms: round(percentile(sorted, 95), 4),
    p99_ms: round(percentile(sorted, 99), 4),
    mean_ms: round(mean, 4),
    max_ms: round(sorted[sorted.length - 1] ?? NaN, 4),
  };
}

export interface LoopLimits {
  warmup: number;
  maxIterations: number;
  /** Stop measuring after this much time (at least `minIterations` are always run). */
  maxMs: number;
  minIterations: number;
}

/** Runs `task(i)` over the queries in turn, timing each call; bounded in count and time. */
export async function measure<T>(queries: readonly T[], task: (query: T) => unknown, limits: LoopLimits): Promise<number[]> {
  for (let i = 0; i < limits.warmup; i++) await task(queries[i % queries.length]!);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < limits.maxIterations; i++) {
    if (i >= limits.minIterations && performance.now() - started > limits.maxMs) break;
    const query = queries[i % queries.length]!;
    const t0 = performance.now();
    await task(query);
    samples.push(performance.now() - t0);
  }
  return samples;
}
