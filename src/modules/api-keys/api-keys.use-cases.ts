// API keys of réseau and administrateur accounts, for the network API only. A key is a random
// 256-bit token with a recognisable prefix (`mlg_`, so that secret scanners and people spot
// it); only its SHA-256 is stored, and the token is shown once, at creation.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.ts';
import { sha256 } from '../accounts/accounts.crypto.ts';
import { ForbiddenError, UnauthorizedError, assertSourceAuthorized, authorizeSource, type AccountPrincipal } from '../accounts/authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import './api-keys.tables.ts';

export type ApiKeysDeps = { db: Kysely<Database>; clock: Clock };

export const apiKeyPrefix = 'mlg_';
const TOKEN = /^mlg_[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApiKey {
  id: string;
  label: string;
  /** First characters of the token, enough to tell keys apart, useless to an attacker. */
  prefix: string;
  /** null: every source the account may write. */
  source_ids: string[] | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** What a request authenticated by an API key may act as. */
export interface ApiKeyPrincipal {
  account: AccountPrincipal;
  key: { id: string; source_ids: string[] | null };
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function newApiKeyToken(): string {
  return `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
}

export async function createApiKeyAs(
  deps: ApiKeysDeps,
  account: AccountPrincipal,
  input: { label?: string; source_ids?: string[] },
  ip: string | null,
): Promise<{ key: ApiKey; token: string }> {
  assertSourceAuthorized(account, 'source.list');
  const errors: FieldError[] = [];
  const label = (input.label ?? '').trim();
  if (label === '' || label.length > 100) {
    errors.push({ field: 'label', value: label, message: 'Le libellé de la clé est obligatoire (100 caractères au plus), par exemple « Export nocturne du SI ».' });
  }
  const sourceIds = [...new Set((input.source_ids ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))];
  for (const id of sourceIds) {
    const exists = UUID.test(id) && (await deps.db.selectFrom('sources').select('id').where('id', '=', id).executeTakeFirst());
    if (!exists || !authorizeSource(account, 'source.sync', id).allowed) {
      errors.push({ field: 'source_ids', value: id, message: `La source « ${id} » n’existe pas ou n’est pas rattachée à votre compte.` });
    }
  }
  if (errors.length > 0) throw new ValidationError(errors, 'La clé n’a pas été créée : certains champs ne sont pas valides.');
  const token = newApiKeyToken();
  const now = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('api_keys')
      .values({ id: randomUUID(), account_id: account.id, label, key_hash: sha256(token), prefix: token.slice(0, 10), source_ids: sourceIds.length ? sourceIds : null, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, deps.clock, { account_id: account.id, action: 'api_key.create', target_type: 'api_key', target_id: inserted.id, ip });
    return inserted;
  });
  return { key: toApiKey(row), token };
}

function toApiKey(row: { id: string; label: string; prefix: string; source_ids: string[] | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }): ApiKey {
  return { id: row.id, label: row.label, prefix: row.prefix, source_ids: row.source_ids, created_at: iso(row.created_at)!, last_used_at: iso(row.last_used_at), revoked_at: iso(row.revoked_at) };
}

/** The account's own keys, newest first (revoked ones too: they explain a 401). */
export async function listApiKeysAs(deps: Pick<ApiKeysDeps, 'db'>, account: AccountPrincipal): Promise<ApiKey[]> {
  assertSourceAuthorized(account, 'source.list');
  const rows = await deps.db
    .selectFrom('api_keys')
    .select(['id', 'label', 'prefix', 'source_ids', 'created_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', account.id)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(toApiKey);
}

/** Revokes one of the account's keys (again: no change). Another account's key is "not found". */
export async function revokeApiKeyAs(deps: ApiKeysDeps, account: AccountPrincipal, id: string, ip: string | null): Promise<ApiKey> {
  assertSourceAuthorized(account, 'source.list');
  const found = UUID.test(id) ? await deps.db.selectFrom('api_keys').selectAll().where('id', '=', id.toLowerCase()).where('account_id', '=', account.id).executeTakeFirst() : undefined;
  if (!found) throw new NotFoundError('Cette clé d’API n’existe pas ou n’appartient pas à votre compte.');
  if (found.revoked_at !== null) return toApiKey(found);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('api_keys').set({ revoked_at: deps.clock.now() }).where('id', '=', found.id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, deps.clock, { account_id: account.id, action: 'api_key.revoke', target_type: 'api_key', target_id: found.id, ip });
    return toApiKey(row);
  });
}

/**
 * The account behind an `Authorization: Bearer mlg_…` header, or a 401 saying what is wrong.
 * Only the hash is looked up; the account's role and scopes are read now, so a scope removed
 * since the key was made no longer applies.
 */
export async function authenticateApiKey(deps: ApiKeysDeps, authorization: string | undefined): Promise<ApiKeyPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedError('Clé d’API absente : envoyez l’en-tête « Authorization: Bearer <clé> » avec une clé créée dans votre espace (Mon compte › Clés d’API).');
  const token = match[1]!;
  const row = TOKEN.test(token)
    ? await deps.db
        .selectFrom('api_keys')
        .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
        .select(['api_keys.id', 'api_keys.source_ids', 'api_keys.revoked_at', 'accounts.id as account_id', 'accounts.role'])
        .where('api_keys.key_hash', '=', sha256(token))
        .executeTakeFirst()
    : undefined;
  if (!row) throw new UnauthorizedError('Clé d’API inconnue : vérifiez qu’elle est copiée en entier (elle commence par « mlg_ »).');
  if (row.revoked_at !== null) throw new UnauthorizedError('Cette clé d’API a été révoquée : créez-en une nouvelle dans votre espace (Mon compte › Clés d’API).');
  const scopes = await deps.db.selectFrom('account_scopes').select(['kind', 'code']).where('account_id', '=', row.account_id).execute();
  await deps.db.updateTable('api_keys').set({ last_used_at: deps.clock.now() }).where('id', '=', row.id).execute();
  return { account: { id: row.account_id, role: row.role, scopes }, key: { id: row.id, source_ids: row.source_ids } };
}

/** The key may push to the source: its account may write it, and the key is not restricted to others. */
export function assertKeyMayPush(principal: ApiKeyPrincipal, sourceId: string): void {
  assertSourceAuthorized(principal.account, 'source.sync', sourceId);
  if (principal.key.source_ids !== null && !principal.key.source_ids.includes(sourceId)) {
    throw new ForbiddenError('cette clé d’API est limitée à d’autres sources que celle-ci.');
  }
}
