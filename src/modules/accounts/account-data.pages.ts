// "Mes données" for a signed-in account: /compte/donnees downloads the JSON export,
// /compte/suppression asks for the password again (and the session's CSRF token) to delete it.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { authRateLimit, clearSessionCookie, requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import { FormPage, type FormPageProps } from './accounts.views.tsx';
import { deleteAccount, exportAccountData } from './account-data.ts';
import { AccountDeletedPage } from './account-data.views.tsx';

type Form = Record<string, string>;

const deletionForm: Omit<FormPageProps, 'ctx' | 'csrf'> = {
  title: 'Supprimer mon compte',
  intro:
    'La suppression est définitive : vos sessions sont fermées, votre adresse e-mail et vos accès (lieux, sources, clés d’API) sont effacés. ' +
    'Les modifications que vous avez faites restent dans l’historique des lieux, attribuées à « compte supprimé ». ' +
    'Avant de supprimer votre compte, vous pouvez télécharger vos données. Saisissez votre mot de passe pour confirmer.',
  action: '/compte/suppression',
  fields: [{ name: 'password', label: 'Mot de passe', type: 'password', autocomplete: 'current-password' }],
  submit: 'Supprimer définitivement mon compte',
  links: [
    { href: '/compte/donnees', label: 'Télécharger mes données (JSON)' },
    { href: '/compte', label: 'Revenir à mon compte' },
  ],
};

export async function registerAccountDataPages(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };
    const render = (request: FastifyRequest, reply: FastifyReply, props: Partial<FormPageProps>, status = 200) =>
      sendHtml(reply, h(FormPage, { ...deletionForm, ...props, ctx: pageContext(request), csrf: request.account?.csrfToken ?? '' }), status);

    scope.get('/compte/donnees', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const data = await exportAccountData(deps, request.account.id);
      const day = deps.clock.now().toISOString().slice(0, 10);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="maillage-mes-donnees-${day}.json"`)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(data, null, 2));
    });

    scope.get('/compte/suppression', hide, async (request, reply) => (request.account ? render(request, reply, {}) : reply.redirect('/connexion', 303)));

    // Rate-limited like sign-in: the password check must not become a guessing oracle.
    scope.post('/compte/suppression', { ...hide, config: authRateLimit(deps) }, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      try {
        const account = requireAccount(request);
        await deleteAccount(deps, account, ((request.body ?? {}) as Form).password);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return render(request, reply, { error: error.message, errors: error instanceof ValidationError ? error.errors : undefined }, error.status);
      }
      clearSessionCookie(request, reply);
      request.account = null;
      return sendHtml(reply, h(AccountDeletedPage, { ctx: pageContext(request) }));
    });
  });
}
