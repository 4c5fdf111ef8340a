// Runs the chain of raw SQL migrations (NNNN_name.up.sql / .down.sql), the same files on
// PGlite and PostgreSQL, through Kysely's Migrator (which records and locks them).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

export const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Extensions live in the public schema, created once per database (not per migration run). */
export const requiredExtensions = ['pg_trgm', 'unaccent', 'fuzzystrmatch'] as const;

class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = await fs.readdir(this.dir);
    const migrations: Record<string, Migration> = {};
    for (const file of files.filter((f) => f.endsWith('.up.sql')).sort()) {
      const name = file.slice(0, -'.up.sql'.length);
      const up = await fs.readFile(path.join(this.dir, file), 'utf8');
      const downFile = path.join(this.dir, `${name}.down.sql`);
      const down = await fs.readFile(downFile, 'utf8').catch(() => undefined);
      migrations[name] = {
        up: async (db) => {
          await sql.raw(up).execute(db);
        },
        down:
          down === undefined
            ? undefined
            : async (db) => {
                await sql.raw(down).execute(db);
              },
      };
    }
    return migrations;
  }
}

export async function createExtensions(db: Kysely<any>): Promise<void> {
  for (const name of requiredExtensions) {
    await sql.raw(`CREATE EXTENSION IF NOT EXISTS ${name} SCHEMA public`).execute(db);
  }
}

function check(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`La migration ${failed?.migrationName ?? '?'} a échoué : ${cause}`, { cause: result.error });
  }
}

// The bookkeeping tables go in the connection's own schema: several schemas (one per test
// file) may share a server, and Kysely would otherwise find another schema's tables.
async function migrator(db: Kysely<any>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return new Migrator({
    db,
    provider: new SqlFileMigrationProvider(migrationsDir),
    migrationTableSchema: rows[0]?.schema ?? 'public',
    // Several branches of work add migrations in parallel; order by name, tolerate gaps.
    allowUnorderedMigrations: true,
  });
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  await createExtensions(db);
  const result = await (await migrator(db)).migrateToLatest();
  check(result);
  return (result.results ?? []).map((r) => r.migrationName);
}

export async function migrateDown(db: Kysely<any>): Promise<string | undefined> {
  const result = await (await migrator(db)).migrateDown();
  check(result);
  return result.results?.[0]?.migrationName;
}

export async function listMigrations(db: Kysely<any>) {
  return (await migrator(db)).getMigrations();
}
