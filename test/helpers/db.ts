// One isolated, migrated database per test file: a PGlite copy of a migrated template
// (fast), or, when DATABASE_URL is set, a copy of the run's migrated template database on the
// PostgreSQL server (CREATE DATABASE … TEMPLATE, made by test/global-setup.ts).
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '../../src/db/kysely.ts';
import { urlOfDatabase } from './database-url.ts';

export const testDatabaseUrl = process.env.DATABASE_URL || undefined;

/** PostgreSQL: the URL of the database a handle from createTestDatabase uses (for child processes). */
const urls = new WeakMap<DbHandle['db'], string>();
export function testDatabaseUrlOf(handle: Pick<DbHandle, 'db'>): string | undefined {
  return urls.get(handle.db);
}

export async function createTestDatabase(): Promise<DbHandle> {
  if (testDatabaseUrl) {
    const template = inject('pgTemplate');
    if (!template) throw new Error('test/global-setup.ts did not prepare a template database');
    const database = `${template.prefix}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database} TEMPLATE ${template.database}`);
    } finally {
      await admin.end();
    }
    const url = urlOfDatabase(testDatabaseUrl, database);
    const handle = await openDatabase({ databaseUrl: url });
    urls.set(handle.db, url);
    return {
      ...handle,
      async close() {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
        await cleanup.connect();
        // FORCE: a LISTEN client or a child process may still be leaving.
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  const template = inject('pgliteTemplate');
  return openDatabase({ pgliteTemplate: fs.readFileSync(template) });
}
