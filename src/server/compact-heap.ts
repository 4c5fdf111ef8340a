// Start-up loads the territories and builds the search read model: a burst of allocation after
// which V8 keeps far more heap committed than stays live (with 50,000 places: 237 MB of heap
// for 110 MB used, so ~400 MB resident). V8's "optimize for size" mode grows the heap tightly
// (133 MB committed, ~270 MB resident) but also makes running code slower, so it is on only
// while the process starts, and off again for serving (measured in docs/benchmarks.md).
import v8 from 'node:v8';

export async function withCompactHeap<T>(start: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString('--optimize-for-size');
  try {
    return await start();
  } finally {
    v8.setFlagsFromString('--no-optimize-for-size');
  }
}
