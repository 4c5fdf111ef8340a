// Accounts: sign-up, e-mail verification, sign-in with lockout, sessions, password reset.
// Link tokens and session ids are random; only their SHA-256 is stored.
import { randomUUID } from 'node:crypto';
import validator from 'validator';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { DomainError, ValidationError, type FieldError } from '../../lib/errors.ts';
import { hashPassword, randomToken, sha256, verifyPassword } from './accounts.crypto.ts';
import type { Role, ScopeKind } from './accounts.tables.ts';
import type { AccountPrincipal, Scope } from './authorize.ts';
import { UnauthorizedError } from './authorize.ts';
import { verificationEmail, resetEmail } from './accounts.emails.ts';

export interface AccountsDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  publicUrl: string;
}

export const roles: Role[] = ['gestionnaire', 'reseau', 'agent_territorial', 'moderateur', 'administrateur'];
export const scopeKinds: ScopeKind[] = ['lieu', 'source', 'commune', 'epci', 'departement', 'region'];

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
const TOKEN_TTL_MS = { verify: 48 * 3600_000, reset: 3600_000 };

export interface SessionAccount extends AccountPrincipal {
  email: string;
  csrfToken: string;
}

function checkEmail(raw: unknown, errors: FieldError[]): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email) errors.push({ field: 'email', message: 'L’adresse e-mail est obligatoire.' });
  else if (email.length > 254 || !validator.isEmail(email)) errors.push({ field: 'email', message: 'L’adresse e-mail n’est pas valide.' });
  return email;
}

function checkPassword(raw: unknown, errors: FieldError[], field = 'password'): string {
  const password = typeof raw === 'string' ? raw : '';
  if (password.length < 12) errors.push({ field, message: 'Le mot de passe doit contenir au moins 12 caractères.' });
  else if (password.length > 256) errors.push({ field, message: 'Le mot de passe doit contenir au plus 256 caractères.' });
  return password;
}

async function issueToken(deps: AccountsDeps, accountId: string, purpose: 'verify' | 'reset'): Promise<string> {
  const token = randomToken();
  await deps.db
    .insertInto('account_tokens')
    .values({ token_hash: sha256(token), account_id: accountId, purpose, expires_at: new Date(deps.clock.now().getTime() + TOKEN_TTL_MS[purpose]) })
    .execute();
  return token;
}

/** Consumes a link token once; refuses unknown, used or expired ones with the same message. */
async function consumeToken(deps: AccountsDeps, token: unknown, purpose: 'verify' | 'reset'): Promise<string> {
  const invalid = new DomainError('invalid_token', 'Ce lien n’est pas valide ou a expiré : demandez-en un nouveau.', 400);
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw invalid;
  const now = deps.clock.now();
  const row = await deps.db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', sha256(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('account_id')
    .executeTakeFirst();
  if (!row) throw invalid;
  return row.account_id;
}

export interface NewAccount {
  email: unknown;
  password: unknown;
}

/** Public sign-up: a place manager with no place yet, who must confirm the address first. */
export async function signUp(deps: AccountsDeps, input: NewAccount): Promise<{ id: string }> {
  const errors: FieldError[] = [];
  const email = checkEmail(input.email, errors);
  const password = checkPassword(input.password, errors);
  if (errors.length) throw new ValidationError(errors, 'Le compte n’a pas été créé : certains champs ne sont pas valides.');
  const existing = await deps.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new ValidationError([{ field: 'email', message: 'Un compte existe déjà avec cette adresse e-mail.' }], 'Le compte n’a pas été créé.');
  const id = await insertAccount(deps, { email, passwordHash: await hashPassword(password), role: 'gestionnaire', scopes: [], verified: false });
  await sendVerification(deps, id, email);
  return { id };
}

export async function sendVerification(deps: AccountsDeps, accountId: string, email: string): Promise<void> {
  const token = await issueToken(deps, accountId, 'verify');
  await deps.mailer.send({ to: email, ...verificationEmail(`${deps.publicUrl}/compte/verifier?jeton=${token}`) });
}

async function insertAccount(
  deps: AccountsDeps,
  a: { email: string; passwordHash: string; role: Role; scopes: Scope[]; verified: boolean },
): Promise<string> {
  const id = randomUUID();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({ id, email: a.email, password_hash: a.passwordHash, role: a.role, email_verified_at: a.verified ? now : null, created_at: now, updated_at: now })
      .execute();
    if (a.scopes.length) await trx.insertInto('account_scopes').values(a.scopes.map((s) => ({ account_id: id, kind: s.kind, code: s.code }))).execute();
  });
  return id;
}

/**
 * Operator bootstrap (CLI): a verified account of any role with its scopes; no password is
 * chosen here, the returned link lets its owner set one (also sent by e-mail).
 */
export async function createAccountByOperator(
  deps: AccountsDeps,
  input: { email: unknown; role: unknown; scopes: Scope[] },
): Promise<{ id: string; resetLink: string }> {
  const errors: FieldError[] = [];
  const email = checkEmail(input.email, errors);
  if (!roles.includes(input.role as Role)) errors.push({ field: 'role', message: `Le rôle doit être l’un de : ${roles.join(', ')}.` });
  const role = input.role as Role;
  if (role === 'agent_territorial' && !input.scopes.some((s) => ['commune', 'epci', 'departement', 'region'].includes(s.kind))) {
    errors.push({ field: 'territoire', message: 'Un agent territorial doit avoir un territoire (--territoire type:code).' });
  }
  if (role === 'gestionnaire' && !input.scopes.some((s) => s.kind === 'lieu')) {
    errors.push({ field: 'lieu', message: 'Un gestionnaire de lieu doit gérer au moins un lieu (--lieu ID).' });
  }
  if (errors.length) throw new ValidationError(errors, 'Le compte n’a pas été créé : certains champs ne sont pas valides.');
  const existing = await deps.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) throw new ValidationError([{ field: 'email', message: 'Un compte existe déjà avec cette adresse e-mail.' }], 'Le compte n’a pas été créé.');
  // An unguessable password nobody knows: the owner sets theirs through the link.
  const id = await insertAccount(deps, { email, passwordHash: await hashPassword(randomToken()), role, scopes: input.scopes, verified: true });
  const token = await issueToken(deps, id, 'reset');
  const resetLink = `${deps.publicUrl}/mot-de-passe/nouveau?jeton=${token}`;
  await deps.mailer.send({ to: email, ...resetEmail(resetLink) });
  return { id, resetLink };
}

export async function verifyEmail(deps: AccountsDeps, token: unknown): Promise<void> {
  const accountId = await consumeToken(deps, token, 'verify');
  await deps.db.updateTable('accounts').set({ email_verified_at: deps.clock.now(), updated_at: deps.clock.now() }).where('id', '=', accountId).execute();
}

/** Always answers the same, whether the address has an account or not (no enumeration). */
export async function requestPasswordReset(deps: AccountsDeps, rawEmail: unknown): Promise<void> {
  const errors: FieldError[] = [];
  const email = checkEmail(rawEmail, errors);
  if (errors.length) throw new ValidationError(errors);
  const account = await deps.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
  if (!account) return;
  const token = await issueToken(deps, account.id, 'reset');
  await deps.mailer.send({ to: email, ...resetEmail(`${deps.publicUrl}/mot-de-passe/nouveau?jeton=${token}`) });
}

/** Sets the new password, unlocks the account and closes every open session. */
export async function resetPassword(deps: AccountsDeps, token: unknown, password: unknown): Promise<void> {
  const errors: FieldError[] = [];
  const checked = checkPassword(password, errors);
  if (errors.length) throw new ValidationError(errors);
  const accountId = await consumeToken(deps, token, 'reset');
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ password_hash: await hashPassword(checked), failed_logins: 0, first_failed_at: null, locked_until: null, email_verified_at: now, updated_at: now })
      .where('id', '=', accountId)
      .execute();
    await trx.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  });
}

export interface NewSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  accountId: string;
}

const badCredentials = () => new UnauthorizedError('Adresse e-mail ou mot de passe incorrect.');

export async function login(deps: AccountsDeps, rawEmail: unknown, rawPassword: unknown): Promise<NewSession> {
  const email = typeof rawEmail === 'string' ? rawEmail.trim().toLowerCase() : '';
  const password = typeof rawPassword === 'string' ? rawPassword : '';
  const now = deps.clock.now();
  const account = await deps.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
  if (!account) {
    await hashPassword(password); // same cost as a real check: timing does not reveal accounts
    throw badCredentials();
  }
  if (account.locked_until && account.locked_until > now) {
    throw new DomainError('locked', 'Trop de tentatives de connexion : ce compte est verrouillé pendant 15 minutes. Vous pouvez aussi réinitialiser votre mot de passe.', 429);
  }
  if (!(await verifyPassword(account.password_hash, password))) {
    const windowOpen = account.first_failed_at && now.getTime() - account.first_failed_at.getTime() < FAILURE_WINDOW_MS;
    const failures = windowOpen ? account.failed_logins + 1 : 1;
    await deps.db
      .updateTable('accounts')
      .set({
        failed_logins: failures,
        first_failed_at: windowOpen ? account.first_failed_at : now,
        locked_until: failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null,
      })
      .where('id', '=', account.id)
      .execute();
    throw badCredentials();
  }
  if (!account.email_verified_at) {
    throw new DomainError('unverified', 'Confirmez d’abord votre adresse e-mail avec le lien reçu par e-mail.', 403);
  }
  await deps.db.updateTable('accounts').set({ failed_logins: 0, first_failed_at: null, locked_until: null }).where('id', '=', account.id).execute();
  return openSession(deps, account.id);
}

export async function openSession(deps: Pick<AccountsDeps, 'db' | 'clock'>, accountId: string): Promise<NewSession> {
  const sessionId = randomToken();
  const csrfToken = randomToken();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Expired sessions and link tokens of the account are of no use: drop them here.
  await deps.db.deleteFrom('sessions').where('account_id', '=', accountId).where('expires_at', '<=', now).execute();
  await deps.db.deleteFrom('account_tokens').where('account_id', '=', accountId).where('expires_at', '<=', now).execute();
  await deps.db.insertInto('sessions').values({ id_hash: sha256(sessionId), account_id: accountId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt }).execute();
  return { sessionId, csrfToken, expiresAt, accountId };
}

export async function findSession(deps: Pick<AccountsDeps, 'db' | 'clock'>, sessionId: string): Promise<SessionAccount | null> {
  if (sessionId.length < 20 || sessionId.length > 100) return null;
  const row = await deps.db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['accounts.id', 'accounts.email', 'accounts.role', 'sessions.csrf_token'])
    .where('sessions.id_hash', '=', sha256(sessionId))
    .where('sessions.expires_at', '>', deps.clock.now())
    .executeTakeFirst();
  if (!row) return null;
  const scopes = await deps.db.selectFrom('account_scopes').select(['kind', 'code']).where('account_id', '=', row.id).execute();
  return { id: row.id, email: row.email, role: row.role, scopes, csrfToken: row.csrf_token };
}

export async function logout(deps: Pick<AccountsDeps, 'db'>, sessionId: string): Promise<void> {
  await deps.db.deleteFrom('sessions').where('id_hash', '=', sha256(sessionId)).execute();
}

/** Parses `type:code` territory options (commune:75056, epci:200054781, departement:75, region:11). */
export function parseTerritory(raw: string): Scope {
  const match = /^(commune|epci|departement|region):([0-9AB]{2,9})$/i.exec(raw.trim());
  if (!match) {
    throw new ValidationError([{ field: 'territoire', message: `« ${raw} » n’est pas un territoire : écrivez type:code, par exemple departement:69 ou commune:69123.`, value: raw }]);
  }
  return { kind: match[1]!.toLowerCase() as ScopeKind, code: match[2]!.toUpperCase() };
}
