// One isolated, migrated database per test file: a PGlite copy of a migrated template
// (fast), or, when DATABASE_URL is set, a fresh schema on the PostgreSQL server.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '../../src/db/kysely.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const testDatabaseUrl = process.env.DATABASE_URL || undefined;

export async function createTestDatabase(): Promise<DbHandle> {
  if (testDatabaseUrl) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const handle = await openDatabase({ databaseUrl: testDatabaseUrl, schema });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      async close() {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
        await cleanup.connect();
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        await cleanup.end();
      },
    };
  }
  const template = inject('pgliteTemplate');
  return openDatabase({ pgliteTemplate: fs.readFileSync(template) });
}
