// The embeddable map and its generator:
// - GET /embed/carte?territoire=&reseau=&structure_parente=&source=&titre=&logo=&couleur= plus
//   the public search parameters: list + map in a frame any site may show (frame-ancestors *);
// - GET /embed/theme.css?couleur=: the primary colour as CSS (no inline style under the CSP);
// - GET /embed/maillage-carte.js: stable URL of the <maillage-carte> web component, redirecting
//   to its fingerprinted, immutable file;
// - GET /integrer: the form that writes the copy-paste code, with a preview.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { contentSecurityPolicy } from '../../server/plugins/security-headers.ts';
import { renderDocument, sendHtml } from '../../web/render.ts';
import { ValidationError, type FieldError } from '../../lib/errors.ts';
import { buildResults, mapSettingsOf, parseSearchParams } from '../search/search.pages.ts';
import { loadSnapshot } from '../search/search-index.ts';
import type { SearchSnapshot } from '../search/read-model.ts';
import { DEFAULT_COLOUR, EMBED_PARAMS, embedParams, normaliseColour, parseEmbedOptions, territoireLabels, themeCss, type EmbedOptions } from './embed.options.ts';
import { embedSnapshot } from './embed.snapshot.ts';
import { ResultsList } from '../search/views/results-page.tsx';
import { DEFAULT_EMBED_TITLE, EmbedErrorPage, EmbedPage } from './views/embed-page.tsx';
import { IntegrationResult, IntegrerPage, type IntegrerForm, type IntegrerModel, type Snippets } from './views/integrer-page.tsx';

type RawQuery = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => x !== '');

async function currentSnapshot(deps: AppDeps): Promise<SearchSnapshot> {
  const index = (deps as AppDeps & { search?: { current(): SearchSnapshot } }).search;
  return index ? index.current() : loadSnapshot(deps.db);
}

/** Splits the query into the embed's own parameters and the public search ones. */
function splitQuery(raw: RawQuery): { embed: RawQuery; search: RawQuery } {
  const embed: RawQuery = {};
  const search: RawQuery = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((EMBED_PARAMS as readonly string[]).includes(key)) embed[key] = value;
    else search[key] = value;
  }
  return { embed, search };
}

function sendEmbedHtml(reply: FastifyReply, deps: AppDeps, html: string, status: number, logo?: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    // Any site may frame the map; its logo is the only outside image.
    .header('content-security-policy', contentSecurityPolicy(deps.config, { frameAncestors: '*', imgSrc: logo ? [new URL(logo).origin] : [] }))
    .type('text/html; charset=utf-8')
    .send(html);
}

/** "sur le territoire : Ille-et-Vilaine (département)", when no place was searched. */
function scopeLabel(options: EmbedOptions): string {
  if (options.territoire) return `sur le territoire : ${options.territoire.nom} (${territoireLabels[options.territoire.type]})`;
  return '';
}

/** Links built by the search (paging, widening) point at /recherche: keep them in the frame. */
function toEmbedHref(href: string | undefined): string | undefined {
  return href?.replace(/^\/recherche\?/, '/embed/carte?');
}

function snippetsFor(publicUrl: string, options: EmbedOptions): Snippets {
  const params = embedParams(options);
  const query = params.toString();
  const src = `${publicUrl}/embed/carte${query ? `?${query}` : ''}`;
  const title = options.titre ?? DEFAULT_EMBED_TITLE;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const iframe = `<iframe src="${attr(src)}" title="${attr(`${title} - Maillage`)}" width="100%" height="800" style="border:0" loading="lazy" allow="geolocation"></iframe>`;
  const attributes = [...params.entries()].map(([k, v]) => ` ${k}="${attr(v)}"`).join('');
  const component = `<script src="${publicUrl}/embed/maillage-carte.js" async></script>\n<maillage-carte${attributes}><a href="${attr(src)}">${attr(title)} (Maillage)</a></maillage-carte>`;
  return { iframe, component, previewUrl: `/embed/carte${query ? `?${query}` : ''}` };
}

function integrerForm(raw: RawQuery): IntegrerForm {
  return {
    territoire_type: one(raw.territoire_type),
    territoire_code: one(raw.territoire_code),
    reseau: many(raw.reseau),
    structure_parente: one(raw.structure_parente),
    source: one(raw.source),
    titre: one(raw.titre),
    logo: one(raw.logo),
    couleur: one(raw.couleur) || DEFAULT_COLOUR,
  };
}

export async function registerEmbedPages(app: App, deps: AppDeps): Promise<void> {
  const hide = { schema: { hide: true } };
  const mapSettings = (request: FastifyRequest) => mapSettingsOf(request, deps.config);

  app.get('/embed/carte', hide, async (request, reply) => {
    const raw = request.query as RawQuery;
    const { embed, search } = splitQuery(raw);
    const { options, errors } = await parseEmbedOptions(deps, embed);
    let values;
    try {
      values = parseSearchParams(search);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(...error.errors);
    }
    const assets = request.server.assets;
    if (errors.length || !values) {
      return sendEmbedHtml(reply, deps, renderDocument(h(EmbedErrorPage, { assets, publicUrl: deps.config.publicUrl, errors })), 400);
    }
    const subset = await embedSnapshot(deps.db, await currentSnapshot(deps), options);
    const subsetDeps = { ...deps, search: { current: () => subset } } as unknown as AppDeps;
    const model = await buildResults(subsetDeps, raw, values);
    model.nextHref = toEmbedHref(model.nextHref);
    for (const link of model.notice?.links ?? []) link.href = toEmbedHref(link.href)!;
    if (!values.q && values.lat === undefined && !values.commune) model.where = scopeLabel(options);
    reply.header('vary', 'x-maillage-fragment');
    if (request.headers['x-maillage-fragment'] === 'resultats') {
      return sendEmbedHtml(reply, deps, renderToString(h(ResultsList, { model })), 200);
    }
    const page = h(EmbedPage, {
      assets,
      publicUrl: deps.config.publicUrl,
      title: options.titre ?? DEFAULT_EMBED_TITLE,
      logo: options.logo,
      themeUrl: options.couleur && options.couleur !== DEFAULT_COLOUR ? `/embed/theme.css?couleur=${encodeURIComponent(options.couleur)}` : undefined,
      hidden: [...embedParams(options).entries()],
      values,
      model,
      map: mapSettings(request),
    });
    return sendEmbedHtml(reply, deps, renderDocument(page), 200, options.logo);
  });

  app.get('/embed/theme.css', hide, async (request, reply) => {
    const colour = normaliseColour(one((request.query as RawQuery).couleur));
    if (!colour) {
      return reply.code(400).type('text/css; charset=utf-8').header('cache-control', 'no-store').send('/* « couleur » doit être une couleur hexadécimale comme #000091 */\n');
    }
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(themeCss(colour));
  });

  // Integrators paste this URL once: it must outlive releases, unlike the fingerprinted file.
  app.get('/embed/maillage-carte.js', hide, async (request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').redirect(request.server.assets.url('maillage-carte.js'), 302),
  );

  app.get('/integrer', hide, async (request, reply) => {
    const raw = request.query as RawQuery;
    const form = integrerForm(raw);
    const sources = await deps.db.selectFrom('sources').select(['name', 'producer']).orderBy('producer').orderBy('name').execute();
    const embedQuery: RawQuery = {
      territoire: form.territoire_type && form.territoire_code ? `${form.territoire_type}:${form.territoire_code}` : '',
      reseau: form.reseau,
      structure_parente: form.structure_parente,
      source: form.source,
      titre: form.titre,
      logo: form.logo,
      couleur: form.couleur,
    };
    const { options, errors } = await parseEmbedOptions(deps, embedQuery);
    const extra: FieldError[] = [];
    if (form.territoire_code && !form.territoire_type) extra.push({ field: 'territoire', message: 'Choisissez le type de territoire (commune, EPCI, département ou région) qui correspond au code.' });
    if (form.territoire_type && !form.territoire_code) extra.push({ field: 'territoire', message: 'Indiquez le code du territoire choisi.' });
    const allErrors = [...extra, ...errors];
    const model: IntegrerModel = {
      form,
      sources,
      errors: allErrors,
      snippets: allErrors.length ? undefined : snippetsFor(deps.config.publicUrl, options),
    };
    reply.header('vary', 'x-maillage-fragment');
    if (request.headers['x-maillage-fragment'] === 'integration') {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(renderToString(h(IntegrationResult, { model })));
    }
    return sendHtml(reply, h(IntegrerPage, { ctx: pageContext(request), model }), allErrors.length ? 400 : 200);
  });
}
