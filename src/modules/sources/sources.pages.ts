// Back-office HTML pages of sources (réseau and administrateur accounts): list, creation form
// (URL or uploaded file), a source with "Synchroniser maintenant", its sync jobs and import
// runs, and the row errors of a run as CSV. Rights are checked by the use cases.
import { h } from 'preact';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import { UnauthorizedError } from '../accounts/authorize.ts';
import { closeSourceJobsFor, sourceJobsFor } from './sources.jobs.ts';
import { createSourceAs, listSourcesFor, requestSyncAs, runErrorsCsvAs, sourceFor, sourceJobsAs, sourceRunsAs, type UploadedFile } from './sources.back-office.ts';
import { NewSourcePage, SourcePage, SourcesListPage, type NewSourceValues } from './views/sources-pages.tsx';
import { assertSourceAuthorized } from '../accounts/authorize.ts';

export const maxUploadBytes = 50 * 1024 * 1024;

const notices: Record<string, { type: 'success' | 'info'; text: string }> = {
  creee: { type: 'success', text: 'La source est créée. Lancez une première synchronisation pour importer ses lieux.' },
  demandee: { type: 'success', text: 'La synchronisation est en file : elle démarre dans quelques secondes. Rechargez la page pour suivre son état.' },
  deja: { type: 'info', text: 'Une synchronisation de cette source attend déjà son tour : inutile d’en demander une autre.' },
};

export async function registerSourcePages(app: App, deps: AppDeps): Promise<void> {
  const backOffice = () => ({ db: deps.db, clock: deps.clock, dataDir: deps.config.dataDir, allowPrivateAddresses: deps.config.sourcesAllowPrivate });
  const jobs = () => sourceJobsFor(deps.db, deps.config.jobs);
  app.addHook('onClose', async () => closeSourceJobsFor(deps.db));

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    // Fields land in the body (so the session's CSRF check reads `_csrf`); the file with its name.
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: maxUploadBytes, files: 1 },
      async onFile(part) {
        (part as unknown as { value: UploadedFile }).value = { fileName: part.filename, bytes: await part.toBuffer() };
      },
    });
    const hide = { schema: { hide: true } };
    /** The signed-in account; pages redirect anonymous visitors to the sign-in form. */
    const signedIn = (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.account) {
        void reply.redirect('/connexion', 303);
        return null;
      }
      return request.account;
    };

    scope.get('/compte/sources', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const sources = await listSourcesFor(deps, account);
      return sendHtml(reply, h(SourcesListPage, { ctx: pageContext(request), sources, admin: account.role === 'administrateur' }));
    });

    scope.get('/compte/sources/nouvelle', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      assertSourceAuthorized(account, 'source.create');
      return sendHtml(reply, h(NewSourcePage, { ctx: pageContext(request), csrf: account.csrfToken }));
    });

    scope.post('/compte/sources', hide, async (request, reply) => {
      const account = requireAccount(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      const values: Required<NewSourceValues> = { name: text('name'), producer: text('producer'), format: text('format'), location: text('location'), priority: text('priority'), schedule: text('schedule') };
      const upload = body.fichier && typeof body.fichier === 'object' && 'bytes' in body.fichier ? (body.fichier as UploadedFile) : null;
      try {
        const source = await createSourceAs(backOffice(), account, { ...values, upload });
        return reply.redirect(`/compte/sources/${source.name}?info=creee`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.status === 403 || error.status === 401) throw error;
        const errors = error instanceof ValidationError ? error.errors : undefined;
        return sendHtml(reply, h(NewSourcePage, { ctx: pageContext(request), csrf: account.csrfToken, values, error: error.message, errors }), error.status);
      }
    });

    scope.get<{ Params: { name: string }; Querystring: { info?: string } }>('/compte/sources/:name', hide, async (request, reply) => {
      const account = signedIn(request, reply);
      if (!account) return reply;
      const source = await sourceFor(deps, account, request.params.name);
      const queue = await jobs();
      const [jobList, runs] = await Promise.all([sourceJobsAs(deps, queue, account, source), sourceRunsAs(deps, account, source)]);
      // "In the queue" is stale once that job has finished (the page is reloaded to follow it).
      const finished = request.query.info === 'demandee' && jobList[0] && !['queued', 'running'].includes(jobList[0].status);
      const notice = finished ? undefined : notices[request.query.info ?? ''];
      return sendHtml(reply, h(SourcePage, { ctx: pageContext(request), csrf: account.csrfToken, source, jobs: jobList, runs, notice }));
    });

    scope.post<{ Params: { name: string } }>('/compte/sources/:name/synchroniser', hide, async (request, reply) => {
      const account = requireAccount(request);
      const source = await sourceFor(deps, account, request.params.name);
      const id = await requestSyncAs(deps, await jobs(), account, source);
      return reply.redirect(`/compte/sources/${source.name}?info=${id ? 'demandee' : 'deja'}`, 303);
    });

    scope.get<{ Params: { name: string; runId: string } }>('/compte/sources/:name/imports/:runId/erreurs.csv', hide, async (request, reply) => {
      if (!request.account) throw new UnauthorizedError();
      const source = await sourceFor(deps, request.account, request.params.name);
      const csv = await runErrorsCsvAs(deps, request.account, source, request.params.runId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="erreurs-${source.name}-${request.params.runId.slice(0, 8)}.csv"`)
        .send(csv);
    });
  });
}
