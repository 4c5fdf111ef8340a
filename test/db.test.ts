import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateDown, migrateToLatest, listMigrations } from '../src/db/migrate.ts';
import type { DbHandle } from '../src/db/kysely.ts';
import { createTestDatabase } from './helpers/db.ts';

describe('migration chain', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it('applies every migration, rolls each back, and applies them again', async () => {
    const all = await listMigrations(handle.db);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((m) => m.executedAt !== undefined)).toBe(true);
    for (let i = 0; i < all.length; i++) await migrateDown(handle.db);
    const tables = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name = 'lieux'`.execute(handle.db);
    expect(tables.rows[0]?.n).toBe(0);
    const applied = await migrateToLatest(handle.db);
    expect(applied).toEqual(all.map((m) => m.name));
  });

  it('has the accent-folding function used by search', async () => {
    const r = await sql<{ v: string }>`select maillage_unaccent('Saint-Étienne-du-Rouvray') as v`.execute(handle.db);
    expect(r.rows[0]?.v).toBe('Saint-Etienne-du-Rouvray');
  });
});
