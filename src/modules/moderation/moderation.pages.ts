// HTML routes (and, through moderation.api.ts, the JSON routes) of claims ("Je gère ce lieu", /lieux/:id/revendiquer) and of the moderation
// queue (/moderation). Who may do what is decided in the use cases; a refusal is a 403 page
// with the French reason.
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { ValidationError, DomainError } from '../../lib/errors.ts';
import { accountsDeps } from '../accounts/accounts.api.ts';
import type { SessionAccount } from '../accounts/accounts.use-cases.ts';
import { getPublishedLieu } from '../lieux/lieux.use-cases.ts';
import { claimLieu } from './claims.use-cases.ts';
import { decideClaim, decideDuplicate, decideReport, listModerationQueue, type ModerationDeps } from './moderation.use-cases.ts';
import { registerModerationApi } from './moderation.api.ts';
import { registerModerationHistoryPages } from './history.pages.ts';
import { registerAuditPages } from '../audit/audit.pages.ts';
import { decideProposition } from '../propositions/propositions.use-cases.ts';
import { ClaimPage, ModerationPage, type ModerationPageProps } from './views/moderation-pages.tsx';

type Form = Record<string, string>;

const notices: Record<string, string> = {
  'revendication-acceptee': 'Demande acceptée : le compte gère désormais le lieu.',
  'revendication-refusee': 'Demande refusée.',
  'signalement-traite': 'Signalement marqué comme traité.',
  'signalement-rejete': 'Signalement rejeté.',
  'doublon-fusionne': 'Les deux lieux sont fusionnés.',
  'doublon-rejete': 'Les deux lieux sont déclarés distincts : la paire ne sera plus proposée.',
  'proposition-acceptee': 'Proposition acceptée : le lieu est publié.',
  'proposition-refusee': 'Proposition refusée.',
};

export async function registerModerationPages(app: App, deps: AppDeps): Promise<void> {
  const { mailer, publicUrl } = accountsDeps(deps);
  app.addHook('onClose', async () => mailer.close());
  const mod: ModerationDeps = { db: deps.db, clock: deps.clock, territories: deps.territories, mailer, publicUrl };
  registerModerationApi(app, deps, mod);
  await registerModerationHistoryPages(app, mod);
  await registerAuditPages(app, deps);

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };
    const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;
    const signInFirst = (reply: FastifyReply) => reply.redirect('/connexion', 303);

    scope.get<{ Params: { id: string } }>('/lieux/:id/revendiquer', hide, async (request, reply) => {
      if (!request.account) return signInFirst(reply);
      const lieu = await getPublishedLieu(deps, request.params.id);
      return sendHtml(reply, h(ClaimPage, { ctx: pageContext(request), csrf: request.account.csrfToken, lieu }));
    });

    scope.post<{ Params: { id: string } }>('/lieux/:id/revendiquer', hide, async (request, reply) => {
      const account = requireAccount(request);
      const form = formOf(request);
      try {
        const result = await claimLieu(mod, request.params.id, form.message, { account, ip: request.ip });
        return sendHtml(reply, h(ClaimPage, { ctx: pageContext(request), csrf: account.csrfToken, lieu: result.lieu, result }), result.status === 'accepted' ? 200 : 202);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const lieu = await getPublishedLieu(deps, request.params.id);
        return sendHtml(reply, h(ClaimPage, { ctx: pageContext(request), csrf: account.csrfToken, lieu, error: error.message, errors: error.errors, message: form.message }), 400);
      }
    });

    const renderQueue = async (request: FastifyRequest, reply: FastifyReply, account: SessionAccount, extra: Partial<ModerationPageProps> = {}, status = 200) => {
      const queue = await listModerationQueue(mod, account);
      return sendHtml(reply, h(ModerationPage, { ctx: pageContext(request), csrf: account.csrfToken, queue, ...extra }), status);
    };

    scope.get<{ Querystring: { info?: string } }>('/moderation', hide, async (request, reply) => {
      if (!request.account) return signInFirst(reply);
      return renderQueue(request, reply, request.account, { notice: notices[request.query.info ?? ''] });
    });

    /** Runs a decision; a validation or state error re-renders the queue with its French message. */
    const decide = async (request: FastifyRequest, reply: FastifyReply, run: (account: SessionAccount, form: Form) => Promise<string>) => {
      const account = requireAccount(request);
      try {
        const info = await run(account, formOf(request));
        return reply.redirect(`/moderation?info=${info}`, 303);
      } catch (error) {
        // Refusals (403) keep their own error page: the queue is not theirs to see.
        if (!(error instanceof DomainError) || error.status === 403 || error.status === 401) throw error;
        const errors = error instanceof ValidationError ? error.errors : undefined;
        return renderQueue(request, reply, account, { error: error.message, errors }, error.status);
      }
    };
    const badDecision = (allowed: string) => new ValidationError([{ field: 'decision', message: `Choisissez une décision : ${allowed}.` }], 'La décision n’a pas été enregistrée.');

    scope.post<{ Params: { id: string } }>('/moderation/revendications/:id', hide, async (request, reply) =>
      decide(request, reply, async (account, form) => {
        const decision = form.decision === 'accepter' ? 'accept' : form.decision === 'refuser' ? 'reject' : null;
        if (!decision) throw badDecision('accepter ou refuser');
        await decideClaim(mod, request.params.id, decision, form.commentaire, { account, ip: request.ip });
        return decision === 'accept' ? 'revendication-acceptee' : 'revendication-refusee';
      }),
    );

    scope.post<{ Params: { id: string } }>('/moderation/propositions/:id', hide, async (request, reply) =>
      decide(request, reply, async (account, form) => {
        const decision = form.decision === 'accepter' ? 'accept' : form.decision === 'refuser' ? 'reject' : null;
        if (!decision) throw badDecision('accepter ou refuser');
        await decideProposition(mod, request.params.id, decision, form.commentaire, { account, ip: request.ip });
        return decision === 'accept' ? 'proposition-acceptee' : 'proposition-refusee';
      }),
    );

    scope.post<{ Params: { id: string } }>('/moderation/signalements/:id', hide, async (request, reply) =>
      decide(request, reply, async (account, form) => {
        const decision = form.decision === 'traite' ? 'resolved' : form.decision === 'rejete' ? 'rejected' : null;
        if (!decision) throw badDecision('traité ou rejeté');
        await decideReport(mod, request.params.id, decision, form.commentaire, { account, ip: request.ip });
        return decision === 'resolved' ? 'signalement-traite' : 'signalement-rejete';
      }),
    );

    scope.post('/moderation/doublons', hide, async (request, reply) =>
      decide(request, reply, async (account, form) => {
        const decision = form.decision === 'fusionner' ? 'merge' : form.decision === 'rejeter' ? 'reject' : null;
        if (!decision) throw badDecision('fusionner ou rejeter');
        await decideDuplicate(mod, { lieu_a: form.lieu_a ?? '', lieu_b: form.lieu_b ?? '', decision, kept: form.conserve === 'b' ? 'b' : 'a', comment: form.commentaire }, { account, ip: request.ip });
        return decision === 'merge' ? 'doublon-fusionne' : 'doublon-rejete';
      }),
    );
  });
}
