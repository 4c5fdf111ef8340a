// ProConnect routes, registered only when MAILLAGE_PROCONNECT_ISSUER is set (otherwise they
// do not exist: 404): GET /connexion/proconnect sends the browser to the provider, and
// GET /connexion/proconnect/retour is where it comes back. Any failure is a French page.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { authRateLimit, setSessionCookie } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError } from '../../lib/errors.ts';
import { FLOW_TTL_MS, ProConnectClient, signInWithProConnect } from './proconnect.ts';
import { ProConnectErrorPage } from './proconnect.views.tsx';

export const STATE_COOKIE = 'maillage_proconnect';
const CALLBACK_PATH = '/connexion/proconnect/retour';

declare module 'fastify' {
  interface FastifyInstance {
    /** The ProConnect client, or null when ProConnect is not configured. */
    proconnect: ProConnectClient | null;
  }
}

export async function registerProConnectPages(app: App, deps: AppDeps): Promise<void> {
  const config = deps.config.proconnect;
  const client = config ? new ProConnectClient({ db: deps.db, clock: deps.clock, config }) : null;
  app.decorate('proconnect', client);
  if (!client) return;

  const hide = { schema: { hide: true } };
  const fail = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof DomainError)) throw error;
    return sendHtml(reply, h(ProConnectErrorPage, { ctx: pageContext(request), message: error.message }), error.status);
  };
  const cookieOptions = (request: FastifyRequest) => ({
    // The state cookie comes back on the provider's top-level redirect: SameSite=Lax is enough.
    path: CALLBACK_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  });

  app.get('/connexion/proconnect', { ...hide, config: authRateLimit(deps) }, async (request, reply) => {
    if (request.account) return reply.redirect('/compte', 303);
    try {
      const { url, state } = await client.start();
      reply.setCookie(STATE_COOKIE, state, { ...cookieOptions(request), maxAge: FLOW_TTL_MS / 1000 });
      return reply.redirect(url, 303);
    } catch (error) {
      return fail(request, reply, error);
    }
  });

  app.get(CALLBACK_PATH, hide, async (request, reply) => {
    const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const cookieState = request.cookies[STATE_COOKIE];
    reply.clearCookie(STATE_COOKIE, cookieOptions(request));
    try {
      const { identity, idToken } = await client.finish(query, cookieState);
      const session = await signInWithProConnect(deps, identity, idToken, request.ip);
      setSessionCookie(request, reply, session);
      return reply.redirect('/compte', 303);
    } catch (error) {
      return fail(request, reply, error);
    }
  });
}
