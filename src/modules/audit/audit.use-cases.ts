// The audit log of writes made through accounts: who (account id), what, on what, when, from
// which IP. No e-mail or other personal data beyond the account id and the IP.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { inTransaction } from '../../db/join-transaction.ts';
import { assertAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';

export interface AuditEntry {
  account_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  ip: string | null;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  at: string;
}

export async function recordAudit(db: Kysely<Database> | Transaction<Database>, clock: Clock, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({ ...entry, at: clock.now() }).execute();
}

/**
 * Runs a write and records its audit entry in the same transaction: a write that fails leaves
 * no entry, and an entry never exists without its write. `write` gets a handle on which the
 * use cases' own `transaction()` joins the outer one.
 */
export async function auditedWrite<T>(
  deps: { db: Kysely<Database> | Transaction<Database>; clock: Clock },
  write: (db: Kysely<Database>) => Promise<T>,
  entryOf: (result: T) => AuditEntry,
): Promise<T> {
  return inTransaction(deps.db, async (trx) => {
    const result = await write(trx);
    await recordAudit(trx, deps.clock, entryOf(result));
    return result;
  });
}

export interface AuditQuery {
  /** Entries strictly before this sequence number (paging backwards from the newest). */
  before?: number;
  limit?: number;
  account_id?: string;
}

export async function listAudit(db: Kysely<Database>, account: AccountPrincipal, query: AuditQuery = {}): Promise<AuditRecord[]> {
  assertAuthorized(account, 'audit.read');
  let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(Math.min(query.limit ?? 100, 500));
  if (query.before !== undefined) q = q.where('seq', '<', String(query.before));
  if (query.account_id) q = q.where('account_id', '=', query.account_id);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() }));
}
