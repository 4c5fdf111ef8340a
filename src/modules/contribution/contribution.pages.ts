// HTML routes of contribution by signed-in accounts (no JavaScript needed):
//   /compte/lieux                         the places the account manages, with open import conflicts
//   /compte/lieux/:id/modifier            edit form → confirmation with the field diff → save
//   /compte/lieux/:id/historique          the place's versions, who, when, what changed
//   POST /compte/lieux/:id/conflits/:cid  keep my value / take the source's
// Who may do what is decided in the use cases; every POST carries the session's CSRF token.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { getLieu } from '../lieux/lieux.use-cases.ts';
import { openConflicts, resolveConflict, type ConflictDecision } from './conflicts.use-cases.ts';
import { formValuesFrom, formValuesOf, type FormValues } from './edit-form.ts';
import { placeForEdit, previewEdit, saveEdit, StaleEditError } from './edit.use-cases.ts';
import { placeHistory } from './history.use-cases.ts';
import { ConfirmEditPage, EditPage, type EditPageProps } from './views/edit-pages.tsx';
import { HistoryPage } from './views/history-page.tsx';
import { PlacesPage } from './views/places-page.tsx';

/** A urlencoded body with repeated names (checkboxes) kept as lists. */
function parseForm(body: string): FormValues {
  const values: FormValues = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = values[name];
    values[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return values;
}

const conflictNotices: Record<string, string> = {
  garde: 'Votre valeur est conservée : ce conflit est clos.',
  repris: 'La valeur de la source est désormais celle du lieu : ce conflit est clos.',
};

type Params = { Params: { id: string } };

export async function registerContributionPages(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_req, body, done) => {
      done(null, parseForm(String(body)));
    });
    const hide = { schema: { hide: true } };
    const ctxOf = (request: FastifyRequest) => ({ account: requireAccount(request), ip: request.ip });

    const managedPlaces = async (request: FastifyRequest): Promise<Lieu[]> => {
      const places: Lieu[] = [];
      for (const scope of request.account!.scopes.filter((s) => s.kind === 'lieu')) {
        try {
          const lieu = await getLieu(deps, scope.code);
          if (lieu.status === 'published') places.push(lieu);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error; // a scope on a place since deleted
        }
      }
      return places.sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
    };

    scope.get<{ Querystring: { conflit?: string } }>('/compte/lieux', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const places = await managedPlaces(request);
      const conflicts = await openConflicts(deps, request.account, places);
      const notice = conflictNotices[request.query.conflit ?? ''];
      return sendHtml(reply, h(PlacesPage, { ctx: pageContext(request), csrf: request.account.csrfToken, places, conflicts, notice }));
    });

    const editPage = async (request: FastifyRequest, reply: FastifyReply, lieu: Lieu, extra: Partial<EditPageProps> = {}, status = 200) => {
      const conflicts = await openConflicts(deps, request.account!, [lieu]);
      const props: EditPageProps = { ctx: pageContext(request), lieu, csrf: request.account!.csrfToken, values: formValuesOf(lieu), conflicts, ...extra };
      return sendHtml(reply, h(EditPage, props), status);
    };

    scope.get<Params & { Querystring: { conflit?: string } }>('/compte/lieux/:id/modifier', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const lieu = await placeForEdit(deps, request.params.id, request.account);
      const notice = conflictNotices[request.query.conflit ?? ''];
      return editPage(request, reply, lieu, notice ? { notice: { type: 'success', text: notice } } : {});
    });

    scope.post<Params>('/compte/lieux/:id/modifier', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const ctx = ctxOf(request); // checks the session's CSRF token
      const body = (request.body ?? {}) as FormValues;
      const values = formValuesFrom(body);
      const step = typeof body.etape === 'string' ? body.etape : 'verifier';
      const lieu = await placeForEdit(deps, request.params.id, ctx.account);
      if (step === 'corriger') return editPage(request, reply, lieu, { values });
      try {
        if (step === 'enregistrer') {
          const saved = await saveEdit(deps, lieu.id, values, ctx, typeof body.vu === 'string' ? body.vu : undefined);
          if (saved.changes.length === 0) return editPage(request, reply, saved.lieu, { notice: { type: 'info', text: 'Aucune modification à enregistrer : les informations sont identiques.' } });
          return reply.redirect(`/compte/lieux/${lieu.id}/historique?enregistre=1`, 303);
        }
        const preview = await previewEdit(deps, lieu.id, values, ctx);
        if (preview.changes.length === 0) {
          return editPage(request, reply, lieu, { values, notice: { type: 'info', text: 'Vous n’avez modifié aucune information : il n’y a rien à enregistrer.' } });
        }
        return sendHtml(reply, h(ConfirmEditPage, { ctx: pageContext(request), lieu, csrf: ctx.account.csrfToken, values, changes: preview.changes }));
      } catch (error) {
        if (error instanceof ValidationError) return editPage(request, reply, lieu, { values, errors: error.errors }, 400);
        if (error instanceof StaleEditError) {
          // Show the diff again against the place as it now is.
          const fresh = await placeForEdit(deps, lieu.id, ctx.account);
          const preview = await previewEdit(deps, fresh.id, values, ctx);
          return sendHtml(reply, h(ConfirmEditPage, { ctx: pageContext(request), lieu: fresh, csrf: ctx.account.csrfToken, values, changes: preview.changes, notice: error.message }), 409);
        }
        if (error instanceof DomainError && error.status < 500 && error.status !== 403 && error.status !== 404) {
          return editPage(request, reply, lieu, { values, notice: { type: 'error', text: error.message } }, error.status);
        }
        throw error;
      }
    });

    scope.get<Params & { Querystring: { enregistre?: string } }>('/compte/lieux/:id/historique', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const { lieu, entries } = await placeHistory(deps, request.params.id, request.account);
      return sendHtml(reply, h(HistoryPage, { ctx: pageContext(request), lieu, entries, saved: request.query.enregistre === '1' }));
    });

    scope.post<{ Params: { id: string; conflict: string } }>('/compte/lieux/:id/conflits/:conflict', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      const ctx = ctxOf(request);
      const body = (request.body ?? {}) as FormValues;
      if (body.decision !== 'garder' && body.decision !== 'reprendre') {
        throw new ValidationError([{ field: 'decision', message: 'Choisissez « Garder ma valeur » ou « Reprendre la valeur de la source ».' }], 'Décision manquante.');
      }
      const lieu = await resolveConflict(deps, request.params.conflict, body.decision as ConflictDecision, ctx);
      const done = body.decision === 'garder' ? 'garde' : 'repris';
      return reply.redirect(body.retour === 'liste' ? `/compte/lieux?conflit=${done}` : `/compte/lieux/${lieu.id}/modifier?conflit=${done}`, 303);
    });
  });
}
