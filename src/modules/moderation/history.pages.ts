// HTML routes of a place's history for moderators (/moderation/lieux/:id/historique), of the
// revert to a version (a GET confirmation page showing the diff, then a POST), and of merges in
// force (/moderation/fusions) with their split (same two steps). Who may do what is decided in
// the use cases; a refusal is a 403 page with the French reason.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import type { SessionAccount } from '../accounts/accounts.use-cases.ts';
import { getLieuHistory, previewRevert, revertLieuToVersion } from './history.use-cases.ts';
import { getActiveMerge, listActiveMerges, splitFromModeration } from './merges.use-cases.ts';
import type { ModerationDeps } from './moderation.use-cases.ts';
import { registerHistoryApi } from './history.api.ts';
import { LieuHistoryPage, MergesPage, RevertConfirmPage, SplitConfirmPage } from './views/history-pages.tsx';

type Form = Record<string, string>;
type Params = { id: string; version: string };

/** A refused decision that the confirmation page shows (not a 401/403, which get their own page). */
const shownOnPage = (error: unknown): error is DomainError => error instanceof DomainError && error.status !== 401 && error.status !== 403;

export async function registerModerationHistoryPages(app: App, mod: ModerationDeps): Promise<void> {
  registerHistoryApi(app, mod);
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };
    const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
    const signedIn = (request: FastifyRequest, reply: FastifyReply): SessionAccount | null => {
      if (request.account) return request.account;
      void reply.redirect('/connexion', 303);
      return null;
    };

    scope.get<{ Params: { id: string }; Querystring: { retour?: string } }>('/moderation/lieux/:id/historique', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const history = await getLieuHistory(mod, account, request.params.id);
      const back = Number(request.query.retour);
      const notice = Number.isInteger(back) && back > 0 ? `Le lieu a retrouvé les informations de sa version ${back} (nouvelle version ${history.versions[0]?.version}).` : undefined;
      return sendHtml(reply, h(LieuHistoryPage, { ctx: pageContext(request), history, notice }));
    });

    scope.get<{ Params: Params }>('/moderation/lieux/:id/historique/:version', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const preview = await previewRevert(mod, account, request.params.id, request.params.version);
      return sendHtml(reply, h(RevertConfirmPage, { ctx: pageContext(request), csrf: account.csrfToken, preview }));
    });

    scope.post<{ Params: Params }>('/moderation/lieux/:id/historique/:version', hide, async (request, reply) => {
      const account = requireAccount(request);
      const form = formOf(request);
      try {
        const result = await revertLieuToVersion(mod, request.params.id, request.params.version, { comment: form.commentaire, expectedVersion: form.version_actuelle }, { account, ip: request.ip });
        return reply.redirect(`/moderation/lieux/${result.lieu.id}/historique?retour=${result.reverted_to}`, 303);
      } catch (error) {
        if (!shownOnPage(error)) throw error;
        const preview = await previewRevert(mod, account, request.params.id, request.params.version);
        const errors = error instanceof ValidationError ? error.errors : undefined;
        return sendHtml(reply, h(RevertConfirmPage, { ctx: pageContext(request), csrf: account.csrfToken, preview, error: error.message, errors, comment: form.commentaire }), error.status);
      }
    });

    scope.get<{ Querystring: { info?: string } }>('/moderation/fusions', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const merges = await listActiveMerges(mod, account);
      const notice = request.query.info === 'separe' ? 'Les deux lieux sont séparés.' : undefined;
      return sendHtml(reply, h(MergesPage, { ctx: pageContext(request), merges, notice }));
    });

    scope.get<{ Params: { id: string } }>('/moderation/fusions/:id', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const merge = await getActiveMerge(mod, account, request.params.id);
      return sendHtml(reply, h(SplitConfirmPage, { ctx: pageContext(request), csrf: account.csrfToken, merge }));
    });

    scope.post<{ Params: { id: string } }>('/moderation/fusions/:id', hide, async (request, reply) => {
      const account = requireAccount(request);
      const form = formOf(request);
      try {
        await splitFromModeration(mod, request.params.id, form.commentaire, { account, ip: request.ip });
        return reply.redirect('/moderation/fusions?info=separe', 303);
      } catch (error) {
        if (!shownOnPage(error)) throw error;
        // A merge already split has no confirmation page left: the list says what remains.
        if (!(error instanceof ValidationError)) {
          const merges = await listActiveMerges(mod, account);
          return sendHtml(reply, h(MergesPage, { ctx: pageContext(request), merges, notice: undefined, error: error.message }), error.status);
        }
        const merge = await getActiveMerge(mod, account, request.params.id);
        return sendHtml(reply, h(SplitConfirmPage, { ctx: pageContext(request), csrf: account.csrfToken, merge, error: error.message, errors: error.errors, comment: form.commentaire }), error.status);
      }
    });
  });
}
