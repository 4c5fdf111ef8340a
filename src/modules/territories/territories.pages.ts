// HTML routes of the territory pages: /territoires (régions), /territoires/:type/:code.
// Counts come from the search read model (published places only), never from SQL.
import { createRequire } from 'node:module';
import { h } from 'preact';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Crumb } from '../../web/components/breadcrumb.tsx';
import type { SearchSnapshot } from '../search/read-model.ts';
import { loadSnapshot } from '../search/search-index.ts';
import { searchLieux } from '../search/search-engine.ts';
import type { TerritoryType } from './territories.types.ts';
import { TerritoryPage, type PlaceRow, type TerritoryPageModel, type TerritoryRow } from './views/territory-pages.tsx';

const require = createRequire(import.meta.url);
const regions = (require('@etalab/decoupage-administratif/data/regions.json') as { code: string; nom: string }[])
  .map((r) => ({ code: r.code, nom: r.nom }))
  .sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));

const TYPES: TerritoryType[] = ['region', 'departement', 'epci', 'commune'];
const KIND: Record<TerritoryType, string> = { region: 'Région', departement: 'Département', epci: 'Intercommunalité (EPCI)', commune: 'Commune' };
const PLACES_LISTED = 100;

async function snapshotOf(deps: AppDeps): Promise<SearchSnapshot> {
  const index = (deps as AppDeps & { search?: { current(): SearchSnapshot } }).search;
  return index ? index.current() : loadSnapshot(deps.db);
}

const countIn = (s: SearchSnapshot, type: TerritoryType, code: string) => s.territories[type].get(code)?.length ?? 0;
const href = (type: TerritoryType, code: string) => `/territoires/${type}/${code}`;
const byName = (a: TerritoryRow, b: TerritoryRow) => a.nom.localeCompare(b.nom, 'fr');

export async function registerTerritoryPages(app: App, deps: AppDeps): Promise<void> {
  const { territories } = deps;
  const hide = { schema: { hide: true } };
  const name = (type: TerritoryType, code: string | null) => (code ? (territories.getTerritory(type, code)?.nom ?? code) : '');

  /** Communes of a territory, with each commune's places (arrondissements counted in their city). */
  const communeCount = (s: SearchSnapshot, code: string) =>
    territories.communesOf('commune', code).reduce((n, c) => n + countIn(s, 'commune', c), 0);

  function crumbsFor(type: TerritoryType, code: string): Crumb[] {
    const crumbs: Crumb[] = [{ label: 'Accueil', href: '/' }, { label: 'Territoires', href: '/territoires' }];
    const first = territories.getCommune(territories.communesOf(type, code)[0] ?? '');
    if (first && type !== 'region') crumbs.push({ label: name('region', first.codeRegion), href: href('region', first.codeRegion) });
    if (first && (type === 'epci' || type === 'commune')) {
      crumbs.push({ label: name('departement', first.codeDepartement), href: href('departement', first.codeDepartement) });
    }
    if (first?.codeEpci && type === 'commune') crumbs.push({ label: name('epci', first.codeEpci), href: href('epci', first.codeEpci) });
    crumbs.push({ label: name(type, code) });
    return crumbs;
  }

  app.get('/territoires', hide, async (request, reply) => {
    const s = await snapshotOf(deps);
    const rows = regions.map((r) => ({ href: href('region', r.code), nom: r.nom, code: r.code, count: countIn(s, 'region', r.code) }));
    const model: TerritoryPageModel = {
      title: 'Les lieux par territoire',
      kind: '',
      crumbs: [{ label: 'Accueil', href: '/' }, { label: 'Territoires' }],
      total: s.size,
      children: { caption: 'Nombre de lieux par région', column: 'Région', rows },
    };
    return sendHtml(reply, h(TerritoryPage, { ctx: pageContext(request), model }));
  });

  app.get<{ Params: { type: string; code: string } }>('/territoires/:type/:code', hide, async (request, reply) => {
    const type = request.params.type as TerritoryType;
    const { code } = request.params;
    const territory = TYPES.includes(type) ? territories.getTerritory(type, code) : undefined;
    if (!territory) throw new NotFoundError(`Aucun territoire « ${request.params.type} » ne porte le code « ${code} ».`);
    const s = await snapshotOf(deps);
    const communes = territories.communesOf(type, code).map((c) => territories.getCommune(c)!).filter(Boolean);
    const model: TerritoryPageModel = {
      title: territory.nom,
      kind: KIND[type],
      crumbs: crumbsFor(type, code),
      total: type === 'commune' ? communeCount(s, code) : countIn(s, type, code),
    };
    if (type === 'region') {
      const codes = [...new Set(communes.map((c) => c.codeDepartement))];
      const rows = codes.map((d) => ({ href: href('departement', d), nom: name('departement', d), code: d, count: countIn(s, 'departement', d) }));
      model.children = { caption: `Nombre de lieux par département – ${territory.nom}`, column: 'Département', rows: rows.sort(byName) };
    } else if (type === 'departement') {
      const epcis = [...new Set(communes.map((c) => c.codeEpci).filter((e): e is string => e !== null))];
      const rows: TerritoryRow[] = epcis.map((e) => ({ href: href('epci', e), nom: name('epci', e), code: e, count: countIn(s, 'epci', e) }));
      // Communes outside any EPCI (islands, Paris) are listed on their own.
      for (const c of communes.filter((x) => x.codeEpci === null)) {
        rows.push({ href: href('commune', c.code), nom: c.nom, code: c.code, count: countIn(s, 'commune', c.code) });
      }
      model.children = { caption: `Nombre de lieux par intercommunalité – ${territory.nom}`, column: 'Intercommunalité', rows: rows.sort(byName) };
    } else {
      if (type === 'epci') {
        const rows = communes
          .filter((c) => territories.getTerritory('commune', c.code))
          .map((c) => ({ href: href('commune', c.code), nom: c.nom, code: c.code, count: countIn(s, 'commune', c.code) }))
          .filter((r) => r.count > 0 || !/Arrondissement/.test(r.nom));
        model.children = { caption: `Nombre de lieux par commune – ${territory.nom}`, column: 'Commune', rows: rows.sort(byName) };
      }
      const now = deps.clock.now();
      const codes = type === 'commune' ? territories.communesOf('commune', code) : [code];
      const listType: TerritoryType = type === 'commune' ? 'commune' : 'epci';
      const places: PlaceRow[] = [];
      for (const c of codes) {
        const result = searchLieux(s, { territoire: { type: listType, code: c }, limit: PLACES_LISTED }, now);
        for (const item of result.items) {
          places.push({ id: item.id, nom: String(item.nom), adresse: String(item.adresse), commune: String(item.commune) });
        }
      }
      model.places = places.sort((a, b) => a.nom.localeCompare(b.nom, 'fr')).slice(0, PLACES_LISTED);
      if (model.total > model.places.length && communes[0]?.centre) {
        model.moreHref = `/recherche?commune=${encodeURIComponent(communes[0].code)}&rayon=20`;
      }
    }
    return sendHtml(reply, h(TerritoryPage, { ctx: pageContext(request), model }));
  });
}
