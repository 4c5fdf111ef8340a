// HTTP routes of the review queue of duplicates, merges and splits (moderators and
// administrators; who may do what is decided in the use cases).
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Lieu } from '../lieux/lieux.schema.ts';
import { listDuplicatesAsAccount, mergeLieuxAsAccount, rejectDuplicateAsAccount, splitLieuAsAccount, type DuplicateStatus } from './imports.duplicates.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const security = 'Session par cookie et en-tête x-csrf-token ; réservé aux modérateurs et aux administrateurs.';
const LieuId = (description: string) => Type.String({ maxLength: 100, description });

const Place = Type.Object({ id: Type.String(), nom: Type.String(), adresse: Type.String(), commune: Type.String(), pivot: Type.String() });
const Pair = Type.Object(
  {
    lieu_a: Place,
    lieu_b: Place,
    score: Type.Integer({ description: 'Score de 0 à 100 (voir la documentation des imports)' }),
    decision: Type.Union([Type.Literal('merge'), Type.Literal('review')], { description: 'merge : fusion probable ; review : à examiner' }),
    signals: Type.Object(
      {
        name: Type.Number(),
        address: Type.Union([Type.Number(), Type.Null()]),
        distance_m: Type.Union([Type.Number(), Type.Null()]),
        pivot: Type.String(),
        phone: Type.Union([Type.Boolean(), Type.Null()]),
        email: Type.Union([Type.Boolean(), Type.Null()]),
      },
      { description: 'Similarité des noms et des adresses (0 à 1), distance, SIRET, téléphone, courriel' },
    ),
    reason: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected')]),
    found_at: Type.String({ format: 'date-time' }),
  },
  { description: 'Deux lieux probablement en double' },
);

const statuses: Record<string, DuplicateStatus> = { 'en-attente': 'pending', confirmes: 'confirmed', rejetes: 'rejected' };

export function registerDuplicatesApi(app: App, deps: AppDeps): void {
  const ctx = (request: FastifyRequest) => ({ account: requireAccount(request), ip: request.ip });

  app.get(
    '/api/v1/doublons',
    {
      schema: {
        tags: ['doublons'],
        summary: 'File de revue des doublons probables, meilleur score d’abord',
        description: security,
        querystring: Type.Object({
          statut: Type.Optional(Type.Union([Type.Literal('en-attente'), Type.Literal('confirmes'), Type.Literal('rejetes')], { default: 'en-attente' })),
          limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ doublons: Type.Array(Pair) }), ...errors },
      },
    },
    async (request) => ({
      doublons: await listDuplicatesAsAccount(deps, ctx(request), { status: statuses[request.query.statut ?? 'en-attente'], limit: request.query.limite }),
    }),
  );

  app.post(
    '/api/v1/doublons/fusion',
    {
      schema: {
        tags: ['doublons'],
        summary: 'Fusionner un lieu dans un autre (annulable par une séparation)',
        description: `${security} Le lieu conservé garde son identifiant ; le lieu fusionné est retiré et son adresse redirige (301) vers le lieu conservé. Deux SIRET/RNA différents exigent « forcer ».`,
        body: Type.Object(
          {
            lieu_conserve: LieuId('Identifiant du lieu conservé'),
            lieu_fusionne: LieuId('Identifiant du lieu fusionné dans le lieu conservé'),
            forcer: Type.Optional(Type.Boolean({ description: 'Fusionner même avec deux SIRET/RNA différents' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ merge_id: Type.String(), lieu: Lieu, fusionne: Type.String(), champs_modifies: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request) => mergeLieuxAsAccount(deps, request.body.lieu_conserve, request.body.lieu_fusionne, ctx(request), { force: request.body.forcer === true }),
  );

  app.post(
    '/api/v1/doublons/separation',
    {
      schema: {
        tags: ['doublons'],
        summary: 'Annuler la fusion d’un lieu',
        description: `${security} Le lieu fusionné retrouve son état d’avant la fusion ; le lieu conservé aussi, sauf les champs modifiés depuis la fusion, qui gardent leur nouvelle valeur.`,
        body: Type.Object({ lieu: LieuId('Identifiant du lieu qui avait été fusionné') }, { additionalProperties: false }),
        response: { 200: Type.Object({ merge_id: Type.String(), lieu: Lieu, separe: Lieu, champs_conserves: Type.Array(Type.String()) }), ...errors },
      },
    },
    async (request) => splitLieuAsAccount(deps, request.body.lieu, ctx(request)),
  );

  app.post(
    '/api/v1/doublons/rejet',
    {
      schema: {
        tags: ['doublons'],
        summary: 'Déclarer que deux lieux sont distincts : la paire ne sera plus proposée',
        description: security,
        body: Type.Object({ lieu_a: LieuId('Identifiant d’un lieu'), lieu_b: LieuId('Identifiant de l’autre lieu') }, { additionalProperties: false }),
        response: { 200: Pair, ...errors },
      },
    },
    async (request) => rejectDuplicateAsAccount(deps, request.body.lieu_a, request.body.lieu_b, ctx(request)),
  );
}
