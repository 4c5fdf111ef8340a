// Conflicts between an import and an account's edit (migration 0021): the source values the
// conflict rules refused because a person edited the field (imports.merge.ts), stored so the
// place's manager sees them and decides. The import pipeline only collects them in its plan
// (conflictOf) and writes them with one set-based statement per chunk (upsertConflicts).
import { sql, type ColumnType, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { MergeConflict, MergeValue } from './imports.merge.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<MergeValue, string | null, string | null>;

export interface LieuConflictsTable {
  id: ColumnType<string, string | undefined, never>;
  lieu_id: string;
  field: string;
  source_id: string;
  source_value: Json;
  kept_value: Json;
  run_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined, 'open' | 'resolved'>;
  resolution: 'kept' | 'taken' | null;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
}

declare module '../../db/database.ts' {
  interface Database {
    lieu_conflicts: LieuConflictsTable;
  }
}

/** One refused source value, as the import plan collects it. */
export interface ConflictWrite {
  lieu_id: string;
  field: string;
  source_value: MergeValue;
  kept_value: MergeValue;
}

export const conflictOf = (lieuId: string, conflict: MergeConflict): ConflictWrite => ({
  lieu_id: lieuId,
  field: conflict.field,
  source_value: conflict.incoming,
  kept_value: conflict.kept,
});

const CHUNK = 5000;

/**
 * Opens or updates one conflict per place, field and this source (the last value of the run
 * wins when a place is written twice). A value the manager already chose to ignore ("keep
 * mine") is not raised again while the source keeps giving that same value.
 */
export async function upsertConflicts(db: Kysely<Database>, sourceId: string, runId: string, conflicts: readonly ConflictWrite[], now: Date): Promise<void> {
  if (conflicts.length === 0) return;
  const unique = [...new Map(conflicts.map((c) => [`${c.lieu_id}\u0000${c.field}`, c])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    await sql`INSERT INTO lieu_conflicts (lieu_id, field, source_id, source_value, kept_value, run_id, created_at, updated_at)
      SELECT t.lieu_id, t.field, ${sourceId}::uuid, t.source_value::jsonb, t.kept_value::jsonb, ${runId}::uuid, ${now}::timestamptz, ${now}::timestamptz
      FROM unnest(${chunk.map((c) => c.lieu_id)}::uuid[], ${chunk.map((c) => c.field)}::text[],
        ${chunk.map((c) => JSON.stringify(c.source_value ?? null))}::text[], ${chunk.map((c) => JSON.stringify(c.kept_value ?? null))}::text[])
        AS t(lieu_id, field, source_value, kept_value)
      WHERE NOT EXISTS (
        SELECT 1 FROM lieu_conflicts k
        WHERE k.lieu_id = t.lieu_id AND k.field = t.field AND k.source_id = ${sourceId}::uuid
          AND k.status = 'resolved' AND k.resolution = 'kept' AND k.source_value = t.source_value::jsonb)
      ON CONFLICT (lieu_id, field, source_id) WHERE status = 'open' DO UPDATE
        SET source_value = excluded.source_value, kept_value = excluded.kept_value, run_id = excluded.run_id, updated_at = excluded.updated_at`.execute(db);
  }
}
