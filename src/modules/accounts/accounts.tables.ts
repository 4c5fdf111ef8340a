// Kysely types of the accounts tables (migration 0008_accounts).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Role = 'gestionnaire' | 'reseau' | 'agent_territorial' | 'moderateur' | 'administrateur';
export type ScopeKind = 'lieu' | 'source' | 'commune' | 'epci' | 'departement' | 'region';

export interface AccountsTable {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  email_verified_at: NullableTimestamp;
  failed_logins: Generated<number>;
  first_failed_at: NullableTimestamp;
  locked_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountScopesTable {
  account_id: string;
  kind: ScopeKind;
  code: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AccountTokensTable {
  token_hash: string;
  account_id: string;
  purpose: 'verify' | 'reset';
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface AuditLogTable {
  seq: Generated<string>;
  account_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  ip: string | null;
  at: Timestamp;
}
