// The public change feed: the lieu_changes log read by cursor (its seq), so re-users sync
// incrementally. Each entry carries the place as it is now (null once removed).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toApiV1, type Lieu } from '../lieux/lieux.schema.ts';

export interface LieuChange {
  seq: number;
  lieu_id: string;
  kind: 'added' | 'updated' | 'removed';
  changed_at: string;
  /** The place as published now; null when removed or no longer published. */
  lieu: Lieu | null;
}

export interface ChangesPage {
  changes: LieuChange[];
  /** Pass it as `since` for the next page (unchanged when there is nothing new). */
  next_since: number;
  has_more: boolean;
}

export const maxChangesLimit = 5000;

export async function listChanges(deps: { db: Kysely<Database> }, since: number, limit: number): Promise<ChangesPage> {
  const rows = await deps.db
    .selectFrom('lieu_changes as c')
    .leftJoin('lieux', 'lieux.id', 'c.lieu_id')
    .selectAll('lieux')
    .select(['c.seq', 'c.lieu_id as change_lieu_id', 'c.kind', 'c.changed_at as change_at'])
    .where('c.seq', '>', since)
    .orderBy('c.seq')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const changes = page.map((row) => {
    const published = row.id !== null && row.status === 'published' && row.kind !== 'removed';
    return {
      seq: Number(row.seq),
      lieu_id: row.change_lieu_id,
      kind: row.kind,
      changed_at: new Date(row.change_at as unknown as string | Date).toISOString(),
      lieu: published ? toApiV1(row as unknown as Parameters<typeof toApiV1>[0]) : null,
    };
  });
  return { changes, next_since: changes.at(-1)?.seq ?? since, has_more: rows.length > limit };
}
