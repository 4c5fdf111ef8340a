// Routes of the pages whose content is ours: open data, legal notices.
import { h } from 'preact';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../render.ts';
import { AccessibilityPage, LegalNoticePage, OpenDataPage, PersonalDataPage, type DownloadLink } from './site.views.tsx';

/** Downloads offered when the export routes exist (another module serves them). */
const candidateDownloads: DownloadLink[] = [
  { href: '/api/v1/exports/lieux.csv', label: 'Tous les lieux (CSV)', detail: 'CSV – standard national v1' },
  { href: '/api/v1/exports/lieux.json', label: 'Tous les lieux (JSON)', detail: 'JSON – standard national v1' },
  { href: '/api/v1/exports/lieux.geojson', label: 'Tous les lieux (GeoJSON)', detail: 'GeoJSON – points WGS84' },
  { href: '/api/v1/exports/data-inclusion/structures.json', label: 'Structures au format data·inclusion', detail: 'JSON – schéma data·inclusion' },
  { href: '/api/v1/exports/data-inclusion/services.json', label: 'Services au format data·inclusion', detail: 'JSON – schéma data·inclusion' },
];

export async function registerSitePages(app: App, deps: AppDeps): Promise<void> {
  const hide = { schema: { hide: true } };
  app.get('/donnees', hide, async (request, reply) => {
    const downloads = candidateDownloads.filter((d) => app.hasRoute({ method: 'GET', url: d.href }));
    return sendHtml(reply, h(OpenDataPage, { ctx: pageContext(request), downloads, publicUrl: deps.config.publicUrl }));
  });
  app.get('/mentions-legales', hide, async (request, reply) => sendHtml(reply, h(LegalNoticePage, { ctx: pageContext(request) })));
  app.get('/accessibilite', hide, async (request, reply) => sendHtml(reply, h(AccessibilityPage, { ctx: pageContext(request) })));
  app.get('/donnees-personnelles', hide, async (request, reply) =>
    sendHtml(reply, h(PersonalDataPage, { ctx: pageContext(request) })),
  );
}
