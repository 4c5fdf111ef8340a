// Back-office pages of API keys (réseau and administrateur accounts): list, creation (the key
// is shown on the creation response only, never stored in clear) and revocation. Also
// registers the network API that the keys open.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { ValidationError } from '../../lib/errors.ts';
import { listSourcesFor } from '../sources/sources.back-office.ts';
import type { SessionAccount } from '../accounts/accounts.use-cases.ts';
import { createApiKeyAs, listApiKeysAs, revokeApiKeyAs } from './api-keys.use-cases.ts';
import { ApiKeysPage, type ApiKeysPageProps } from './views/api-keys-pages.tsx';
import { registerNetworkApi } from './network.api.ts';

export async function registerApiKeys(app: App, deps: AppDeps): Promise<void> {
  await registerNetworkApi(app, deps);
  await app.register(async (scope) => {
    // Repeated fields (source_ids) stay lists.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      const params = new URLSearchParams(String(body));
      done(null, { _csrf: params.get('_csrf') ?? '', label: params.get('label') ?? '', source_ids: params.getAll('source_ids') });
    });
    const hide = { schema: { hide: true } };
    // A page that may show a secret is never stored by a browser or a proxy.
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('cache-control', 'no-store');
      return payload;
    });

    const render = async (request: FastifyRequest, reply: FastifyReply, account: SessionAccount, extra: Partial<ApiKeysPageProps> = {}, status = 200) => {
      const [keys, sources] = await Promise.all([listApiKeysAs(deps, account), listSourcesFor(deps, account)]);
      return sendHtml(reply, h(ApiKeysPage, { ctx: pageContext(request), csrf: account.csrfToken, baseUrl: deps.config.publicUrl, keys, sources: sources.map((s) => ({ id: s.id, name: s.name })), ...extra }), status);
    };

    scope.get<{ Querystring: { info?: string } }>('/compte/cles-api', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      return render(request, reply, request.account, request.query.info === 'revoquee' ? { notice: 'La clé est révoquée : elle ne permet plus aucun envoi.' } : {});
    });

    scope.post('/compte/cles-api', hide, async (request, reply) => {
      const account = requireAccount(request);
      const body = request.body as { label: string; source_ids: string[] };
      try {
        const created = await createApiKeyAs(deps, account, body, request.ip);
        return await render(request, reply, account, { created }, 201);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return render(request, reply, account, { error: error.message, errors: error.errors, values: body }, 400);
      }
    });

    scope.post<{ Params: { id: string } }>('/compte/cles-api/:id/revoquer', hide, async (request, reply) => {
      const account = requireAccount(request);
      await revokeApiKeyAs(deps, account, request.params.id, request.ip);
      return reply.redirect('/compte/cles-api?info=revoquee', 303);
    });
  });
}
