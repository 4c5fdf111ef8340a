// Kysely types of the API keys table (migration 0015_api_keys).
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

declare module '../../db/database.ts' {
  interface Database {
    api_keys: ApiKeysTable;
  }
}
