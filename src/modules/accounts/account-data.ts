// The account holder's rights over its data: a JSON export of everything held about the
// account, and deletion (sessions closed, e-mail erased, its traces pseudonymised).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { DomainError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { verifyPassword } from './accounts.crypto.ts';
import type { AccountPrincipal } from './authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';

export interface AccountDataDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** What the history of places and merges shows as the actor of a deleted account's writes. */
export const DELETED_ACCOUNT_ACTOR = 'compte supprimé';

const iso = (value: unknown) => (value == null ? null : new Date(value as string).toISOString());
type Row = Record<string, unknown>;
const isoFields = (rows: Row[], fields: string[]) => rows.map((row) => ({ ...row, ...Object.fromEntries(fields.map((f) => [f, iso(row[f])])) }));

/** Everything held about the account; never a secret (password hash, session ids, CSRF or link tokens, key hashes). */
export async function exportAccountData(deps: AccountDataDeps, accountId: string): Promise<Record<string, unknown>> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'role', 'email_verified_at', 'failed_logins', 'locked_until', 'created_at', 'updated_at'])
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!account) throw new NotFoundError('Ce compte n’existe plus.');
  const scopes = await deps.db.selectFrom('account_scopes').select(['kind', 'code']).where('account_id', '=', accountId).orderBy('kind').orderBy('code').execute();
  const sessions = await deps.db.selectFrom('sessions').select(['created_at', 'expires_at']).where('account_id', '=', accountId).orderBy('created_at').execute();
  const audit = await deps.db.selectFrom('audit_log').select(['seq', 'action', 'target_type', 'target_id', 'ip', 'at']).where('account_id', '=', accountId).orderBy('seq').execute();
  // Tables of other modules, read as raw rows so this export does not depend on their types.
  const rows = async (query: ReturnType<typeof sql<Row>>) => (await query.execute(deps.db)).rows;
  const claims = await rows(sql<Row>`SELECT id, lieu_id, status, automatic, message, created_at, decided_at FROM lieu_claims WHERE account_id = ${accountId} ORDER BY created_at`);
  const comments = await rows(sql<Row>`SELECT item_type, item_id, decision, comment, at FROM moderation_comments WHERE account_id = ${accountId} ORDER BY seq`);
  const apiKeys = await rows(sql<Row>`SELECT id, label, prefix, source_ids, created_at, last_used_at, revoked_at FROM api_keys WHERE account_id = ${accountId} ORDER BY created_at`);
  const reminders = await rows(sql<Row>`SELECT lieu_id, status, sent_at, expires_at, used_at FROM freshness_reminders WHERE account_id = ${accountId} ORDER BY sent_at`);
  const reports = await rows(sql<Row>`SELECT id, lieu_id, kind, message, status, created_at FROM reports WHERE lower(email) = ${account.email} ORDER BY created_at`);
  const propositions = await rows(sql<Row>`SELECT id, status, record, created_at, decided_at, comment, lieu_id FROM lieu_propositions WHERE account_id = ${accountId} ORDER BY created_at`);
  return {
    exporte_le: deps.clock.now().toISOString(),
    compte: { ...account, email_verified_at: iso(account.email_verified_at), locked_until: iso(account.locked_until), created_at: iso(account.created_at), updated_at: iso(account.updated_at) },
    perimetres: scopes,
    sessions: isoFields(sessions as Row[], ['created_at', 'expires_at']),
    journal_audit: isoFields(audit.map((a) => ({ ...a, seq: Number(a.seq) })) as Row[], ['at']),
    revendications: isoFields(claims, ['created_at', 'decided_at']),
    commentaires_moderation: isoFields(comments, ['at']),
    cles_api: isoFields(apiKeys, ['created_at', 'last_used_at', 'revoked_at']),
    rappels_fraicheur: isoFields(reminders, ['sent_at', 'expires_at', 'used_at']),
    signalements: isoFields(reports, ['created_at']),
    lieux_proposes: isoFields(propositions, ['created_at', 'decided_at']),
  };
}

/**
 * Deletes the account after re-checking its password, in one transaction: the account row and
 * what cascades from it (sessions, tokens, scopes, claims, proposed places, API keys, reminders) are removed; the
 * audit entries lose their account and IP; the history of places keeps « compte supprimé » as
 * actor; the e-mail left on public reports is erased. The last administrateur cannot leave.
 */
export async function deleteAccount(deps: AccountDataDeps, account: AccountPrincipal, rawPassword: unknown): Promise<void> {
  const password = typeof rawPassword === 'string' ? rawPassword : '';
  const row = await deps.db.selectFrom('accounts').select(['id', 'email', 'role', 'password_hash']).where('id', '=', account.id).executeTakeFirst();
  if (!row) throw new NotFoundError('Ce compte n’existe plus.');
  if (!password || !(await verifyPassword(row.password_hash, password))) {
    const message = 'Mot de passe incorrect : le compte n’a pas été supprimé.';
    throw new ValidationError([{ field: 'password', message }], message);
  }
  await deps.db.transaction().execute(async (trx) => {
    if (row.role === 'administrateur') {
      // Locks the administrators' rows: two last administrators cannot both leave at once.
      const admins = await trx.selectFrom('accounts').select('id').where('role', '=', 'administrateur').forUpdate().execute();
      if (admins.length <= 1) {
        throw new DomainError('last_admin', 'Vous êtes le dernier administrateur : nommez d’abord un autre administrateur, puis supprimez votre compte.', 409);
      }
    }
    await trx.updateTable('lieu_versions').set({ actor_id: DELETED_ACCOUNT_ACTOR }).where('actor_kind', '=', 'account').where('actor_id', '=', row.id).execute();
    await sql`UPDATE lieu_merges SET actor_id = ${DELETED_ACCOUNT_ACTOR} WHERE actor_kind = 'account' AND actor_id = ${row.id}`.execute(trx);
    await sql`UPDATE lieu_merges SET split_actor_id = ${DELETED_ACCOUNT_ACTOR} WHERE split_actor_kind = 'account' AND split_actor_id = ${row.id}`.execute(trx);
    await trx.updateTable('audit_log').set({ account_id: null, ip: null }).where('account_id', '=', row.id).execute();
    await trx.updateTable('audit_log').set({ target_id: null }).where('target_type', '=', 'account').where('target_id', '=', row.id).execute();
    await sql`UPDATE reports SET email = NULL WHERE lower(email) = ${row.email}`.execute(trx);
    await trx.deleteFrom('accounts').where('id', '=', row.id).execute();
    await recordAudit(trx, deps.clock, { account_id: null, action: 'account.delete', target_type: 'account', target_id: null, ip: null });
  });
}
