// Exports benchmark: every open-data format of a national-scale registry, streamed to a sink
// that only counts bytes. Measures rows/s and how much the heap grows while streaming (it
// should stay at about one page of 1,000 places, whatever the registry size).
// Run alone with `npx tsx bench/exports.bench.ts [places]`.
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { exportFormats, writeExport } from '../src/modules/exports/exports.stream.ts';
import { createTerritories } from '../src/modules/territories/territories.use-cases.ts';
import { generateLieux } from './generate.ts';
import { bulkLoadLieux } from './load.ts';
import { atMost, MB, round } from './bench.types.ts';

export const description = 'exports: standard CSV/JSON, GeoJSON, data·inclusion streamed from the registry (rows/s, heap growth)';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(options: { places?: number; seed?: number; referenceDir?: string } = {}) {
  const count = options.places ?? 50_000;
  const referenceDir = options.referenceDir ?? path.join(projectDir, '..', 'shared', 'data');
  const handle = await openDatabase({});
  try {
    await migrateToLatest(handle.db);
    // Generated places are dropped before measuring, so the heap holds only the export's pages.
    await bulkLoadLieux(handle.db, generateLieux(count, options.seed ?? 42, { referenceDir }), createTerritories({ referenceDir }));
    const formats: Record<string, object> = {};
    for (const format of exportFormats) {
      global.gc?.();
      const baseHeap = process.memoryUsage().heapUsed;
      let peakHeap = baseHeap;
      let bytes = 0;
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
          callback();
        },
      });
      const started = performance.now();
      const records = await writeExport({ db: handle.db, publicUrl: 'http://localhost' }, format, sink);
      const ms = performance.now() - started;
      formats[format] = {
        records,
        ms: round(ms, 0),
        rows_per_s: round((count / ms) * 1000, 0),
        output_mb: round(bytes / MB, 1),
        heap_growth: atMost('heap growth while streaming ≤ 200 MB', (peakHeap - baseHeap) / MB, 200),
      };
    }
    return { places: count, load_average: round(os.loadavg()[0]!, 2), gc_exposed: typeof global.gc === 'function', formats };
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const places = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(JSON.stringify(await run({ places }), null, 2));
}
