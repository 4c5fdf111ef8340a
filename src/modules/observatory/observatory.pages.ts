// HTML routes of the observatory: /observatoire (France), /observatoire/:type/:code and the
// methodology page. Figures come from the shared in-memory indicator table.
import { h } from 'preact';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Crumb } from '../../web/components/breadcrumb.tsx';
import { departementOfQpvCode } from '../qpv/qpv.file.ts';
import { TERRITORY_TYPES, type IndicatorTable, type ObservatoryTerritoryType } from './observatory.indicators.ts';
import { sharedObservatory } from './observatory.use-cases.ts';
import { MethodologyPage, ObservatoryPage, type ChildRow, type ObservatoryPageModel } from './views/observatory-pages.tsx';

const KIND: Record<ObservatoryTerritoryType, string> = {
  france: '',
  region: 'Région',
  departement: 'Département',
  epci: 'Intercommunalité (EPCI)',
  commune: 'Commune',
  qpv: 'Quartier prioritaire de la politique de la ville',
};

const href = (type: ObservatoryTerritoryType, code: string) => (type === 'france' ? '/observatoire' : `/observatoire/${type}/${code}`);

export function registerObservatoryPages(app: App, deps: AppDeps): void {
  const observatory = sharedObservatory(deps.db, deps.config.referenceDir);
  const hide = { schema: { hide: true } };

  function children(table: IndicatorTable, type: ObservatoryTerritoryType, code: string): ObservatoryPageModel['children'] {
    const frame = observatory.frame();
    const rows = (childType: ObservatoryTerritoryType, codes: Iterable<string>): ChildRow[] =>
      [...new Set(codes)]
        .map((c) => ({ href: href(childType, c), indicators: table.get(childType, c)! }))
        .filter((r) => r.indicators)
        .sort((a, b) => a.indicators.nom.localeCompare(b.indicators.nom, 'fr'));
    if (type === 'france') return { caption: 'Couverture par région', column: 'Région', rows: rows('region', frame.regions.keys()) };
    if (type === 'region') {
      const deps = [...frame.departements.values()].filter((d) => d.region === code).map((d) => d.code);
      return { caption: 'Couverture par département', column: 'Département', rows: rows('departement', deps) };
    }
    if (type === 'departement') {
      const communes = frame.communes.filter((c) => c.codeDepartement === code);
      return { caption: 'Couverture par intercommunalité', column: 'Intercommunalité', rows: rows('epci', communes.flatMap((c) => (c.codeEpci ? [c.codeEpci] : []))) };
    }
    if (type === 'epci') {
      return { caption: 'Couverture par commune', column: 'Commune', rows: rows('commune', frame.communes.filter((c) => c.codeEpci === code).map((c) => c.code)) };
    }
    return undefined;
  }

  function crumbs(type: ObservatoryTerritoryType, code: string, nom: string): Crumb[] {
    const list: Crumb[] = [{ label: 'Accueil', href: '/' }];
    if (type === 'france') return [...list, { label: 'Observatoire' }];
    list.push({ label: 'Observatoire', href: '/observatoire' });
    const frame = observatory.frame();
    const commune = type === 'commune' ? frame.byCode.get(code) : type === 'epci' ? frame.communes.find((c) => c.codeEpci === code) : undefined;
    const departement = type === 'departement' ? code : type === 'qpv' ? departementOfQpvCode(code) : commune?.codeDepartement;
    const region = type === 'region' ? undefined : departement ? frame.departements.get(departement)?.region : undefined;
    if (region) list.push({ label: frame.regions.get(region)?.nom ?? region, href: href('region', region) });
    if (departement && type !== 'departement') list.push({ label: frame.departements.get(departement)?.nom ?? departement, href: href('departement', departement) });
    if (type === 'commune' && commune?.codeEpci) list.push({ label: frame.epcis.get(commune.codeEpci)?.nom ?? commune.codeEpci, href: href('epci', commune.codeEpci) });
    return [...list, { label: nom }];
  }

  async function render(type: ObservatoryTerritoryType, code: string) {
    const table = await observatory.table();
    const indicators = await observatory.indicators(type, code);
    const { thd, ifn } = await observatory.broadbandOf(type, indicators.code);
    const model: ObservatoryPageModel = {
      title: indicators.nom,
      kind: KIND[type],
      crumbs: crumbs(type, indicators.code, indicators.nom),
      indicators,
      thd: thd && { taux_ftth: thd.taux_ftth, categorie: thd.categorie, millesime: thd.millesime },
      ifn: ifn && { score_total: ifn.score_total, millesime: ifn.millesime },
      children: children(table, type, indicators.code),
      uncoveredQpv: indicators.qpv.codes_sans_lieu_500_m.map((c) => ({ code: c, nom: table.get('qpv', c)?.nom ?? c, href: href('qpv', c) })),
      apiHref: `/api/v1/territoires/${type}/${indicators.code}/indicateurs`,
      computedAt: table.computedAt.toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }),
    };
    return model;
  }

  app.get('/observatoire', hide, async (request, reply) =>
    sendHtml(reply, h(ObservatoryPage, { ctx: pageContext(request), model: await render('france', 'FR') })),
  );

  app.get('/observatoire/methodologie', hide, async (request, reply) => sendHtml(reply, h(MethodologyPage, { ctx: pageContext(request) })));

  app.get<{ Params: { type: string; code: string } }>('/observatoire/:type/:code', hide, async (request, reply) => {
    const type = request.params.type as ObservatoryTerritoryType;
    if (!TERRITORY_TYPES.includes(type) || type === 'france') {
      throw new NotFoundError(`Aucun type de territoire « ${request.params.type} » (région, département, EPCI, commune ou QPV attendu).`);
    }
    return sendHtml(reply, h(ObservatoryPage, { ctx: pageContext(request), model: await render(type, request.params.code) }));
  });
}
