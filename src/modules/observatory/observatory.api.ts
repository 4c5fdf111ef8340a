// JSON routes of the territorial observatory: the indicators of one territory (with broadband
// and fragility figures and their vintages), the QPV list with their coverage, and the
// "double fracture" list (JSON or CSV).
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type, type Static } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { startQpvSync } from '../qpv/qpv.use-cases.ts';
import { QpvLayer } from '../search/qpv-layer.ts';
import { departementOfQpvCode } from '../qpv/qpv.file.ts';
import { TERRITORY_TYPES, type TerritoryIndicators } from './observatory.indicators.ts';
import { sharedObservatory, type Observatory } from './observatory.use-cases.ts';
import { DEFAULT_DOUBLE_FRACTURE, DOUBLE_FRACTURE_SORTS, doubleFractureCsv } from './double-fracture.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);


const HautDebit = Type.Object({
  taux_ftth: Nullable(Type.Number({ description: 'Locaux raccordables / (logements + établissements), de 0 à 1' })),
  locaux_raccordables: Nullable(Type.Integer()),
  locaux: Nullable(Type.Integer({ description: 'Logements + établissements (référentiel Arcep)' })),
  categorie: Nullable(Type.Integer({ description: 'Classe Arcep : 0, 5 (0–10 %), 10 (10–25 %), 25 (25–50 %), 50 (50–80 %), 80 (> 80 %)' })),
  millesime: Type.String({ description: 'ex. « Arcep T1 2018 »' }),
});

const Fragilite = Type.Object({
  score_total: Nullable(Type.Number({ description: 'Indice de fragilité numérique, 0 à 10 (10 = plus fragile)' })),
  score_absence_thd: Nullable(Type.Number()),
  score_absence_4g: Nullable(Type.Number()),
  score_pauvrete: Nullable(Type.Number()),
  score_plus_65_ans: Nullable(Type.Number()),
  score_non_diplomes: Nullable(Type.Number()),
  millesime: Type.String(),
});

export const IndicateursApi = Type.Object({
  type: Type.Enum([...TERRITORY_TYPES]),
  code: Type.String(),
  nom: Type.String(),
  population: Nullable(Type.Integer()),
  nombre_lieux: Type.Integer({ description: 'Lieux publiés du territoire (dans le contour pour un QPV)' }),
  lieux_pour_10000_habitants: Nullable(Type.Number()),
  services: Type.Record(Type.String(), Type.Integer(), { description: 'Nombre de lieux proposant chacun des neuf services du standard' }),
  horaires: Type.Object({
    lieux_avec_horaires: Type.Integer(),
    heures_ouverture_hebdo: Type.Number({ description: "Somme sur les lieux des heures d'ouverture d'une semaine de référence" }),
    heures_moyennes_par_lieu: Nullable(Type.Number()),
  }),
  distance: Type.Object({
    communes: Type.Integer(),
    distance_moyenne_km: Nullable(Type.Number({ description: 'Moyenne pondérée par la population, du centre de chaque commune au lieu le plus proche' })),
    distance_max_km: Nullable(Type.Number()),
    part_population_plus_5_km: Nullable(Type.Number()),
    part_population_plus_10_km: Nullable(Type.Number()),
    part_population_plus_20_km: Nullable(Type.Number()),
    distance_lieu_le_plus_proche_km: Type.Optional(Nullable(Type.Number())),
  }),
  qpv: Type.Object({
    nombre: Type.Integer(),
    sans_lieu_500_m: Type.Integer({ description: 'QPV sans lieu dedans ni à moins de 500 m du contour' }),
    codes_sans_lieu_500_m: Type.Array(Type.String()),
  }),
  haut_debit: Nullable(HautDebit),
  fragilite_numerique: Nullable(Fragilite),
  calcule_le: Type.String({ format: 'date-time' }),
  sources: Type.Array(Type.String(), { description: 'Sources et millésimes des chiffres' }),
});

const QpvApi = Type.Object({
  code: Type.String(),
  nom: Type.String(),
  commune: Nullable(Type.String()),
  departement: Type.String(),
  liste: Type.Enum(['2015', '2024']),
  population: Nullable(Type.Integer()),
  lieux_dans: Type.Integer(),
  lieux_500_m: Type.Integer(),
  distance_lieu_le_plus_proche_m: Nullable(Type.Number({ description: 'Du contour au lieu le plus proche (null au-delà de 2 km)' })),
  couvert: Type.Boolean({ description: 'Au moins un lieu dedans ou à moins de 500 m' }),
});

const DoubleFractureApi = Type.Object({
  type: Type.Enum(['commune', 'epci']),
  code: Type.String(),
  nom: Type.String(),
  population: Nullable(Type.Integer()),
  taux_ftth: Type.Number(),
  categorie_ftth: Nullable(Type.Integer()),
  millesime_ftth: Type.String(),
  distance_lieu_le_plus_proche_km: Nullable(Type.Number()),
  score_ifn: Nullable(Type.Number()),
  millesime_ifn: Nullable(Type.String()),
});

export const POPULATION_SOURCE = 'Population : INSEE, populations légales (découpage administratif Etalab, COG)';

function sourcesOf(indicators: TerritoryIndicators, millesimes: (string | undefined)[]): string[] {
  const sources = ['Lieux : registre Maillage (lieux publiés)', POPULATION_SOURCE, 'Centres des communes : geo.api.gouv.fr (COG 2025)'];
  if (indicators.qpv.nombre > 0 || indicators.type === 'qpv') sources.push('QPV : contours officiels ANCT');
  return [...sources, ...millesimes.filter((m): m is string => Boolean(m))];
}

export async function registerObservatoryApi(app: App, deps: AppDeps & { observatory?: Observatory }): Promise<void> {
  const observatory = deps.observatory ?? sharedObservatory(deps.db, deps.config.referenceDir);
  // Keep place↔QPV links and the indicator cache current while the server runs.
  // The search read model gets every new contour index: its QPV filters and fields use it.
  const sync = await startQpvSync(deps.dbHandle, {
    proximityM: deps.config.qpvProximityM,
    logger: deps.logger,
    onContours: (index, version) => deps.search.setQpvLayer(index.size > 0 ? new QpvLayer(index, deps.config.qpvProximityM, version) : undefined),
  });
  const unfollow = await observatory.follow(deps.dbHandle, deps.logger);
  app.addHook('onClose', async () => {
    await unfollow();
    await sync.stop();
  });

  app.get(
    '/api/v1/territoires/:type/:code/indicateurs',
    {
      schema: {
        tags: ['territoires'],
        summary: "Indicateurs de couverture d'un territoire (France, région, département, EPCI, commune, QPV)",
        description:
          'Nombre de lieux, lieux pour 10 000 habitants, services proposés, heures d’ouverture, distances au lieu le plus proche, QPV sans lieu à 500 m, couverture fibre et fragilité numérique, avec leurs millésimes. Pour la France, le code est `FR`.',
        params: Type.Object({
          type: Type.Enum([...TERRITORY_TYPES], { description: 'france, region, departement, epci, commune ou qpv' }),
          code: Type.String({ minLength: 1, maxLength: 20, description: 'FR, code INSEE, SIREN d’EPCI ou code QPV' }),
        }),
        response: { 200: IndicateursApi, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { type } = request.params;
      const code = type === 'france' ? request.params.code.toUpperCase() : request.params.code;
      const [indicators, table] = await Promise.all([observatory.indicators(type, code), observatory.table()]);
      const { thd, ifn } = await observatory.broadbandOf(type, indicators.code);
      return {
        ...indicators,
        haut_debit: thd && {
          taux_ftth: thd.taux_ftth,
          locaux_raccordables: thd.locaux_raccordables,
          locaux: thd.locaux,
          categorie: thd.categorie,
          millesime: thd.millesime,
        },
        fragilite_numerique: ifn && {
          score_total: ifn.score_total,
          score_absence_thd: ifn.score_absence_thd,
          score_absence_4g: ifn.score_absence_4g,
          score_pauvrete: ifn.score_pauvrete,
          score_plus_65_ans: ifn.score_plus_65_ans,
          score_non_diplomes: ifn.score_non_diplomes,
          millesime: ifn.millesime,
        },
        calcule_le: table.computedAt.toISOString(),
        sources: sourcesOf(indicators, [thd?.millesime, ifn?.millesime]),
      };
    },
  );

  app.get(
    '/api/v1/qpv',
    {
      schema: {
        tags: ['territoires'],
        summary: 'Quartiers prioritaires de la politique de la ville (QPV) et leur couverture en lieux',
        querystring: Type.Object({
          departement: Type.Optional(Type.String({ pattern: '^(\\d{2,3}|2[AB])$', description: 'Code du département' })),
          commune: Type.Optional(Type.String({ pattern: '^[0-9AB]{5}$', description: 'Code INSEE de la commune principale' })),
          couvert: Type.Optional(Type.Boolean({ description: 'false : seulement les QPV sans lieu dedans ni à moins de 500 m' })),
          liste: Type.Optional(Type.Enum(['2015', '2024'])),
        }),
        response: { 200: Type.Array(QpvApi), 400: ProblemSchema },
      },
    },
    async (request) => {
      const { departement, commune, couvert, liste } = request.query;
      const table = await observatory.table();
      return table.qpv
        .map((q) => ({ ...q, departement: departementOfQpvCode(q.code) }))
        .filter(
          (q) =>
            (departement === undefined || q.departement === departement) &&
            (commune === undefined || q.commune === commune) &&
            (couvert === undefined || q.couvert === couvert) &&
            (liste === undefined || q.liste === liste),
        );
    },
  );

  app.get(
    '/api/v1/observatoire/double-fracture',
    {
      schema: {
        tags: ['territoires'],
        summary: 'Territoires en « double fracture » : faible couverture fibre et aucun lieu à proximité',
        description: 'JSON par défaut ; `format=csv` pour un export CSV. Chaque ligne porte le millésime de ses chiffres.',
        querystring: Type.Object({
          type: Type.Enum(['commune', 'epci'], { default: 'commune' }),
          seuil_taux_ftth: Type.Number({ minimum: 0, maximum: 1, default: DEFAULT_DOUBLE_FRACTURE.seuilTauxFtth }),
          distance_km: Type.Number({ minimum: 0, maximum: 1000, default: DEFAULT_DOUBLE_FRACTURE.distanceKm }),
          tri: Type.Enum([...DOUBLE_FRACTURE_SORTS], { default: DEFAULT_DOUBLE_FRACTURE.tri }),
          ordre: Type.Enum(['asc', 'desc'], { default: DEFAULT_DOUBLE_FRACTURE.ordre }),
          limit: Type.Integer({ minimum: 1, maximum: 50_000, default: 1000 }),
          format: Type.Enum(['json', 'csv'], { default: 'json' }),
        }),
        response: { 200: Type.Union([Type.Array(DoubleFractureApi), Type.String()]), 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = (
        await observatory.doubleFracture({ type: q.type, seuilTauxFtth: q.seuil_taux_ftth, distanceKm: q.distance_km, tri: q.tri, ordre: q.ordre })
      ).slice(0, q.limit);
      if (q.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="double-fracture-${q.type}.csv"`)
          .send(doubleFractureCsv(rows));
      }
      return rows;
    },
  );
}

export type IndicateursApiType = Static<typeof IndicateursApi>;
