// JSON search routes: GET /api/v1/lieux (around a point, in a territory, by text, by the
// standard's enumerated fields, open now or at a date) and GET /api/v1/territoires/:type/:code/lieux.
// Both read the in-memory snapshot of deps.search; no database access per request.
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type, type Static } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.ts';
import { Lieu } from '../lieux/lieux.schema.ts';
import { enumeratedFieldValues, enumeratedFields, territoireTypes, type EnumeratedField, type TerritoireType } from './search.fields.ts';
import { MAX_Q_LENGTH, MAX_RAYON_KM } from './search.query.ts';
import { searchPage } from './search-engine.ts';
import { searchResultJson } from './search.response.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, type SearchQuery } from './search.types.ts';
import { QpvItemsApi } from '../qpv/qpv.schema.ts';

const enumParams = Object.fromEntries(
  enumeratedFields.map((field) => [
    field,
    Type.Optional(
      Type.Array(Type.String(), {
        description: `Répétable. Lieux ayant au moins une de ces valeurs (OU), combiné aux autres filtres par ET. Valeurs : ${enumeratedFieldValues[field].join(' ; ')}.`,
      }),
    ),
  ]),
) as Record<EnumeratedField, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Array<ReturnType<typeof Type.String>>>>>>;

const pagingParams = {
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `Taille de la page (${DEFAULT_LIMIT} par défaut, ${MAX_LIMIT} au plus)` }),
  curseur: Type.Optional(Type.String({ maxLength: 2000, description: 'Valeur next_cursor de la page précédente, pour la page suivante' })),
};

// QPV attributes are computed from the contours (qpv module), not fields of the standard.
const qpvParams = {
  qpv: Type.Optional(Type.Array(Type.String(), { description: 'Répétable. Code QPV (ex. QP035003) : lieux situés dans un de ces quartiers prioritaires.' })),
  qpv_proche: Type.Optional(
    Type.Array(Type.String(), { description: 'Répétable. Code QPV : lieux situés dans un de ces quartiers ou à moins de la distance configurée de son contour (300 m par défaut).' }),
  ),
  en_qpv: Type.Optional(Type.Boolean({ description: 'true : lieux situés dans un quartier prioritaire (QPV) ; false : hors de tout QPV.' })),
  proche_qpv: Type.Optional(
    Type.Boolean({ description: 'true : lieux dans un QPV ou à moins de la distance configurée (300 m par défaut) ; false : ni dans ni près d’un QPV.' }),
  ),
};

const filterParams = {
  lat: Type.Optional(Type.Number({ description: 'Latitude WGS84 du point de recherche (avec lon) : tri par distance' })),
  lon: Type.Optional(Type.Number({ description: 'Longitude WGS84 du point de recherche (avec lat)' })),
  rayon: Type.Optional(Type.Number({ description: `Rayon en kilomètres autour du point (avec lat et lon), au plus ${MAX_RAYON_KM}` })),
  q: Type.Optional(
    Type.String({
      maxLength: MAX_Q_LENGTH,
      description:
        'Texte cherché dans le nom et la commune, sans tenir compte des accents ni des majuscules. Chaque mot doit être le début d’un mot du lieu, ou (mots de 4 lettres ou plus) ce mot à une faute de frappe près.',
    }),
  ),
  ouvert_maintenant: Type.Optional(Type.Boolean({ description: 'true : seulement les lieux ouverts en ce moment (selon leurs horaires)' })),
  ouvert_le: Type.Optional(Type.String({ description: 'Date et heure ISO 8601 : seulement les lieux ouverts à cet instant (ex. 2025-03-14T10:30:00+01:00)' })),
  ...enumParams,
  ...qpvParams,
  ...pagingParams,
};

const territoireParams = {
  commune: Type.Optional(Type.String({ description: 'Code INSEE : lieux de cette commune' })),
  epci: Type.Optional(Type.String({ description: 'SIREN : lieux de cet EPCI' })),
  departement: Type.Optional(Type.String({ description: 'Code du département (ex. 69, 2A, 974)' })),
  region: Type.Optional(Type.String({ description: 'Code INSEE de la région (ex. 84)' })),
};

const LieuxQuery = Type.Object({ ...filterParams, ...territoireParams }, { additionalProperties: false });
const TerritoireLieuxQuery = Type.Object(filterParams, { additionalProperties: false });
type FilterParams = Static<typeof TerritoireLieuxQuery>;

export const SearchItemApi = Type.Object(
  {
    ...Lieu.properties,
    distance: Type.Optional(Type.Integer({ description: 'Distance au point de recherche, en mètres (seulement avec lat et lon)' })),
    qpv: QpvItemsApi,
  },
);

export const SearchResultApi = Type.Object({
  total: Type.Integer({ description: 'Nombre total de lieux trouvés (toutes pages)' }),
  items: Type.Array(SearchItemApi),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'À passer en « curseur » pour la page suivante ; null sur la dernière page' }),
});


const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** From query-string parameters to a SearchQuery; engine-level checks happen in prepareQuery. */
export function toSearchQuery(params: FilterParams, territoire?: SearchQuery['territoire']): SearchQuery {
  const errors: FieldError[] = [];
  const query: SearchQuery = { limit: params.limit, curseur: params.curseur, q: params.q, territoire };
  if ((params.lat === undefined) !== (params.lon === undefined)) {
    const missing = params.lat === undefined ? 'lat' : 'lon';
    errors.push({ field: missing, message: `« ${missing} » est obligatoire quand « ${missing === 'lat' ? 'lon' : 'lat'} » est donné.` });
  } else if (params.lat !== undefined && params.lon !== undefined) {
    query.point = { latitude: params.lat, longitude: params.lon };
  }
  if (params.rayon !== undefined) query.rayon_km = params.rayon;
  if (params.ouvert_maintenant) query.ouvert_maintenant = true;
  if (params.ouvert_le !== undefined) {
    const at = new Date(params.ouvert_le);
    if (!ISO_DATE_TIME.test(params.ouvert_le) || Number.isNaN(at.getTime())) {
      errors.push({ field: 'ouvert_le', message: '« ouvert_le » doit être une date et heure ISO 8601 avec fuseau (ex. 2025-03-14T10:30:00+01:00).', value: params.ouvert_le });
    } else {
      query.ouvert_le = at;
    }
  }
  const filters: SearchQuery['filters'] = {};
  for (const field of enumeratedFields) if (params[field]?.length) filters[field] = params[field];
  query.filters = filters;
  const qpv: NonNullable<SearchQuery['qpv']> = {};
  if (params.qpv?.length) qpv.dans = params.qpv;
  if (params.qpv_proche?.length) qpv.proche = params.qpv_proche;
  if (params.en_qpv !== undefined) qpv.en_qpv = params.en_qpv;
  if (params.proche_qpv !== undefined) qpv.proche_qpv = params.proche_qpv;
  if (Object.keys(qpv).length) query.qpv = qpv;
  if (errors.length) throw new ValidationError(errors, 'Paramètres invalides');
  return query;
}

function territoireOf(params: Static<typeof LieuxQuery>): SearchQuery['territoire'] {
  const given = territoireTypes.filter((type) => params[type] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(
      given.map((type) => ({ field: type, message: `Un seul territoire à la fois : « ${given.join(' », « ')} » sont donnés ensemble.` })),
      'Paramètres invalides',
    );
  }
  const type = given[0];
  return type ? { type, code: params[type]! } : undefined;
}

/**
 * Sends JSON already written as bytes (Fastify skips serialisation for a Buffer); the route's
 * response schema still documents it in OpenAPI.
 */
function sendJson(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

export function registerSearchApi(app: App, deps: AppDeps): void {
  const { search, clock } = deps;

  app.get(
    '/api/v1/lieux',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Chercher des lieux de médiation numérique',
        description:
          'Lieux publiés, filtrés par point et rayon, territoire, texte, champs énumérés du standard et horaires. Avec lat et lon : tri par distance croissante (puis nom) et distance en mètres dans chaque lieu, lieux sans position exclus ; sinon tri par nom. Pagination par curseur : repasser next_cursor dans « curseur ».',
        querystring: LieuxQuery,
        response: { 200: SearchResultApi, 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      const snapshot = search.current();
      const page = searchPage(snapshot, toSearchQuery(request.query, territoireOf(request.query)), clock.now());
      return sendJson(reply, searchResultJson(snapshot, page));
    },
  );

  app.get(
    '/api/v1/territoires/:type/:code/lieux',
    {
      schema: {
        tags: ['territoires'],
        summary: 'Les lieux d’un territoire (commune, EPCI, département, région)',
        description: 'Lieux publiés du territoire, triés par nom (ou par distance avec lat et lon), avec les mêmes filtres que /api/v1/lieux.',
        params: Type.Object({
          type: Type.Enum([...territoireTypes], { description: 'commune, epci, departement ou region' }),
          code: Type.String({ minLength: 1, maxLength: 20, description: 'Code INSEE, SIREN pour un EPCI' }),
        }),
        querystring: TerritoireLieuxQuery,
        response: { 200: SearchResultApi, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { type, code } = request.params as { type: TerritoireType; code: string };
      if (!deps.territories.getTerritory(type, code)) {
        throw new NotFoundError(`Aucun territoire de type « ${type} » ne porte le code « ${code} ».`);
      }
      const snapshot = search.current();
      const page = searchPage(snapshot, toSearchQuery(request.query, { type, code }), clock.now());
      return sendJson(reply, searchResultJson(snapshot, page));
    },
  );
}
