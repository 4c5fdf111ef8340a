// The PostgreSQL server for benchmarks: a fresh schema of its own (never the shared public
// schema), migrated, dropped at the end. Unreachable server: null, and the caller notes it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { sql } from 'kysely';
import type { BenchOptions } from './bench.types.ts';
import { getDataset } from './dataset.ts';
import { bulkLoadLieux } from './load.ts';

export interface BenchServer {
  handle: DbHandle;
  schema: string;
  /** Connection string whose sessions use the schema (for a child process). */
  schemaUrl: string;
  drop(): Promise<void>;
}

export async function openBenchServer(databaseUrl: string | undefined): Promise<{ server: BenchServer | null; note?: string }> {
  if (!databaseUrl) return { server: null, note: 'no PostgreSQL URL given' };
  const admin = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { server: null, note: `PostgreSQL server unreachable (${databaseUrl}): ${(error as Error).message}` };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl, schema });
  await migrateToLatest(handle.db);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    server: {
      handle,
      schema,
      schemaUrl: url.toString(),
      async drop() {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: databaseUrl });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    },
  };
}

export interface LoadedBenchServer {
  server: BenchServer | null;
  note?: string;
  /** Time of the bulk load (once per run, whichever section asked first). */
  loadMs: number | null;
}

const shared = new Map<string, Promise<LoadedBenchServer>>();

/** A server schema holding the run's generated places, loaded once and shared by the sections. */
export function loadedBenchServer(options: BenchOptions): Promise<LoadedBenchServer> {
  const key = `${options.databaseUrl}|${options.places}|${options.seed}`;
  let entry = shared.get(key);
  if (!entry) {
    entry = (async () => {
      const { server, note } = await openBenchServer(options.databaseUrl);
      if (!server) return { server, note, loadMs: null };
      const dataset = getDataset(options.places, options.seed, options.referenceDir);
      const loaded = await bulkLoadLieux(server.handle.db, dataset.lieux, dataset.territories);
      await sql`ANALYZE lieux`.execute(server.handle.db);
      return { server, loadMs: Math.round(loaded.ms) };
    })();
    shared.set(key, entry);
  }
  return entry;
}

/** Drops the shared schemas; run.ts calls it once every section is done. */
export async function dropSharedBenchServers(): Promise<void> {
  for (const entry of shared.values()) {
    const { server } = await entry.catch(() => ({ server: null }));
    await server?.drop();
  }
  shared.clear();
}
