// HTML routes of freshness: the managers' page (/compte/fraicheur) with its "toujours à jour"
// forms, and the target of the e-mailed link (/fraicheur/confirmer), whose GET only shows a
// button: mail scanners follow links, so only the POST confirms.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { csrfTokenFor, verifyAnonymousCsrf } from '../../server/plugins/csrf.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError } from '../../lib/errors.ts';
import { getLieu } from '../lieux/lieux.use-cases.ts';
import { freshnessOf } from './freshness.ts';
import { completenessOf } from './completeness.ts';
import { confirmByReminderLink, confirmFreshness, openReminderLink } from './freshness.use-cases.ts';
import { ConfirmLinkPage, ManagerFreshnessPage, type ManagedPlace } from './views/freshness-pages.tsx';

type Form = Record<string, string>;

export async function registerFreshnessPages(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };

    const managedPlaces = async (request: FastifyRequest): Promise<ManagedPlace[]> => {
      const ids = request.account!.scopes.filter((s) => s.kind === 'lieu').map((s) => s.code);
      const places: ManagedPlace[] = [];
      for (const id of ids) {
        try {
          const lieu = await getLieu(deps, id);
          if (lieu.status !== 'published') continue;
          places.push({ id: lieu.id, nom: lieu.nom, commune: lieu.commune, freshness: freshnessOf(lieu.date_maj, deps.clock.now(), deps.config.freshness), completeness: completenessOf(lieu) });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error; // a scope on a place since deleted
        }
      }
      return places.sort((a, b) => a.freshness.date.localeCompare(b.freshness.date));
    };
    const managerPage = async (request: FastifyRequest, reply: FastifyReply, extra: { confirmed?: string; error?: string } = {}, status = 200) =>
      sendHtml(reply, h(ManagerFreshnessPage, { ctx: pageContext(request), csrf: request.account!.csrfToken, places: await managedPlaces(request), ...extra }), status);

    scope.get<{ Querystring: { confirme?: string } }>('/compte/fraicheur', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const confirmed = request.query.confirme ? (await managedPlaces(request)).find((p) => p.id === request.query.confirme)?.nom : undefined;
      return managerPage(request, reply, { confirmed });
    });

    scope.post<{ Params: { id: string } }>('/compte/fraicheur/:id', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      try {
        const account = requireAccount(request); // the session's CSRF token
        const lieu = await confirmFreshness(deps, request.params.id, { account, ip: request.ip });
        return reply.redirect(`/compte/fraicheur?confirme=${lieu.id}`, 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return managerPage(request, reply, { error: error.message }, error.status);
      }
    });

    const linkPage = async (request: FastifyRequest, reply: FastifyReply, jeton: unknown) => {
      try {
        const link = await openReminderLink(deps, jeton);
        const place = { ...link.lieu, freshness: freshnessOf(link.lieu.date_maj, deps.clock.now(), deps.config.freshness) };
        return sendHtml(reply, h(ConfirmLinkPage, { ctx: pageContext(request), csrf: csrfTokenFor(request, reply), jeton: String(jeton), place }));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return sendHtml(reply, h(ConfirmLinkPage, { ctx: pageContext(request), error: error.message }), error.status);
      }
    };
    scope.get<{ Querystring: { jeton?: string } }>('/fraicheur/confirmer', hide, async (request, reply) => linkPage(request, reply, request.query.jeton));

    scope.post('/fraicheur/confirmer', hide, async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      try {
        // Signed in, the form carries the session's token; otherwise the double-submit cookie's.
        if (request.account) requireAccount(request);
        else verifyAnonymousCsrf(request);
        const lieu = await confirmByReminderLink(deps, form.jeton, request.ip);
        const place = { ...lieu, freshness: freshnessOf(lieu.date_maj, deps.clock.now(), deps.config.freshness) };
        return sendHtml(reply, h(ConfirmLinkPage, { ctx: pageContext(request), place, success: true }));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return sendHtml(reply, h(ConfirmLinkPage, { ctx: pageContext(request), error: error.message }), error.status);
      }
    });
  });
}
