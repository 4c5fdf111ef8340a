// The read model follows the registry: rebuilt after writes in this process (both engines),
// after writes by another process (PostgreSQL only), and by polling when a notification is lost.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/kysely.ts';
import { createTestDatabase, testDatabaseUrl } from '../../../test/helpers/db.ts';
import { insertLieu, insertLieux, recordLieuChange } from '../../../test/builders/lieu.ts';
import { SearchIndex } from './search-index.ts';
import { searchLieux } from './search-engine.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const now = new Date('2025-06-12T10:00:00+02:00');

let handle: DbHandle;
let index: SearchIndex | undefined;

beforeEach(async () => {
  handle = await createTestDatabase();
});

afterEach(async () => {
  await index?.close();
  index = undefined;
  await handle.close();
});

const names = (found: SearchIndex, q?: string) => searchLieux(found.current(), { q, limit: 100 }, now).items.map((i) => i.nom);

describe('SearchIndex', () => {
  it('builds at start and follows additions, updates and unpublications notified in this process', async () => {
    await insertLieux(handle.db, [{ nom: 'Médiathèque des Tilleuls' }, { nom: 'Cyber-base du Centre' }]);
    index = await SearchIndex.open(handle, { pollMs: 0 });
    expect(names(index)).toEqual(['Cyber-base du Centre', 'Médiathèque des Tilleuls']);
    const before = index.version;

    const added = await insertLieu(handle.db, { nom: 'Fablab de la Gare' });
    const seq = await recordLieuChange(handle.db, added.id, 'added');
    await expect.poll(() => names(index!), { timeout: 2000 }).toContain('Fablab de la Gare');
    expect(index.version).toBe(seq);
    expect(index.version).toBeGreaterThan(before);

    await handle.db.updateTable('lieux').set({ nom: 'Fablab Louise Michel', sort_key: 'fablab louise michel', search_tokens: ['fablab', 'louise', 'michel', 'lyon'] }).where('id', '=', added.id).execute();
    await recordLieuChange(handle.db, added.id, 'updated');
    await expect.poll(() => names(index!, 'louise'), { timeout: 2000 }).toEqual(['Fablab Louise Michel']);
    expect(names(index, 'gare')).toEqual([]);

    await handle.db.updateTable('lieux').set({ status: 'unpublished' }).where('id', '=', added.id).execute();
    await recordLieuChange(handle.db, added.id, 'removed');
    await expect.poll(() => names(index!), { timeout: 2000 }).toEqual(['Cyber-base du Centre', 'Médiathèque des Tilleuls']);
  });

  it('coalesces a burst of notifications and ends up with every change', async () => {
    index = await SearchIndex.open(handle, { pollMs: 0 });
    const rows = await insertLieux(handle.db, Array.from({ length: 30 }, (_, i) => ({ nom: `Lieu ${String(i).padStart(2, '0')}` })));
    let last = 0;
    for (const row of rows) last = await recordLieuChange(handle.db, row.id, 'added');
    await expect.poll(() => index!.version, { timeout: 3000 }).toBe(last);
    expect(index.current().size).toBe(30);
  });

  it('catches up by polling when a notification is lost', async () => {
    index = await SearchIndex.open(handle, { pollMs: 100 });
    const row = await insertLieu(handle.db, { nom: 'Tiers-lieu silencieux' });
    // A change-log entry without pg_notify, as if the notification were lost.
    await handle.db.insertInto('lieu_changes').values({ lieu_id: row.id, kind: 'added' }).execute();
    await expect.poll(() => names(index!), { timeout: 3000 }).toEqual(['Tiers-lieu silencieux']);
  });

  it('refresh() applies pending changes at once and refresh({ full: true }) reloads rows written without the log', async () => {
    index = await SearchIndex.open(handle, { pollMs: 0, debounceMs: 60_000 });
    const logged = await insertLieu(handle.db, { nom: 'Avec journal' });
    await handle.db.insertInto('lieu_changes').values({ lieu_id: logged.id, kind: 'added' }).execute();
    await index.refresh();
    expect(names(index)).toEqual(['Avec journal']);
    await insertLieu(handle.db, { nom: 'Sans journal' });
    await index.refresh();
    expect(names(index)).toEqual(['Avec journal']);
    await index.refresh({ full: true });
    expect(names(index)).toEqual(['Avec journal', 'Sans journal']);
  });

  it.skipIf(!testDatabaseUrl)(
    'sees within 1 s a place written by another process (PostgreSQL only: PGlite lives in one process)',
    async () => {
      index = await SearchIndex.open(handle, { pollMs: 0 });
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(handle.db);
      const tsx = path.resolve(here, '../../../node_modules/.bin/tsx');
      const { stdout } = await promisify(execFile)(tsx, [path.join(here, 'search-index.writer.ts'), testDatabaseUrl!, rows[0]!.schema, 'Écrit par un autre processus'], {
        cwd: path.resolve(here, '../../..'),
      });
      const id = stdout.trim();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      // The child has committed and exited: the parent must see it within 1 s, by notification.
      await expect.poll(() => searchLieux(index!.current(), { q: 'autre processus' }, now).items.map((i) => i.id), { timeout: 1000, interval: 20 }).toEqual([id]);
    },
    30_000,
  );
});
