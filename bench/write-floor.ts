// The write floor of an import on a PostgreSQL server: how long the server alone takes to store
// what a run stored (its places, their creation versions and change-log entries, the raw rows,
// the source's links and the provenance groups), with nothing else to do. The rows are copied
// out of the benchmark's schema after the run, then written back with COPY (the fastest way in)
// into a fresh schema holding the same registry as before the run, in one transaction, with the
// platform's indexes, constraints and foreign keys. No import, whatever its process does, can
// beat this time on the same machine: it bounds the rows/s an import can reach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../src/db/kysely.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

/** What the run wrote, table by table, in the order a run writes them (places first: the others refer to them). */
function writtenRows(sourceId: string) {
  const ofRun = `SELECT lieu_id FROM lieu_sources WHERE source_id = '${sourceId}'`;
  return [
    { table: 'lieux', columns: '', select: `SELECT * FROM lieux WHERE id IN (${ofRun})` },
    { table: 'lieu_versions', columns: '', select: `SELECT * FROM lieu_versions WHERE lieu_id IN (${ofRun})` },
    { table: 'lieu_changes', columns: '(lieu_id, kind, changed_at)', select: `SELECT lieu_id, kind, changed_at FROM lieu_changes WHERE lieu_id IN (${ofRun}) ORDER BY seq` },
    { table: 'lieu_sources', columns: '', select: `SELECT * FROM lieu_sources WHERE source_id = '${sourceId}'` },
    { table: 'lieu_provenance', columns: '', select: `SELECT * FROM lieu_provenance WHERE source_id = '${sourceId}'` },
    { table: 'import_rows', columns: '', select: `SELECT * FROM import_rows WHERE source_id = '${sourceId}'` },
  ];
}

async function connect(databaseUrl: string, schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`SET search_path TO ${schema}, public`);
  return client;
}

export interface WriteFloor {
  ms: number;
  /** The most rows/s any import of these rows can reach on this server. */
  rows_per_s_ceiling: number;
  tables_ms: Record<string, number>;
  copied_mb: number;
}

/** Measures the write floor of the run of source `sourceName` in `schema` (the benchmark's, after its first import). */
export async function measureWriteFloor(databaseUrl: string, schema: string, sourceName: string, rows: number): Promise<WriteFloor> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-write-floor-'));
  const floorSchema = `${schema}_floor`;
  const bench = await connect(databaseUrl, schema);
  let floor: pg.Client | null = null;
  try {
    const { rows: sources } = await bench.query<{ id: string }>('SELECT id FROM sources WHERE name = $1', [sourceName]);
    const tables = writtenRows(sources[0]!.id);
    let bytes = 0;
    for (const { table, select } of tables) {
      const file = path.join(dir, `${table}.copy`);
      await pipeline(bench.query(copyTo(`COPY (${select}) TO STDOUT`)), fs.createWriteStream(file));
      bytes += fs.statSync(file).size;
    }

    // The same registry as before the run, in a schema of its own, with the platform's schema.
    await bench.query(`CREATE SCHEMA ${floorSchema}`);
    const migrated = await openDatabase({ databaseUrl, schema: floorSchema });
    await migrateToLatest(migrated.db);
    await migrated.close();
    await bench.query(`INSERT INTO ${floorSchema}.sources SELECT * FROM ${schema}.sources`);
    await bench.query(`INSERT INTO ${floorSchema}.lieux SELECT * FROM ${schema}.lieux
      WHERE id NOT IN (SELECT lieu_id FROM ${schema}.lieu_sources WHERE source_id = $1)`, [sources[0]!.id]);
    await bench.query(`ANALYZE ${floorSchema}.lieux`);

    floor = await connect(databaseUrl, floorSchema);
    const tablesMs: Record<string, number> = {};
    const started = performance.now();
    await floor.query('BEGIN');
    for (const { table, columns } of tables) {
      const tableStarted = performance.now();
      await pipeline(fs.createReadStream(path.join(dir, `${table}.copy`)), floor.query(copyFrom(`COPY ${table} ${columns} FROM STDIN`)));
      tablesMs[table] = Math.round(performance.now() - tableStarted);
    }
    await floor.query('COMMIT');
    const ms = performance.now() - started;
    return { ms: Math.round(ms), rows_per_s_ceiling: Math.round((rows / ms) * 1000), tables_ms: tablesMs, copied_mb: Math.round(bytes / 2 ** 20) };
  } finally {
    await floor?.end();
    await bench.query(`DROP SCHEMA IF EXISTS ${floorSchema} CASCADE`);
    await bench.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
