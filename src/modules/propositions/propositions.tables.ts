// Kysely types of the proposed places table (migration 0020_lieu_propositions).
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export type PropositionStatus = 'pending' | 'accepted' | 'rejected';

export interface LieuPropositionsTable {
  id: string;
  account_id: string;
  status: PropositionStatus;
  /** The standard fields as proposed (re-validated when a moderator accepts). */
  record: Json<Record<string, unknown>>;
  nom: string;
  commune: string;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  comment: string | null;
  lieu_id: string | null;
}

declare module '../../db/database.ts' {
  interface Database {
    lieu_propositions: LieuPropositionsTable;
  }
}
