// Kysely types of the federation tables (migration 0003_imports), merged into Database.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SourcesTable {
  id: string;
  name: string;
  producer: string;
  format: string | null;
  location: string | null;
  mapping: ColumnType<unknown, string | null, string | null>;
  priority: Generated<number>;
  schedule: string | null;
  /** When the schedule is next due (migration 0010); null without a schedule. */
  next_sync_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ImportRunStatus = 'succeeded' | 'failed' | 'dry_run';

export interface ImportRunsTable {
  id: string;
  source_id: string;
  status: ImportRunStatus;
  file_name: string | null;
  format: string | null;
  encoding: string | null;
  started_at: Timestamp;
  finished_at: Timestamp;
  duration_ms: number;
  read: number;
  accepted: number;
  rejected: number;
  new: number;
  updated: number;
  unchanged: number;
  /** New records attached to another source's place (migration 0012). */
  merged: Generated<number>;
  /** SHA-256 of the file read, with format and mapping (migration 0012, imports.same-file.ts). */
  file_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Unchanged-file run: the run whose import_rows it saw (their last_run_id), migration 0014. */
  rows_run_id: ColumnType<string | null, string | null | undefined, string | null>;
  removed: number;
  unpublished: number;
  warnings: number;
  duplicates: Generated<number>;
  error: string | null;
}

export interface ImportRowsTable {
  source_id: string;
  external_id: string;
  content_hash: string;
  raw: Json<unknown>;
  lieu_id: string | null;
  last_run_id: string;
}

export interface ImportErrorsTable {
  id: Generated<number>;
  run_id: string;
  row: number;
  field: string;
  value: string | null;
  message: string;
  severity: 'error' | 'warning';
}

export interface LieuSourcesTable {
  source_id: string;
  external_id: string;
  lieu_id: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  removed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface LieuDuplicatesTable {
  lieu_a: string;
  lieu_b: string;
  score: number;
  decision: 'merge' | 'review';
  signals: Json<unknown>;
  reason: string | null;
  status: Generated<'pending' | 'confirmed' | 'rejected'>;
  found_run_id: string | null;
  found_at: Timestamp;
}

/** Provenance stored as groups (migration 0013, imports.provenance.ts). */
export interface LieuProvenanceTable {
  lieu_id: string;
  source_id: string;
  run_id: string;
  updated_at: Timestamp;
  fields: string[];
}

/** The per-field view of lieu_provenance (read only). */
export interface LieuFieldProvenanceTable {
  lieu_id: string;
  field: string;
  source_id: string;
  run_id: string;
  updated_at: Timestamp;
}

// Merged into the shared Database interface here rather than in database.ts, so the
// federation tables stay with their module.
declare module '../../db/database.ts' {
  interface Database {
    sources: SourcesTable;
    import_runs: ImportRunsTable;
    import_rows: ImportRowsTable;
    import_errors: ImportErrorsTable;
    lieu_sources: LieuSourcesTable;
    lieu_field_provenance: LieuFieldProvenanceTable;
    lieu_provenance: LieuProvenanceTable;
    lieu_duplicates: LieuDuplicatesTable;
  }
}
