// An import allocates far faster than it keeps: with V8's default heap growth (up to 4× the
// live size between full collections) a 50,000-row run peaked at 1.3 GB resident for ~300 MB
// live. While a run is going, the heap may grow by 30 % only (`--heap-growing-percent`), so
// full collections come sooner (docs/benchmarks.md: peak 1,326 → 671 MB on one loaded
// machine, ~4 % slower side by side); the default returns when the process's last run ends.
import v8 from 'node:v8';

let running = 0;

export async function withTightHeap<T>(run: () => Promise<T>): Promise<T> {
  if (running++ === 0) v8.setFlagsFromString('--heap-growing-percent=30');
  try {
    return await run();
  } finally {
    if (--running === 0) v8.setFlagsFromString('--heap-growing-percent=0');
  }
}
