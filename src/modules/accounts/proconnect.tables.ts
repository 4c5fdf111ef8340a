// Kysely types of the ProConnect tables (migration 0019_proconnect).
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ProConnectLinksTable {
  sub: string;
  account_id: string;
  linked_at: Timestamp;
  last_login_at: Timestamp;
}

export interface ProConnectFlowsTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  expires_at: Timestamp;
}

export interface ProConnectSessionsTable {
  session_id_hash: string;
  id_token: string;
}
