// HTML routes of the search: the home page (/) and the results page (/recherche). The query
// lives in the URL (plain GET form), so results are shareable and work without JavaScript;
// with JavaScript, the same URL is fetched as an HTML fragment for live filtering.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { ValidationError, type FieldError } from '../../lib/errors.ts';
import { summarizeHoraires } from '../../lib/opening-hours.ts';
import type { Commune } from '../territories/territories.types.ts';
import { serviceShort } from '../lieux/views/lieu-words.ts';
import { searchLieux } from './search-engine.ts';
import { loadSnapshot } from './search-index.ts';
import type { SearchSnapshot } from './read-model.ts';
import type { SearchItem, SearchQuery } from './search.types.ts';
import { QPV_CODE } from './search.query.ts';
import { qpvSentence } from '../qpv/qpv.schema.ts';
import { HomePage } from './views/home-page.tsx';
import { ResultsList, ResultsPage, type ResultItem, type MapSettings, type ResultsModel } from './views/results-page.tsx';
import { DEFAULT_RAYON, RAYONS, type SearchFormValues } from './views/search-form.tsx';

type RawQuery = Record<string, string | string[] | undefined>;

const PAGE_SIZE = 20;
const LIST_FIELDS = ['services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge'] as const;
const KNOWN_PARAMS = new Set(['q', 'commune', 'lat', 'lon', 'rayon', 'ouvert_maintenant', 'curseur', 'qpv', ...LIST_FIELDS]);

/** The process's read model when the search module provides one; else a snapshot per request. */
async function snapshotOf(deps: AppDeps): Promise<SearchSnapshot> {
  const index = (deps as AppDeps & { search?: { current(): SearchSnapshot } }).search;
  return index ? index.current() : loadSnapshot(deps.db);
}

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => x !== '');

function number(raw: string, field: string, label: string, min: number, max: number, errors: FieldError[]): number | undefined {
  if (raw === '') return undefined;
  const n = Number(raw.replace(',', '.'));
  if (!Number.isFinite(n) || n < min || n > max) {
    errors.push({ field, message: `« ${field} » (${label}) doit être un nombre entre ${min} et ${max} (reçu « ${raw.slice(0, 40)} »).` });
    return undefined;
  }
  return n;
}

/** Reads the URL parameters; a bad value is a French 400 naming the parameter. */
export function parseSearchParams(query: RawQuery): SearchFormValues & { curseur?: string } {
  const errors: FieldError[] = [];
  for (const key of Object.keys(query)) {
    if (!KNOWN_PARAMS.has(key)) errors.push({ field: key, message: `« ${key} » n’est pas un paramètre de recherche reconnu.` });
  }
  const lat = number(one(query.lat), 'lat', 'latitude', -90, 90, errors);
  const lon = number(one(query.lon), 'lon', 'longitude', -180, 180, errors);
  if ((lat === undefined) !== (lon === undefined) && !errors.some((e) => e.field === 'lat' || e.field === 'lon')) {
    errors.push({ field: lat === undefined ? 'lat' : 'lon', message: '« lat » et « lon » vont ensemble : donnez les deux ou aucun.' });
  }
  const rayonRaw = one(query.rayon);
  const rayon = rayonRaw === '' ? DEFAULT_RAYON : Number(rayonRaw);
  if (!RAYONS.includes(rayon as (typeof RAYONS)[number])) {
    errors.push({ field: 'rayon', message: `« rayon » doit valoir ${RAYONS.join(', ')} (kilomètres).` });
  }
  const commune = one(query.commune);
  if (commune && !/^[0-9][0-9AB][0-9]{3}$/.test(commune)) {
    errors.push({ field: 'commune', message: '« commune » doit être un code INSEE de commune (5 caractères).' });
  }
  const q = one(query.q);
  if (q.length > 200) errors.push({ field: 'q', message: '« q » doit contenir au plus 200 caractères.' });
  const ouvert = one(query.ouvert_maintenant);
  if (ouvert && ouvert !== 'oui') errors.push({ field: 'ouvert_maintenant', message: '« ouvert_maintenant » doit valoir « oui ».' });
  const qpv = one(query.qpv);
  if (qpv && qpv !== 'dans' && qpv !== 'proche' && !QPV_CODE.test(qpv)) {
    errors.push({ field: 'qpv', message: '« qpv » doit valoir « dans », « proche » ou un code de quartier prioritaire (ex. QP035003).' });
  }
  if (errors.length) throw new ValidationError(errors, 'La recherche contient des paramètres invalides.');
  const frais = many(query.frais_a_charge);
  return {
    q,
    commune,
    lat,
    lon,
    rayon,
    services: many(query.services),
    publics_specifiquement_adresses: many(query.publics_specifiquement_adresses),
    prise_en_charge_specifique: many(query.prise_en_charge_specifique),
    gratuit: frais.includes('Gratuit'),
    ouvert_maintenant: ouvert === 'oui',
    qpv: qpv || undefined,
    curseur: one(query.curseur) || undefined,
  };
}

/** Where to search from: a position, a commune code, or a commune found in the text. */
type Place = { kind: 'point'; latitude: number; longitude: number; label: string } | { kind: 'text'; q: string } | { kind: 'none' };

function communeLabel(c: Commune, postalCode?: string): string {
  const cp = postalCode ?? c.codesPostaux[0];
  return cp ? `${c.nom} (${cp})` : c.nom;
}

export function locate(deps: Pick<AppDeps, 'territories'>, values: SearchFormValues): { place: Place; notFound?: string } {
  if (values.lat !== undefined && values.lon !== undefined) {
    return { place: { kind: 'point', latitude: values.lat, longitude: values.lon, label: 'autour de votre position' } };
  }
  const fromCommune = (c: Commune | undefined, postalCode?: string): Place | undefined =>
    c?.centre ? { kind: 'point', ...c.centre, label: `près de ${communeLabel(c, postalCode)}` } : undefined;
  if (values.commune) {
    const place = fromCommune(deps.territories.getCommune(values.commune));
    if (place) return { place };
  }
  const q = values.q;
  if (!q) return { place: { kind: 'none' } };
  // A postal code anywhere in the text (an address) wins: it is the most precise part.
  const postalCode = /\b(\d{5})\b/.exec(q)?.[1];
  if (postalCode) {
    // Most specific first: an arrondissement (one postal code) before its city (many).
    const candidates = deps.territories
      .searchCommunes(postalCode, 50)
      .filter((c) => c.codesPostaux.includes(postalCode))
      .sort((a, b) => a.codesPostaux.length - b.codesPostaux.length);
    // Several communes share a postal code: the one named in the text, if any.
    const text = q.replace(postalCode, ' ').toLowerCase();
    const named = candidates.find((c) => text.includes(c.nom.toLowerCase().split(/[\s-]/)[0]!)) ?? candidates[0];
    const place = fromCommune(named, postalCode);
    if (place) return { place };
  }
  // Then the text as a commune name, or its last part ("12 rue X, Lyon").
  for (const attempt of [q, q.split(',').pop()!.trim()]) {
    const [best] = deps.territories.searchCommunes(attempt.replace(/\(\d{5}\)/, '').trim(), 1);
    const place = fromCommune(best, /\((\d{5})\)/.exec(attempt)?.[1]);
    if (place) return { place };
  }
  // Not a place: search place names instead ("médiathèque").
  return { place: { kind: 'text', q }, notFound: q };
}

function distanceLabel(metres: number): string {
  if (metres < 1000) return `à ${Math.max(10, Math.round(metres / 10) * 10)} m`;
  return `à ${(metres / 1000).toLocaleString('fr-FR', { maximumFractionDigits: metres < 10_000 ? 1 : 0 })} km`;
}

function toResultItem(item: SearchItem, now: Date): ResultItem {
  const i = item as SearchItem & Record<string, any>;
  const location =
    typeof i.latitude === 'number' && typeof i.longitude === 'number'
      ? { latitude: i.latitude, longitude: i.longitude, code_departement: i.code_departement as string | null }
      : undefined;
  const hours = i.horaires ? summarizeHoraires(i.horaires as string, now, location) : null;
  return {
    id: i.id,
    nom: i.nom,
    adresse: i.adresse,
    code_postal: i.code_postal,
    commune: i.commune,
    latitude: i.latitude,
    longitude: i.longitude,
    distance: i.distance === undefined ? undefined : distanceLabel(i.distance),
    status: hours ? { open: hours.open, label: hours.status } : undefined,
    services: (i.services as string[]).map((s) => serviceShort[s] ?? s),
    gratuit: (i.frais_a_charge as string[]).includes('Gratuit'),
    qpv: item.qpv?.length ? qpvSentence(item.qpv[0]!) : undefined,
  };
}

/** The URL of this search with some parameters changed (undefined removes one). */
function searchHref(query: RawQuery, changes: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const x of many(v)) params.append(k, x);
  for (const [k, v] of Object.entries(changes)) {
    params.delete(k);
    if (v !== undefined) params.set(k, v);
  }
  return `/recherche?${params}`;
}

export async function buildResults(deps: AppDeps, raw: RawQuery, values: SearchFormValues & { curseur?: string }): Promise<ResultsModel> {
  const now = deps.clock.now();
  const { place, notFound } = locate(deps, values);
  const filters: SearchQuery['filters'] = {};
  if (values.services.length) filters.services = values.services;
  if (values.publics_specifiquement_adresses.length) filters.publics_specifiquement_adresses = values.publics_specifiquement_adresses;
  if (values.prise_en_charge_specifique.length) filters.prise_en_charge_specifique = values.prise_en_charge_specifique;
  if (values.gratuit) filters.frais_a_charge = ['Gratuit'];
  const query: SearchQuery = { filters, limit: PAGE_SIZE, ouvert_maintenant: values.ouvert_maintenant || undefined, curseur: values.curseur };
  if (values.qpv) query.qpv = values.qpv === 'dans' ? { en_qpv: true } : values.qpv === 'proche' ? { proche_qpv: true } : { dans: [values.qpv] };
  if (place.kind === 'point') {
    query.point = { latitude: place.latitude, longitude: place.longitude };
    query.rayon_km = values.rayon;
  } else if (place.kind === 'text') {
    query.q = place.q;
  }
  const snapshot = await snapshotOf(deps);
  let result;
  try {
    result = searchLieux(snapshot, query, now);
  } catch (error) {
    // A stale cursor should not cost the person their search: start again from the first page.
    if (error instanceof ValidationError && error.errors.some((e) => e.field === 'curseur')) {
      result = searchLieux(snapshot, { ...query, curseur: undefined }, now);
    } else throw error;
  }
  const where = place.kind === 'point' ? place.label : place.kind === 'text' ? `pour « ${place.q} »` : 'en France';
  const model: ResultsModel = {
    where,
    total: result.total,
    items: result.items.map((item) => toResultItem(item, now)),
    nextHref: result.next_cursor ? searchHref(raw, { curseur: result.next_cursor }) : undefined,
  };
  if (notFound) {
    model.notice = {
      title: `Nous n’avons pas trouvé de commune « ${notFound} »`,
      text: 'Les résultats ci-dessous sont les lieux dont le nom correspond. Pour chercher près de chez vous, saisissez une commune ou un code postal.',
    };
  } else if (place.kind === 'point' && result.total === 0 && values.rayon < 50) {
    model.notice = {
      title: `Aucun lieu à moins de ${values.rayon} km`,
      links: [{ href: searchHref(raw, { rayon: '50', curseur: undefined }), label: 'Chercher jusqu’à 50 km' }],
    };
  }
  return model;
}

/** Where the lazily loaded map finds its code, contours and tiles (results page and embed). */
export function mapSettingsOf(request: FastifyRequest, config: Pick<AppDeps['config'], 'mapTilesUrl' | 'mapTilesAttribution'>): MapSettings {
  const assets = request.server.assets;
  return {
    maplibreUrl: assets.url('maplibre-gl/maplibre-gl.mjs'),
    maplibreCssUrl: assets.url('maplibre-gl.css'),
    contoursUrl: assets.has('contours.geojson') ? assets.url('contours.geojson') : undefined,
    tilesUrl: config.mapTilesUrl,
    tilesAttribution: config.mapTilesAttribution,
  };
}

export async function registerSearchPages(app: App, deps: AppDeps): Promise<void> {
  const hide = { schema: { hide: true } };
  const mapSettings = (request: FastifyRequest) => mapSettingsOf(request, deps.config);

  app.get('/', hide, async (request, reply) => {
    const snapshot = await snapshotOf(deps);
    const total = searchLieux(snapshot, { limit: 1 }, deps.clock.now()).total;
    const values = parseSearchParams({});
    return sendHtml(reply, h(HomePage, { ctx: pageContext(request), values, total }));
  });

  app.get('/recherche', hide, async (request, reply) => {
    const raw = request.query as RawQuery;
    const values = parseSearchParams(raw);
    const model = await buildResults(deps, raw, values);
    reply.header('vary', 'x-maillage-fragment');
    if (request.headers['x-maillage-fragment'] === 'resultats') {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(renderToString(h(ResultsList, { model })));
    }
    return sendHtml(reply, h(ResultsPage, { ctx: pageContext(request), values, model, map: mapSettings(request) }));
  });
}
