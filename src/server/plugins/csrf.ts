// CSRF: every state-changing request acting with a session must carry the session's token
// (synchronizer token), in the `x-csrf-token` header or a `_csrf` form field. Anonymous
// forms use a double-submit cookie (`maillage_csrf`) checked with `verifyAnonymousCsrf`.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../lib/errors.ts';
import { randomToken } from '../../modules/accounts/accounts.crypto.ts';

export const CSRF_COOKIE = 'maillage_csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function submittedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined;
}

export class CsrfError extends DomainError {
  constructor() {
    super('csrf', 'Jeton de sécurité (CSRF) absent ou invalide : rechargez la page et réessayez.', 403);
  }
}

/**
 * Called by requireAccount: a state-changing request may act with the session's authority
 * only if it carries the session's token. Public routes that ignore the session (the report
 * form, the file validator) are not affected.
 */
export function assertSessionCsrf(request: FastifyRequest, sessionToken: string): void {
  if (SAFE.has(request.method)) return;
  const token = submittedToken(request);
  if (!token || !same(token, sessionToken)) throw new CsrfError();
}

/** The token to put in a form's hidden `_csrf` field: the session's, or a double-submit cookie. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  if (request.account) return request.account.csrfToken;
  let token = request.cookies[CSRF_COOKIE];
  if (!token || token.length < 20 || token.length > 100) {
    token = randomToken();
    reply.setCookie(CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
  }
  return token;
}

/** For anonymous form posts (sign-in, sign-up…): the field must match the cookie. */
export function verifyAnonymousCsrf(request: FastifyRequest): void {
  const cookieToken = request.cookies[CSRF_COOKIE];
  const token = submittedToken(request);
  if (!cookieToken || !token || !same(cookieToken, token)) throw new CsrfError();
}
