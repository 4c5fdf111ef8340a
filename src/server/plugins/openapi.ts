// OpenAPI 3.1 description generated from the route schemas, served at /api/v1/openapi.json,
// with a documentation page at /api/v1/documentation.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const openapiInfo = {
  title: 'API Maillage — lieux de médiation numérique',
  version: '1.0.0',
  description:
    "Registre national des lieux de médiation numérique, au format du schéma de données national (champs nommés comme dans le standard). Données sous Licence Ouverte 2.0.",
  license: { name: 'Licence Ouverte 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
};

export async function registerOpenapi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: openapiInfo,
      servers: [{ url: '/' }],
      tags: [
        { name: 'lieux', description: 'Lieux de médiation numérique' },
        { name: 'territoires', description: 'Communes, EPCI, départements, régions' },
      ],
      components: {
        securitySchemes: {
          cleApi: { type: 'http', scheme: 'bearer', description: 'Clé d’API d’un compte réseau (mlg_…), créée dans Mon compte › Clés d’API. Réservée à l’API réseau.' },
        },
      },
    },
    // Only the public API is described; HTML pages are not part of the contract.
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/documentation' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
