// ProConnect sign-in (OpenID Connect, authorization code flow with PKCE, state and nonce),
// through openid-client. The provider's metadata is discovered at first use and kept; a
// failed discovery is retried at the next sign-in. Flow secrets live in `proconnect_flows`
// (10 minutes, single use), keyed by the SHA-256 of the state the browser keeps in a cookie.
import * as oidc from 'openid-client';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ProConnectConfig } from '../../server/config.ts';
import { DomainError } from '../../lib/errors.ts';
import { randomToken, sha256 } from './accounts.crypto.ts';
import { openSession, type NewSession } from './accounts.use-cases.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';

/** The scopes ProConnect asks its partners to request for an agent's identity. */
export const PROCONNECT_SCOPES = 'openid email given_name usual_name siret uid';
export const FLOW_TTL_MS = 10 * 60_000;
/** No password can match this: accounts created by ProConnect sign in only through it (or a reset link). */
export const NO_PASSWORD = '!proconnect';

export class ProConnectError extends DomainError {}

const unavailable = () =>
  new ProConnectError('proconnect_unavailable', 'ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, ou connectez-vous avec votre adresse e-mail et votre mot de passe.', 503);
const expired = () =>
  new ProConnectError('proconnect_state', 'Cette connexion ProConnect a expiré ou n’a pas été commencée dans ce navigateur : recommencez depuis la page de connexion.', 400);

export interface ProConnectDeps {
  db: Kysely<Database>;
  clock: Clock;
  config: ProConnectConfig;
}

/** What Maillage keeps from the identity ProConnect returns. */
export interface ProConnectIdentity {
  sub: string;
  email: string;
  given_name?: string;
  usual_name?: string;
  siret?: string;
}

export class ProConnectClient {
  #configuration: Promise<oidc.Configuration> | null = null;

  constructor(readonly deps: ProConnectDeps) {}

  /** Discovery once; a failure is not cached, so the next sign-in tries again. */
  configuration(): Promise<oidc.Configuration> {
    if (!this.#configuration) {
      const { issuer, clientId, clientSecret } = this.deps.config;
      const url = new URL(issuer);
      const local = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      this.#configuration = oidc
        .discovery(
          url,
          clientId,
          // ProConnect signs id_tokens and userinfo responses (a JWT) with RS256.
          { client_secret: clientSecret, id_token_signed_response_alg: 'RS256', userinfo_signed_response_alg: 'RS256' },
          oidc.ClientSecretPost(clientSecret),
          // Plain http only for a provider on this machine (tests, local development).
          { timeout: 10, ...(local ? { execute: [oidc.allowInsecureRequests] } : {}) },
        )
        .catch((error: unknown) => {
          this.#configuration = null;
          throw error;
        });
    }
    return this.#configuration.catch(() => {
      throw unavailable();
    });
  }

  /** Starts a sign-in: the provider URL to send the browser to, and the state for its cookie. */
  async start(): Promise<{ url: string; state: string }> {
    const configuration = await this.configuration();
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const now = this.deps.clock.now();
    await this.deps.db.deleteFrom('proconnect_flows').where('expires_at', '<=', now).execute();
    await this.deps.db
      .insertInto('proconnect_flows')
      .values({ state_hash: sha256(state), code_verifier: codeVerifier, nonce, expires_at: new Date(now.getTime() + FLOW_TTL_MS) })
      .execute();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.deps.config.redirectUri,
      scope: PROCONNECT_SCOPES,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, state };
  }

  /**
   * Ends a sign-in: checks the returned state against the browser's cookie, consumes the flow
   * (once), exchanges the code (PKCE, nonce, id_token signature) and reads the userinfo.
   */
  async finish(query: Record<string, string>, cookieState: string | undefined): Promise<{ identity: ProConnectIdentity; idToken: string }> {
    if (query.error) {
      const detail = query.error === 'access_denied' ? 'vous avez annulé la connexion ou elle a été refusée' : `erreur « ${query.error.slice(0, 80)} »`;
      throw new ProConnectError('proconnect_refused', `ProConnect n’a pas pu vous identifier (${detail}) : recommencez, ou connectez-vous avec votre adresse e-mail et votre mot de passe.`, 400);
    }
    if (!query.state || !cookieState || query.state !== cookieState) throw expired();
    const flow = await this.deps.db
      .deleteFrom('proconnect_flows')
      .where('state_hash', '=', sha256(query.state))
      .where('expires_at', '>', this.deps.clock.now())
      .returning(['code_verifier', 'nonce'])
      .executeTakeFirst();
    if (!flow) throw expired();
    const configuration = await this.configuration();
    const currentUrl = new URL(this.deps.config.redirectUri);
    for (const [name, value] of Object.entries(query)) currentUrl.searchParams.set(name, value);
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.code_verifier,
        expectedState: query.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      const email = typeof info.email === 'string' ? info.email.trim().toLowerCase() : '';
      if (!email) throw new ProConnectError('proconnect_email', 'ProConnect n’a pas transmis votre adresse e-mail : la connexion ne peut pas aboutir.', 502);
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      return {
        identity: { sub: claims.sub, email, given_name: text(info.given_name), usual_name: text(info.usual_name), siret: text(info.siret) },
        idToken: tokens.id_token!,
      };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new ProConnectError('proconnect_failed', 'La réponse de ProConnect n’a pas pu être vérifiée : recommencez la connexion. Si le problème persiste, connectez-vous avec votre adresse e-mail et votre mot de passe.', 502);
    }
  }

  /** The provider's sign-out URL for a session opened through ProConnect, or null. */
  async logoutUrl(sessionId: string): Promise<string | null> {
    const row = await this.deps.db.selectFrom('proconnect_sessions').select('id_token').where('session_id_hash', '=', sha256(sessionId)).executeTakeFirst();
    if (!row) return null;
    try {
      const configuration = await this.configuration();
      if (!configuration.serverMetadata().end_session_endpoint) return null;
      return oidc
        .buildEndSessionUrl(configuration, { id_token_hint: row.id_token, post_logout_redirect_uri: this.deps.config.postLogoutRedirectUri, state: randomToken() })
        .href;
    } catch {
      return null; // provider down: the local sign-out still happens
    }
  }
}

/**
 * The account of a ProConnect identity: the one linked to its `sub`; else the account with the
 * same e-mail (ProConnect has verified it), now linked; else a new `agent_territorial` account
 * with no territory yet (a moderator or an administrator sets it). Then a session is opened.
 */
export async function signInWithProConnect(
  deps: Pick<ProConnectDeps, 'db' | 'clock'>,
  identity: ProConnectIdentity,
  idToken: string,
  ip: string | null,
): Promise<NewSession & { created: boolean }> {
  const now = deps.clock.now();
  const { accountId, created } = await deps.db.transaction().execute(async (trx) => {
    const linked = await trx.selectFrom('proconnect_links').select('account_id').where('sub', '=', identity.sub).executeTakeFirst();
    if (linked) {
      await trx.updateTable('proconnect_links').set({ last_login_at: now }).where('sub', '=', identity.sub).execute();
      return { accountId: linked.account_id, created: false };
    }
    const existing = await trx.selectFrom('accounts').select(['id', 'email_verified_at']).where('email', '=', identity.email).executeTakeFirst();
    let id: string;
    if (existing) {
      id = existing.id;
      const already = await trx.selectFrom('proconnect_links').select('sub').where('account_id', '=', id).executeTakeFirst();
      if (already) throw new ProConnectError('proconnect_conflict', 'Votre compte Maillage est déjà relié à une autre identité ProConnect : contactez l’équipe de modération.', 409);
      if (!existing.email_verified_at) {
        // Unconfirmed sign-up with this address: whoever chose its password never proved owning
        // the address, so that password and its sessions go; ProConnect has proved it.
        await trx.updateTable('accounts').set({ password_hash: NO_PASSWORD, email_verified_at: now, updated_at: now }).where('id', '=', id).execute();
        await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
      }
    } else {
      id = crypto.randomUUID();
      await trx
        .insertInto('accounts')
        .values({ id, email: identity.email, password_hash: NO_PASSWORD, role: 'agent_territorial', email_verified_at: now, created_at: now, updated_at: now })
        .execute();
      await recordAudit(trx, deps.clock, { account_id: id, action: 'account.create.proconnect', target_type: 'account', target_id: id, ip });
    }
    await trx.insertInto('proconnect_links').values({ sub: identity.sub, account_id: id, linked_at: now, last_login_at: now }).execute();
    await recordAudit(trx, deps.clock, { account_id: id, action: 'account.link.proconnect', target_type: 'account', target_id: id, ip });
    return { accountId: id, created: !existing };
  });
  const session = await openSession(deps, accountId);
  await deps.db.insertInto('proconnect_sessions').values({ session_id_hash: sha256(session.sessionId), id_token: idToken }).execute();
  return { ...session, created };
}
