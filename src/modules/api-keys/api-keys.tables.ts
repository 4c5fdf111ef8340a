// Kysely types of the API keys and network pushes tables (migration 0015_api_keys).
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ApiKeysTable {
  id: string;
  account_id: string;
  label: string;
  key_hash: string;
  prefix: string;
  source_ids: string[] | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface SourcePushesTable {
  source_id: string;
  body_sha256: string;
  pushed_at: Timestamp;
}

declare module '../../db/database.ts' {
  interface Database {
    api_keys: ApiKeysTable;
    source_pushes: SourcePushesTable;
  }
}
