// HTML routes of "Les lieux de mon territoire": the list (GET filters, pages), its standard CSV
// export (streamed) and the "toujours à jour" form, which goes through confirmFreshness.
// Every decision is in the use cases; routes only translate.
import { PassThrough } from 'node:stream';
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { sendHtml } from '../../web/render.ts';
import { DomainError } from '../../lib/errors.ts';
import { writeStandardCsv } from '../exports/exports.stream.ts';
import { confirmFreshness } from '../freshness/freshness.use-cases.ts';
import { listTerritoryPlaces, parseTerritoryFilters, territoryExportPages, type TerritoryFilters } from './territory-places.use-cases.ts';
import { filterQuery, TerritoryPlacesPage } from './views/territory-places-page.tsx';

type Query = Record<string, string | undefined>;

export async function registerTerritoryPlacesPages(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const hide = { schema: { hide: true } };
    const isReviewer = (request: FastifyRequest) => request.account!.role === 'moderateur' || request.account!.role === 'administrateur';

    const listPage = async (request: FastifyRequest, reply: FastifyReply, query: Query, extra: { confirmed?: string; error?: string; status?: number } = {}) => {
      const account = request.account!;
      let filters: TerritoryFilters = { page: 1 };
      try {
        filters = parseTerritoryFilters(query);
        const result = await listTerritoryPlaces(deps, account, filters);
        // The confirmed place may have left the filtered list (now « à jour »): then no name.
        const confirmed = extra.confirmed ? (result.places.find((p) => p.id === extra.confirmed)?.nom ?? true) : undefined;
        return sendHtml(reply, h(TerritoryPlacesPage, { ctx: pageContext(request), csrf: account.csrfToken, filters, result, reviewer: isReviewer(request), confirmed, error: extra.error }), extra.status ?? 200);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return sendHtml(reply, h(TerritoryPlacesPage, { ctx: pageContext(request), csrf: account.csrfToken, filters, reviewer: isReviewer(request), error: error.message }), error.status);
      }
    };

    scope.get<{ Querystring: Query }>('/compte/territoire', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      return listPage(request, reply, request.query, { confirmed: request.query.confirme });
    });

    scope.get<{ Querystring: Query }>('/compte/territoire/export.csv', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      let pages;
      try {
        pages = territoryExportPages(deps, request.account, parseTerritoryFilters(request.query));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return listPage(request, reply, {}, { error: error.message, status: error.status });
      }
      const stream = new PassThrough();
      // Errors after the headers are sent can only cut the stream short; they are logged.
      writeStandardCsv(stream, pages).then(
        () => stream.end(),
        (error: unknown) => {
          deps.logger.error({ err: error }, 'territory export failed midway');
          stream.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="lieux-territoire.csv"').send(stream);
    });

    scope.post<{ Params: { id: string }; Querystring: Query }>('/compte/territoire/:id/confirmer', hide, async (request, reply) => {
      if (!request.account) return reply.redirect('/connexion', 303);
      try {
        const account = requireAccount(request); // the session's CSRF token
        const filters = parseTerritoryFilters(request.query);
        const lieu = await confirmFreshness(deps, request.params.id, { account, ip: request.ip });
        const query = filterQuery(filters, filters.page);
        return reply.redirect(`/compte/territoire${query}${query ? '&' : '?'}confirme=${lieu.id}`, 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return listPage(request, reply, request.query, { error: error.message, status: error.status });
      }
    });
  });
}
