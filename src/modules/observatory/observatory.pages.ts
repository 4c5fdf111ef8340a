// HTML routes of the observatory: /observatoire (France), /observatoire/:type/:code, the CSV
// export of every page table (/observatoire/:type/:code/tableaux/:id.csv) and the methodology
// page. Figures come from the shared in-memory indicator table; each page gets its key figures,
// bar charts (DSFR Chart, each with its table), a server-drawn choropleth map and its tables.
import { h } from 'preact';
import type { Kysely } from 'kysely';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import type { Database } from '../../db/database.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { sendHtml } from '../../web/render.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Crumb } from '../../web/components/breadcrumb.tsx';
import { departementOfQpvCode } from '../qpv/qpv.file.ts';
import { listQpvShapes, qpvVersion } from '../qpv/qpv.repository.ts';
import type { QpvShape } from '../qpv/qpv.geometry.ts';
import { SERVICES, TERRITORY_TYPES, type IndicatorTable, type ObservatoryTerritoryType, type QpvCoverage, type TerritoryIndicators } from './observatory.indicators.ts';
import { sharedObservatory, TERRITORY_LABELS, type Observatory } from './observatory.use-cases.ts';
import { DEFAULT_DOUBLE_FRACTURE } from './double-fracture.ts';
import { buildChoropleth, contoursOf, type ChoroplethModel } from './choropleth.ts';
import { parseSort, sortRows, tableCsv, type PageTable, type TableRow } from './page-tables.ts';
import { MethodologyPage, ObservatoryPage, type ChartModel, type MethodologySources, type ObservatoryPageModel } from './views/observatory-pages.tsx';

const KIND: Record<ObservatoryTerritoryType, string> = {
  france: '',
  region: 'Région',
  departement: 'Département',
  epci: 'Intercommunalité (EPCI)',
  commune: 'Commune',
  qpv: 'Quartier prioritaire de la politique de la ville',
};

const CHILD: Partial<Record<ObservatoryTerritoryType, { type: ObservatoryTerritoryType; caption: string; column: string }>> = {
  france: { type: 'region', caption: 'Couverture par région', column: 'Région' },
  region: { type: 'departement', caption: 'Couverture par département', column: 'Département' },
  departement: { type: 'epci', caption: 'Couverture par intercommunalité', column: 'Intercommunalité' },
  epci: { type: 'commune', caption: 'Couverture par commune', column: 'Commune' },
};

export const href = (type: ObservatoryTerritoryType, code: string) => (type === 'france' ? '/observatoire' : `/observatoire/${type}/${code}`);
const csvBase = (type: ObservatoryTerritoryType, code: string) => `/observatoire/${type}/${type === 'france' ? 'FR' : code}/tableaux`;

/** QPV contours for the maps, read again only when the contours change. */
function qpvShapesCache(db: Kysely<Database>): () => Promise<Map<string, QpvShape>> {
  let cached: { version: string; shapes: Map<string, QpvShape> } | undefined;
  return async () => {
    const version = await qpvVersion(db);
    if (cached?.version !== version) cached = { version, shapes: new Map((await listQpvShapes(db)).map((s) => [s.code, s])) };
    return cached.shapes;
  };
}

export function registerObservatoryPages(app: App, deps: AppDeps): void {
  const observatory = sharedObservatory(deps.db, deps.config.referenceDir);
  const qpvShapes = qpvShapesCache(deps.db);
  const hide = { schema: { hide: true } };

  async function build(type: ObservatoryTerritoryType, rawCode: string): Promise<{ model: ObservatoryPageModel; tables: PageTable[] }> {
    // One table for the whole page: each table() call checks the inputs' version in the database.
    const table = await observatory.table();
    const indicators = table.get(type, type === 'qpv' ? rawCode.toUpperCase() : rawCode);
    if (!indicators) throw new NotFoundError(`Aucun territoire « ${rawCode} » trouvé pour ${TERRITORY_LABELS[type]}.`);
    const code = indicators.code;
    const { thd, ifn } = await observatory.broadbandOf(type, code);
    const children = childIndicators(observatory, table, type, code);
    const qpvs = qpvOfTerritory(observatory, table, type, code);
    const tables = pageTables(type, indicators, thd, ifn, children, type === 'france' ? qpvs.filter((q) => !q.couvert) : qpvs);
    const fracture = await doubleFractureTable(observatory, type, code);
    if (fracture) tables.push(fracture);
    const mapProblems: string[] = [];
    const map = await territoryMap(deps.config.referenceDir, type, departementCommunes(observatory, table, type, code) ?? children, qpvs, qpvShapes, mapProblems);
    const model: ObservatoryPageModel = {
      title: indicators.nom,
      kind: KIND[type],
      crumbs: crumbs(observatory, type, code, indicators.nom),
      indicators,
      tables,
      charts: charts(indicators, children),
      map,
      mapProblems,
      csvBase: csvBase(type, code),
      apiHref: `/api/v1/territoires/${type}/${code}/indicateurs`,
      computedAt: table.computedAt.toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }),
      searchHref: type === 'qpv' ? `/recherche?qpv=${code}` : undefined,
    };
    return { model, tables };
  }

  async function page(type: ObservatoryTerritoryType, code: string, query: Record<string, unknown>) {
    const { model, tables } = await build(type, code);
    model.sort = parseSort(tables, query.tri, query.ordre);
    if (model.sort) {
      const sorted = tables.find((t) => t.id === model.sort!.table)!;
      sorted.rows = sortRows(sorted, model.sort.column, model.sort.order);
    }
    return model;
  }

  app.get<{ Querystring: Record<string, unknown> }>('/observatoire', hide, async (request, reply) =>
    sendHtml(reply, h(ObservatoryPage, { ctx: pageContext(request), model: await page('france', 'FR', request.query) })),
  );

  app.get('/observatoire/methodologie', hide, async (request, reply) =>
    sendHtml(reply, h(MethodologyPage, { ctx: pageContext(request), sources: await methodologySources(deps.db, deps.config.qpvProximityM) })),
  );

  app.get<{ Params: { type: string; code: string }; Querystring: Record<string, unknown> }>('/observatoire/:type/:code', hide, async (request, reply) => {
    const type = request.params.type as ObservatoryTerritoryType;
    if (!TERRITORY_TYPES.includes(type) || type === 'france') {
      throw new NotFoundError(`Aucun type de territoire « ${request.params.type} » (région, département, EPCI, commune ou QPV attendu).`);
    }
    return sendHtml(reply, h(ObservatoryPage, { ctx: pageContext(request), model: await page(type, request.params.code, request.query) }));
  });

  app.get<{ Params: { type: string; code: string; file: string }; Querystring: Record<string, unknown> }>(
    '/observatoire/:type/:code/tableaux/:file',
    hide,
    async (request, reply) => {
      const type = request.params.type as ObservatoryTerritoryType;
      if (!TERRITORY_TYPES.includes(type)) throw new NotFoundError(`Aucun type de territoire « ${request.params.type} ».`);
      const id = request.params.file.replace(/\.csv$/, '');
      const { tables, model } = await build(type, request.params.code);
      const found = tables.find((t) => t.id === id);
      if (!found || !request.params.file.endsWith('.csv')) {
        throw new NotFoundError(`Aucun tableau « ${request.params.file} » sur cette page (tableaux : ${tables.map((t) => `${t.id}.csv`).join(', ')}).`);
      }
      const sort = parseSort(tables, request.query.tri, request.query.ordre);
      const rows = sort && sort.table === id ? sortRows(found, sort.column, sort.order) : found.rows;
      const slug = `${type}-${model.indicators.code}-${id}`.toLowerCase();
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="observatoire-${slug}.csv"`)
        .send(tableCsv(found, rows));
    },
  );
}

// ---------------------------------------------------------------- page content

async function methodologySources(db: Kysely<Database>, proximityM: number): Promise<MethodologySources> {
  const [qpvLists, broadband, fragility] = await Promise.all([
    db.selectFrom('qpv').select(['liste', (eb) => eb.fn.countAll<number>().as('nombre')]).groupBy('liste').orderBy('liste').execute(),
    db.selectFrom('broadband_coverage').select('millesime').distinct().execute(),
    db.selectFrom('digital_fragility').select('millesime').distinct().execute(),
  ]);
  return {
    qpvLists: qpvLists.map((l) => ({ liste: l.liste, nombre: Number(l.nombre) })),
    millesimes: [...broadband, ...fragility].map((r) => r.millesime).sort(),
    proximityM,
  };
}

interface Child {
  href: string;
  indicators: TerritoryIndicators;
}

function childIndicators(observatory: Observatory, table: IndicatorTable, type: ObservatoryTerritoryType, code: string): { type: ObservatoryTerritoryType; rows: Child[] } | undefined {
  const child = CHILD[type];
  if (!child) return undefined;
  const frame = observatory.frame();
  let codes: string[];
  if (type === 'france') codes = [...frame.regions.keys()];
  else if (type === 'region') codes = [...frame.departements.values()].filter((d) => d.region === code).map((d) => d.code);
  else if (type === 'departement') codes = frame.communes.filter((c) => c.codeDepartement === code).flatMap((c) => (c.codeEpci ? [c.codeEpci] : []));
  else codes = frame.communes.filter((c) => c.codeEpci === code).map((c) => c.code);
  const rows = [...new Set(codes)]
    .map((c) => ({ href: href(child.type, c), indicators: table.get(child.type, c)! }))
    .filter((r) => r.indicators)
    .sort((a, b) => a.indicators.nom.localeCompare(b.indicators.nom, 'fr'));
  return { type: child.type, rows };
}

/** A département's map shows its communes (finer than its EPCIs) when their contours exist. */
function departementCommunes(observatory: Observatory, table: IndicatorTable, type: ObservatoryTerritoryType, code: string): { type: ObservatoryTerritoryType; rows: Child[] } | undefined {
  if (type !== 'departement') return undefined;
  const communes = observatory.frame().communes.filter((c) => c.codeDepartement === code);
  const rows = communes.flatMap((c) => {
    const indicators = table.get('commune', c.code);
    return indicators ? [{ href: href('commune', c.code), indicators }] : [];
  });
  return { type: 'commune', rows };
}

function qpvOfTerritory(observatory: Observatory, table: IndicatorTable, type: ObservatoryTerritoryType, code: string): QpvCoverage[] {
  const frame = observatory.frame();
  const communeOf = (q: QpvCoverage) => (q.commune ? frame.byCode.get(frame.parentOf.get(q.commune) ?? q.commune) : undefined);
  const keep = (q: QpvCoverage): boolean => {
    if (type === 'france') return true;
    if (type === 'qpv') return q.code === code;
    const departement = departementOfQpvCode(q.code);
    if (type === 'departement') return departement === code;
    if (type === 'region') return frame.departements.get(departement)?.region === code;
    if (type === 'epci') return communeOf(q)?.codeEpci === code;
    return communeOf(q)?.code === code;
  };
  return table.qpv.filter(keep).sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
}

function pageTables(
  type: ObservatoryTerritoryType,
  ind: TerritoryIndicators,
  thd: { taux_ftth: number | null; categorie: number | null; millesime: string } | null,
  ifn: { score_total: number | null; millesime: string } | null,
  children: { type: ObservatoryTerritoryType; rows: Child[] } | undefined,
  qpvs: QpvCoverage[],
): PageTable[] {
  const d = ind.distance;
  const tables: PageTable[] = [
    {
      id: 'services',
      caption: 'Services proposés (nombre de lieux)',
      sortable: true,
      columns: [
        { key: 'service', label: 'Service', kind: 'text' },
        { key: 'nombre_lieux', label: 'Lieux', kind: 'number' },
        { key: 'part_des_lieux', label: 'Part des lieux', kind: 'percent' },
      ],
      rows: SERVICES.map((s) => ({
        cells: { service: s, nombre_lieux: ind.services[s], part_des_lieux: ind.nombre_lieux ? ind.services[s] / ind.nombre_lieux : null },
      })),
    },
    {
      id: 'acces',
      caption: 'Accès : distances et horaires',
      sortable: false,
      columns: [
        { key: 'indicateur', label: 'Indicateur', kind: 'text' },
        { key: 'valeur', label: 'Valeur', kind: 'number', digits: 2 },
        { key: 'unite', label: 'Unité', kind: 'text' },
      ],
      rows: [
        ['population', 'Population', ind.population, 'habitants'],
        ['nombre_lieux', 'Lieux publiés', ind.nombre_lieux, 'lieux'],
        ['lieux_pour_10000_habitants', 'Lieux pour 10 000 habitants', ind.lieux_pour_10000_habitants, 'lieux'],
        ...(d.distance_lieu_le_plus_proche_km !== undefined ? [['distance_lieu_le_plus_proche_km', 'Distance au lieu le plus proche', d.distance_lieu_le_plus_proche_km, 'km'] as const] : []),
        ['distance_moyenne_km', 'Distance moyenne au lieu le plus proche (pondérée par la population)', d.distance_moyenne_km, 'km'],
        ['part_population_plus_5_km', 'Part de la population à plus de 5 km', pct100(d.part_population_plus_5_km), '%'],
        ['part_population_plus_10_km', 'Part de la population à plus de 10 km', pct100(d.part_population_plus_10_km), '%'],
        ['part_population_plus_20_km', 'Part de la population à plus de 20 km', pct100(d.part_population_plus_20_km), '%'],
        ['lieux_avec_horaires', 'Lieux dont les horaires sont connus', ind.horaires.lieux_avec_horaires, 'lieux'],
        ['heures_ouverture_hebdo', 'Heures d’ouverture par semaine (tous lieux)', ind.horaires.heures_ouverture_hebdo, 'heures'],
        ['heures_moyennes_par_lieu', 'Heures d’ouverture moyennes par lieu', ind.horaires.heures_moyennes_par_lieu, 'heures'],
      ].map(([key, label, value, unit]) => ({ cells: { indicateur: label as string, valeur: round(value as number | null, 2), unite: unit as string, code: key as string } })),
    },
    {
      id: 'haut-debit',
      caption: 'Fibre et fragilité numérique',
      sortable: false,
      columns: [
        { key: 'indicateur', label: 'Indicateur', kind: 'text' },
        { key: 'valeur', label: 'Valeur', kind: 'number', digits: 1 },
        { key: 'millesime', label: 'Millésime', kind: 'text' },
      ],
      rows: [
        { cells: { indicateur: 'Locaux raccordables à la fibre (FttH), en %', valeur: thd?.taux_ftth == null ? null : round(thd.taux_ftth * 100, 1), millesime: thd?.millesime ?? 'non disponible' } },
        { cells: { indicateur: 'Indice de fragilité numérique (0 à 10, 10 = plus fragile)', valeur: ifn?.score_total ?? null, millesime: ifn?.millesime ?? 'non disponible' } },
      ],
    },
  ];
  if (children && children.rows.length) {
    const child = CHILD[type]!;
    tables.push({
      id: 'sous-territoires',
      caption: child.caption,
      sortable: true,
      columns: [
        { key: 'nom', label: child.column, kind: 'text' },
        { key: 'code', label: 'Code', kind: 'text' },
        { key: 'population', label: 'Population', kind: 'number' },
        { key: 'nombre_lieux', label: 'Lieux', kind: 'number' },
        { key: 'lieux_pour_10000_habitants', label: 'Pour 10 000 hab.', kind: 'number', digits: 2 },
        { key: 'part_population_plus_10_km', label: 'Population à plus de 10 km', kind: 'percent' },
        { key: 'qpv_sans_lieu_500_m', label: 'QPV sans lieu à 500 m', kind: 'number' },
      ],
      rows: children.rows.map((r): TableRow => ({
        href: r.href,
        cells: {
          nom: r.indicators.nom,
          code: r.indicators.code,
          population: r.indicators.population,
          nombre_lieux: r.indicators.nombre_lieux,
          lieux_pour_10000_habitants: round(r.indicators.lieux_pour_10000_habitants, 4),
          part_population_plus_10_km: round(r.indicators.distance.part_population_plus_10_km, 4),
          qpv_sans_lieu_500_m: r.indicators.qpv.sans_lieu_500_m,
        },
      })),
    });
  }
  if (qpvs.length) {
    tables.push({
      id: 'qpv',
      caption: type === 'qpv' ? 'Couverture du quartier' : type === 'france' ? 'Quartiers prioritaires (QPV) sans lieu à moins de 500 m' : 'Quartiers prioritaires (QPV) du territoire',
      sortable: true,
      columns: [
        { key: 'nom', label: 'Quartier', kind: 'text' },
        { key: 'code', label: 'Code', kind: 'text' },
        { key: 'population', label: 'Population', kind: 'number' },
        { key: 'lieux_dans', label: 'Lieux dans le quartier', kind: 'number' },
        { key: 'lieux_500_m', label: 'Lieux dedans ou à 500 m', kind: 'number' },
        { key: 'distance_lieu_le_plus_proche_m', label: 'Lieu le plus proche', kind: 'number', unit: ' m' },
        { key: 'couvert', label: 'Couvert (lieu à 500 m)', kind: 'text' },
      ],
      rows: qpvs.map((q): TableRow => ({
        href: href('qpv', q.code),
        cells: {
          nom: q.nom,
          code: q.code,
          population: q.population,
          lieux_dans: q.lieux_dans,
          lieux_500_m: q.lieux_500_m,
          distance_lieu_le_plus_proche_m: q.distance_lieu_le_plus_proche_m === null ? null : Math.round(q.distance_lieu_le_plus_proche_m),
          couvert: q.couvert,
        },
      })),
      note: 'Distance du contour du quartier au lieu le plus proche ; vide au-delà de 2 km.',
    });
  }
  return tables;
}

/** Communes in "double fracture" (low fibre, no place within 10 km) of France, a région or a département. */
async function doubleFractureTable(observatory: Observatory, type: ObservatoryTerritoryType, code: string): Promise<PageTable | undefined> {
  if (type !== 'france' && type !== 'region' && type !== 'departement') return undefined;
  const frame = observatory.frame();
  const rows = (await observatory.doubleFracture(DEFAULT_DOUBLE_FRACTURE)).filter((r) => {
    const commune = frame.byCode.get(r.code);
    return type === 'france' || (type === 'region' ? commune?.codeRegion === code : commune?.codeDepartement === code);
  });
  if (rows.length === 0) return undefined;
  const vintages = [...new Set(rows.flatMap((r) => [r.millesime_ftth, r.millesime_ifn ?? []]).flat())].join(', ');
  return {
    id: 'double-fracture',
    caption: 'Communes en « double fracture » : fibre sous 25 % et aucun lieu à moins de 10 km',
    sortable: true,
    maxRows: 50,
    columns: [
      { key: 'nom', label: 'Commune', kind: 'text' },
      { key: 'code', label: 'Code', kind: 'text' },
      { key: 'population', label: 'Population', kind: 'number' },
      { key: 'taux_ftth', label: 'Locaux raccordables à la fibre', kind: 'percent' },
      { key: 'distance_lieu_le_plus_proche_km', label: 'Lieu le plus proche', kind: 'number', digits: 1, unit: ' km' },
      { key: 'score_ifn', label: 'Fragilité numérique (0 à 10)', kind: 'number', digits: 1 },
    ],
    rows: rows.map((r) => ({
      href: href('commune', r.code),
      cells: {
        nom: r.nom,
        code: r.code,
        population: r.population,
        taux_ftth: r.taux_ftth,
        distance_lieu_le_plus_proche_km: r.distance_lieu_le_plus_proche_km,
        score_ifn: r.score_ifn,
      },
    })),
    note: `Millésimes : ${vintages}. Triée par population ; une distance vide signifie qu’aucun lieu n’est enregistré.`,
  };
}

const round = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? null : Math.round(v * 10 ** digits) / 10 ** digits);
const pct100 = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 100);

function charts(ind: TerritoryIndicators, children: { rows: Child[] } | undefined): ChartModel[] {
  const list: ChartModel[] = [
    {
      id: 'services',
      title: 'Lieux proposant chacun des neuf services du standard',
      x: SERVICES.map((s) => s),
      y: SERVICES.map((s) => ind.services[s]),
      name: 'Lieux',
      unit: 'lieux',
      horizontal: true,
      tableId: 'services',
    },
  ];
  if (ind.type !== 'commune' && ind.type !== 'qpv' && ind.distance.part_population_plus_5_km !== null) {
    const d = ind.distance;
    list.push({
      id: 'distances',
      title: 'Part de la population éloignée d’un lieu (en %)',
      x: ['à plus de 5 km', 'à plus de 10 km', 'à plus de 20 km'],
      y: [d.part_population_plus_5_km, d.part_population_plus_10_km, d.part_population_plus_20_km].map((v) => round((v ?? 0) * 100, 1)!),
      name: 'Population',
      unit: '%',
      tableId: 'acces',
    });
  }
  if (children && children.rows.length > 1) {
    list.push({
      id: 'sous-territoires',
      title: 'Lieux pour 10 000 habitants',
      x: children.rows.map((r) => r.indicators.nom),
      y: children.rows.map((r) => round(r.indicators.lieux_pour_10000_habitants, 2) ?? 0),
      name: 'Lieux pour 10 000 habitants',
      unit: 'lieux',
      horizontal: true,
      tableId: 'sous-territoires',
    });
  }
  return list;
}

const QPV_CLASSES = {
  classes: [
    { colour: '#ce614a', label: 'sans lieu dedans ni à moins de 500 m (non couvert)' },
    { colour: '#000091', label: 'avec un lieu dedans ou à moins de 500 m (couvert)' },
  ],
  classOf: (value: number) => (value > 0 ? 1 : 0),
};

async function territoryMap(
  referenceDir: string,
  type: ObservatoryTerritoryType,
  children: { type: ObservatoryTerritoryType; rows: Child[] } | undefined,
  qpvs: QpvCoverage[],
  qpvShapes: () => Promise<Map<string, QpvShape>>,
  problems: string[],
): Promise<ChoroplethModel | undefined> {
  if (children && children.rows.length) {
    const level = children.type === 'region' ? 'region' : children.type === 'departement' ? 'departement' : children.type === 'commune' ? 'commune' : undefined;
    if (level) {
      const byCode = new Map(children.rows.map((r) => [r.indicators.code, r]));
      const contours = contoursOf(referenceDir, level, [...byCode.keys()]);
      problems.push(...contours.problems);
      const features = contours.features.map((f) => ({
        ...f,
        nom: byCode.get(f.code)!.indicators.nom,
        href: byCode.get(f.code)!.href,
        value: byCode.get(f.code)!.indicators.lieux_pour_10000_habitants,
      }));
      const map = buildChoropleth({
        title: `Lieux pour 10 000 habitants, par ${level === 'region' ? 'région' : level === 'departement' ? 'département' : 'commune'}`,
        measure: 'lieux pour 10 000 habitants',
        features,
        digits: 2,
      });
      if (map) {
        if (type === 'france') map.title += ' (France métropolitaine ; outre-mer dans le tableau)';
        return map;
      }
    }
  }
  // No contours for the sub-territories (EPCI, communes outside the reference files): the QPVs.
  if (qpvs.length === 0) return undefined;
  const shapes = await qpvShapes();
  const features = qpvs.flatMap((q) => {
    const shape = shapes.get(q.code);
    return shape ? [{ code: q.code, nom: q.nom, geometry: shape.geometry, href: href('qpv', q.code), value: q.lieux_500_m }] : [];
  });
  return buildChoropleth({
    title: 'Quartiers prioritaires : présence d’un lieu dedans ou à moins de 500 m',
    measure: 'lieux dedans ou à moins de 500 m',
    features,
    digits: 0,
    source: 'Contours des QPV : ANCT',
    fixedClasses: QPV_CLASSES,
  });
}

function crumbs(observatory: Observatory, type: ObservatoryTerritoryType, code: string, nom: string): Crumb[] {
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
