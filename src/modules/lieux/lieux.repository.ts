// SQL of the registry of places: Kysely queries only, no rules. `db` may be a transaction.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, LieuRow, LieuRowUpdate, LieuVersionsTable, NewLieuRow } from '../../db/database.ts';

type Db = Kysely<Database>;

/** Search read models listen on this channel; the payload is the new lieu_changes.seq. */
export const LIEUX_CHANGED_CHANNEL = 'lieux_changed';

export async function findLieuById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<LieuRow | undefined> {
  let query = db.selectFrom('lieux').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findExistingIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('lieux').select('id').where('id', 'in', ids).execute();
  return rows.map((row) => row.id);
}

export async function insertLieu(db: Db, row: NewLieuRow): Promise<LieuRow> {
  return db.insertInto('lieux').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateLieuRow(db: Db, id: string, changes: LieuRowUpdate): Promise<LieuRow> {
  return db.updateTable('lieux').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export interface NewLieuVersion {
  lieu_id: string;
  version: number;
  changed_at: Date;
  action: LieuVersionsTable['action'];
  actor_kind: LieuVersionsTable['actor_kind'];
  actor_id: string | null;
  /** Null for a creation: its changes are derived from the snapshot when read. */
  changes: Record<string, { from: unknown; to: unknown }> | null;
  snapshot: Record<string, unknown>;
  reason?: string | null;
}

export async function insertLieuVersion(db: Db, version: NewLieuVersion): Promise<void> {
  await db
    .insertInto('lieu_versions')
    .values({
      ...version,
      reason: version.reason ?? null,
      changes: version.changes === null ? null : JSON.stringify(version.changes),
      snapshot: JSON.stringify(version.snapshot),
    })
    .execute();
}

export async function listVersions(db: Db, lieuId: string): Promise<Selectable<LieuVersionsTable>[]> {
  return db.selectFrom('lieu_versions').selectAll().where('lieu_id', '=', lieuId).orderBy('version', 'asc').execute();
}

/** Appends to the change log and tells listeners, inside the caller's transaction (sent on commit). */
export async function recordLieuChange(
  db: Db,
  change: { lieu_id: string; kind: 'added' | 'updated' | 'removed'; changed_at: Date },
): Promise<number> {
  const { seq } = await db.insertInto('lieu_changes').values(change).returning('seq').executeTakeFirstOrThrow();
  await sql`select pg_notify(${LIEUX_CHANGED_CHANNEL}, ${String(seq)})`.execute(db);
  return Number(seq);
}
