// Opens the store: a PostgreSQL server when DATABASE_URL is set, embedded PGlite otherwise.
// Both go through the same Kysely PostgresDialect over node-postgres, so queries and
// migrations are identical (PGlite through its own node-postgres adapter, pool of one).
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { registerClient, unregisterClient } from './copy-from.ts';

export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  kind: DbKind;
  /** Calls `onMessage` for each NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball (test templates, backups). */
  dumpDataDir?: () => Promise<Blob>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  /** PGlite data folder; `memory://` for an in-memory database. */
  pgliteDataDir?: string;
  /** PGlite: start from this tarball of a data folder (made by dumpDataDir). */
  pgliteTemplate?: Uint8Array<ArrayBuffer>;
  /** PostgreSQL schema to use (tests isolate each file in its own schema). */
  schema?: string;
}

// numeric and bigint come back as strings by default; counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));
// Dates stay ISO strings (YYYY-MM-DD): no time zone shift on a calendar date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export async function openDatabase(options: OpenDatabaseOptions): Promise<DbHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema);
  return openPglite(options.pgliteDataDir ?? 'memory://', options.pgliteTemplate);
}

async function openPostgres(connectionString: string, schema?: string): Promise<DbHandle> {
  const options = schema ? `-c search_path=${schema},public` : undefined;
  const pool = new pg.Pool({ connectionString, max: 10, options });
  // Bulk writes find a transaction's raw client by backend pid (copy-from.ts).
  pool.on('connect', registerClient);
  pool.on('remove', unregisterClient);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    async listen(channel, onMessage) {
      const client = new pg.Client({ connectionString });
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onMessage(msg.payload ?? '');
      });
      // Keep a dropped listener from crashing the process; the next refresh falls back to polling.
      client.on('error', () => {});
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string, template?: Uint8Array<ArrayBuffer>): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { fuzzystrmatch } = await import('@electric-sql/pglite/contrib/fuzzystrmatch');
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const extensions = { pg_trgm, unaccent, fuzzystrmatch };
  const pglite = template
    ? await PGlite.create({ loadDataDir: new Blob([template]), extensions })
    : await PGlite.create(dataDir, { extensions });
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    async listen(channel, onMessage) {
      const unsubscribe = await pglite.listen(channel, onMessage);
      return async () => unsubscribe();
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
