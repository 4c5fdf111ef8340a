// HTML route of the place page (/lieux/:id).
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { summarizeHoraires } from '../../lib/opening-hours.ts';
import type { ReportFormState } from '../reports/views/report-form.tsx';
import { getPublishedLieu } from './lieux.use-cases.ts';
import { findMergedInto } from './lieux.merged.ts';
import { DomainError } from '../../lib/errors.ts';
import { LieuPage } from './views/lieu-page.tsx';
import { qpvItemsOfPlace } from '../qpv/qpv.repository.ts';
import { freshnessOf } from '../freshness/freshness.ts';
import { authorize } from '../accounts/authorize.ts';

export async function renderLieuPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  id: string,
  report: ReportFormState,
  status = 200,
): Promise<FastifyReply> {
  let lieu;
  try {
    lieu = await getPublishedLieu(deps, id); // NotFoundError → DSFR 404 page
  } catch (error) {
    // A place merged into another: its page moved there for good.
    const target = error instanceof DomainError && error.status === 410 ? await findMergedInto(deps.db, id) : null;
    if (!target) throw error;
    return reply.redirect(`/lieux/${target}`, 301);
  }
  const now = deps.clock.now();
  const location =
    lieu.latitude !== null && lieu.longitude !== null
      ? { latitude: lieu.latitude, longitude: lieu.longitude, code_departement: lieu.code_departement }
      : undefined;
  const hours = lieu.horaires ? summarizeHoraires(lieu.horaires, now, location) : null;
  const qpv = await qpvItemsOfPlace(deps.db, lieu.id);
  return sendHtml(
    reply,
    h(LieuPage, {
      ctx: pageContext(request),
      lieu,
      hours,
      pageUrl: `${deps.config.publicUrl}/lieux/${lieu.id}`,
      report,
      todayIndex: (now.getDay() + 6) % 7,
      qpv,
      freshness: freshnessOf(lieu.date_maj, now, deps.config.freshness),
      editHref: request.account && authorize(request.account, 'lieu.update', lieu).allowed ? `/compte/lieux/${lieu.id}/modifier` : undefined,
    }),
    status,
  );
}

export async function registerLieuxPages(app: App, deps: AppDeps): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { signalement?: string } }>(
    '/lieux/:id',
    { schema: { hide: true } },
    async (request, reply) =>
      renderLieuPage(request, reply, deps, request.params.id, request.query.signalement === 'envoye' ? { state: 'sent' } : { state: 'blank' }),
  );
}
