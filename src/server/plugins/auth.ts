// Sessions: an opaque random id in an httpOnly, SameSite=Lax cookie (Secure behind https),
// looked up in PostgreSQL on each request carrying it. Routes read `request.account`.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.ts';
import type { AppDeps } from '../deps.ts';
import { DomainError } from '../../lib/errors.ts';
import { findSession, type NewSession, type SessionAccount } from '../../modules/accounts/accounts.use-cases.ts';
import { UnauthorizedError } from '../../modules/accounts/authorize.ts';
import { assertSessionCsrf } from './csrf.ts';

export const SESSION_COOKIE = 'maillage_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, or null. */
    account: SessionAccount | null;
    /** The raw session id of the cookie, when it designates a live session. */
    sessionId: string | null;
  }
}

export async function registerAuth(app: App, deps: Pick<AppDeps, 'db' | 'clock' | 'config'>): Promise<void> {
  await app.register(cookie);
  // Only routes that opt in (config.rateLimit) are limited: sign-in, sign-up, reset.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new DomainError('rate_limited', 'Trop de tentatives depuis votre adresse : réessayez dans une minute.', 429),
  });
  app.decorateRequest('account', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request) => {
    const id = request.cookies[SESSION_COOKIE];
    if (!id) return;
    const account = await findSession(deps, id);
    if (account) {
      request.account = account;
      request.sessionId = id;
    }
  });
}

/** The route's rate-limit config for sign-in, sign-up and reset: per IP, per minute. */
export function authRateLimit(deps: Pick<AppDeps, 'config'>) {
  return { rateLimit: { max: deps.config.authRateLimitPerMinute, timeWindow: 60_000 } };
}

/** The signed-in account (401 otherwise); for a write, only with the session's CSRF token. */
export function requireAccount(request: FastifyRequest): SessionAccount {
  if (!request.account) throw new UnauthorizedError();
  assertSessionCsrf(request, request.account.csrfToken);
  return request.account;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
  reply.setCookie(SESSION_COOKIE, session.sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}
