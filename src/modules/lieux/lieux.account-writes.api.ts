// HTTP writes on places by signed-in accounts; who may do what is decided in the use cases.
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { Lieu } from './lieux.schema.ts';
import { createLieuAsAccount, unpublishLieuAsAccount, updateLieuAsAccount } from './lieux.account-writes.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const security = 'Session par cookie et en-tête x-csrf-token ; réservé au gestionnaire du lieu, aux agents territoriaux de son territoire, aux modérateurs et administrateurs.';
const Id = Type.Object({ id: Type.String({ maxLength: 100, description: 'Identifiant (UUID) du lieu' }) });

export function registerLieuxAccountWritesApi(app: App, deps: AppDeps): void {
  const ctx = (request: FastifyRequest) => ({
    account: requireAccount(request),
    ip: request.ip,
  });

  app.post(
    '/api/v1/lieux',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Ajouter un lieu (compte connecté)',
        description: security,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 201: Lieu, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createLieuAsAccount(deps, request.body, ctx(request))),
  );

  app.patch(
    '/api/v1/lieux/:id',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Modifier un lieu (champs du standard ; null efface un champ facultatif)',
        description: security,
        params: Id,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 200: Lieu, ...errors },
      },
    },
    async (request) => updateLieuAsAccount(deps, request.params.id, request.body, ctx(request)),
  );

  app.delete(
    '/api/v1/lieux/:id',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Retirer un lieu du registre (il reste dans l’historique)',
        description: security,
        params: Id,
        response: { 200: Lieu, ...errors },
      },
    },
    async (request) => unpublishLieuAsAccount(deps, request.params.id, ctx(request)),
  );
}
