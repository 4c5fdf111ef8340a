// Kysely types of the claims and moderation comments tables (migration 0017_claims).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type ClaimStatus = 'pending' | 'accepted' | 'rejected';
export type ModerationItemType = 'claim' | 'report' | 'duplicate';

export interface LieuClaimsTable {
  id: string;
  lieu_id: string;
  account_id: string;
  status: ClaimStatus;
  automatic: Generated<boolean>;
  message: string | null;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
  decided_by: string | null;
}

export interface ModerationCommentsTable {
  seq: Generated<string>;
  item_type: ModerationItemType;
  item_id: string;
  account_id: string | null;
  decision: string;
  comment: string | null;
  at: Timestamp;
}

declare module '../../db/database.ts' {
  interface Database {
    lieu_claims: LieuClaimsTable;
    moderation_comments: ModerationCommentsTable;
  }
}
