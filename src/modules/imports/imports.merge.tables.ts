// Kysely types of the conflict-rule and merge tables (migration 0009_lieu_merges), merged
// into Database like the other federation tables.
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface LieuFieldContributionsTable {
  lieu_id: string;
  field: string;
  /** 'source:<uuid>', 'account:<id>' or 'registry'. */
  contributor: string;
  source_id: string | null;
  value: Json<unknown>;
  given_at: Timestamp;
  run_id: string | null;
}

export interface LieuMergesTable {
  id: string;
  /** The place merged away (B). */
  lieu_id: string;
  /** The place that kept its id (A). */
  merged_into: string;
  lieu_version_before: number;
  merged_into_version_before: number;
  merged_into_version_after: number;
  undo: Json<unknown>;
  actor_kind: string;
  actor_id: string | null;
  merged_at: Timestamp;
  split_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  split_actor_kind: string | null;
  split_actor_id: string | null;
}

declare module '../../db/database.ts' {
  interface Database {
    lieu_field_contributions: LieuFieldContributionsTable;
    lieu_merges: LieuMergesTable;
  }
}
