// JSON routes of the administrative map: commune look-up (autocompletion, name or postal code)
// and one territory with its parents.
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type, type Static } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Commune, Territories, TerritoryType } from './territories.types.ts';
import { DEFAULT_SEARCH_LIMIT } from './territories.use-cases.ts';
import { isArrondissementCode } from './territories.names.ts';

const territoryTypes = ['commune', 'epci', 'departement', 'region'] as const satisfies readonly TerritoryType[];

const Centre = Type.Union([
  Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
  Type.Null(),
]);

export const CommuneApi = Type.Object(
  {
    code: Type.String({ description: 'Code INSEE (arrondissement municipal pour Paris, Lyon, Marseille)' }),
    nom: Type.String(),
    codesPostaux: Type.Array(Type.String()),
    codeDepartement: Type.String(),
    codeRegion: Type.String(),
    codeEpci: Type.Union([Type.String(), Type.Null()], { description: "SIREN de l'EPCI" }),
    population: Type.Union([Type.Integer(), Type.Null()]),
    centre: Centre,
  },
  { additionalProperties: false },
);

const TerritoryRef = Type.Object({ code: Type.String(), nom: Type.String() });

export const TerritoireApi = Type.Object({
  type: Type.Enum([...territoryTypes]),
  code: Type.String(),
  nom: Type.String(),
  population: Type.Union([Type.Integer(), Type.Null()]),
  codesPostaux: Type.Optional(Type.Array(Type.String())),
  centre: Type.Optional(Centre),
  epci: Type.Optional(Type.Union([TerritoryRef, Type.Null()])),
  departement: Type.Optional(TerritoryRef),
  region: Type.Optional(TerritoryRef),
  nombreCommunes: Type.Optional(Type.Integer({ description: 'Communes du territoire (EPCI, département, région)' })),
});


const typeLabels: Record<TerritoryType, string> = {
  commune: 'Aucune commune',
  epci: 'Aucun EPCI',
  departement: 'Aucun département',
  region: 'Aucune région',
};

function toCommuneApi(commune: Commune): Static<typeof CommuneApi> {
  const { code, nom, codesPostaux, codeDepartement, codeRegion, codeEpci, population, centre } = commune;
  return { code, nom, codesPostaux, codeDepartement, codeRegion, codeEpci, population, centre };
}

function ref(territories: Territories, type: TerritoryType, code: string | null) {
  const found = code === null ? undefined : territories.getTerritory(type, code);
  return found ? { code: found.code, nom: found.nom } : null;
}

export function territoireDetails(territories: Territories, type: TerritoryType, code: string): Static<typeof TerritoireApi> | undefined {
  const territory = territories.getTerritory(type, code);
  if (!territory) return undefined;
  const base = { type, code: territory.code, nom: territory.nom, population: territory.population };
  if (type === 'commune') {
    const commune = territories.getCommune(territory.code)!;
    return {
      ...base,
      codesPostaux: commune.codesPostaux,
      centre: commune.centre,
      epci: ref(territories, 'epci', commune.codeEpci),
      departement: ref(territories, 'departement', commune.codeDepartement) ?? undefined,
      region: ref(territories, 'region', commune.codeRegion) ?? undefined,
    };
  }
  const communes = territories.communesOf(type, territory.code);
  if (type === 'departement') {
    const first = communes.length ? territories.getCommune(communes[0]!) : undefined;
    return { ...base, region: (first && ref(territories, 'region', first.codeRegion)) ?? undefined, nombreCommunes: countCommunes(communes) };
  }
  return { ...base, nombreCommunes: countCommunes(communes) };
}

/** Arrondissements come with their city in communesOf; they are not communes of their own. */
function countCommunes(codes: string[]): number {
  return codes.filter((code) => !isArrondissementCode(code)).length;
}

export function registerTerritoriesApi(app: App, deps: AppDeps): void {
  const { territories } = deps;

  app.get(
    '/api/v1/communes',
    {
      schema: {
        tags: ['territoires'],
        summary: 'Chercher une commune par son nom ou son code postal',
        description:
          "Autocomplétion : chaque mot de `q` est le début d'un mot du nom (accents et majuscules ignorés), ou le début d'un code postal. Les communes les plus peuplées d'abord.",
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100, description: 'Nom ou code postal, même partiel' }),
          limit: Type.Integer({ minimum: 1, maximum: 50, default: DEFAULT_SEARCH_LIMIT }),
        }),
        response: { 200: Type.Array(CommuneApi), 400: ProblemSchema },
      },
    },
    async (request) => territories.searchCommunes(request.query.q, request.query.limit).map(toCommuneApi),
  );

  app.get(
    '/api/v1/territoires/:type/:code',
    {
      schema: {
        tags: ['territoires'],
        summary: 'Un territoire (commune, EPCI, département, région) et ses territoires parents',
        params: Type.Object({
          type: Type.Enum([...territoryTypes], { description: 'commune, epci, departement ou region' }),
          code: Type.String({ minLength: 1, maxLength: 20, description: 'Code INSEE, SIREN pour un EPCI' }),
        }),
        response: { 200: TerritoireApi, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { type, code } = request.params;
      const details = territoireDetails(territories, type, code);
      if (!details) throw new NotFoundError(`${typeLabels[type]} ne porte le code « ${code} ».`);
      return details;
    },
  );
}
