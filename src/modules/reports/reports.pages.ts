// POST /lieux/:id/signalement: the "Signaler une erreur" form of the place page. Success
// redirects (POST/redirect/GET) to the page with a thank-you; errors re-render the page with
// the form filled in and the fields at fault.
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { ValidationError } from '../../lib/errors.ts';
import { renderLieuPage } from '../lieux/lieux.pages.ts';
import { createReport, TooManyReportsError } from './reports.use-cases.ts';
import type { ReportForm } from './reports.schema.ts';

function formOf(body: unknown): ReportForm {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : undefined);
  return { kind: text(b.kind), message: text(b.message), email: text(b.email), site: text(b.site) };
}

export async function registerReportPages(app: App, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    // A plain HTML form posts application/x-www-form-urlencoded.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.post<{ Params: { id: string } }>(
      '/lieux/:id/signalement',
      { schema: { hide: true } },
      async (request, reply) => {
        const form = formOf(request.body);
        try {
          await createReport(deps, request.params.id, form, request.ip);
        } catch (error) {
          if (error instanceof ValidationError) {
            return renderLieuPage(request, reply, deps, request.params.id, { state: 'invalid', errors: error.errors, values: form }, 400);
          }
          if (error instanceof TooManyReportsError) {
            return renderLieuPage(request, reply, deps, request.params.id, { state: 'refused', message: error.message }, 429);
          }
          throw error;
        }
        return reply.redirect(`/lieux/${encodeURIComponent(request.params.id)}?signalement=envoye#signaler`, 303);
      },
    );
  });
}
