// JSON routes of "Proposer un lieu": address suggestions, validation of one place (the same
// validateLieu and French messages as POST /api/v1/lieux), submitting a proposal (session +
// x-csrf-token) and the moderators' decision on it. Rules are in the use cases.
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import { suggestAddresses } from './adresses.suggest.ts';
import { decideProposition, proposeLieu, type PropositionDeps } from './propositions.use-cases.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 429: ProblemSchema };
const FieldErrors = Type.Array(Type.Object({ field: Type.String(), message: Type.String() }));

/** Submissions per minute and IP: a person fills a form in minutes, not seconds. */
export const PROPOSAL_RATE_LIMIT = { rateLimit: { max: 10, timeWindow: 60_000 } };

export function registerPropositionsApi(app: App, deps: AppDeps, props: PropositionDeps): void {
  const ctx = (request: FastifyRequest) => ({ account: requireAccount(request), ip: request.ip });

  app.get(
    '/api/v1/adresses',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Suggestions d’adresses pendant la saisie (API Adresse de la BAN)',
        description: 'Relaie le service de géocodage configuré (MAILLAGE_GEOCODER_URL). Désactivé ou injoignable : liste vide et message en français.',
        querystring: Type.Object({
          q: Type.String({ maxLength: 200, description: 'Début d’adresse (3 caractères au moins)' }),
          limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5 })),
        }),
        response: {
          200: Type.Object({
            adresses: Type.Array(
              Type.Object({
                label: Type.String(),
                adresse: Type.String(),
                code_postal: Type.String(),
                commune: Type.String(),
                code_insee: Type.String(),
                latitude: Type.Number(),
                longitude: Type.Number(),
                type: Type.String(),
              }),
            ),
            message: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ProblemSchema,
        },
      },
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
    },
    async (request) => suggestAddresses(deps.config.geocoderUrl, request.query.q, { limit: request.query.limite ?? 5 }),
  );

  app.post(
    '/api/v1/lieux/validation',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Vérifier un lieu sans l’enregistrer',
        description: 'Les mêmes règles et messages que POST /api/v1/lieux : `valide`, la liste des erreurs par champ (même forme que `errors` des réponses 400) et le lieu normalisé.',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: {
          200: Type.Object({ valide: Type.Boolean(), errors: FieldErrors, lieu: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]) }),
          400: ProblemSchema,
        },
      },
      // Called as each field is left: generous, but a script cannot use it as free compute.
      config: { rateLimit: { max: 300, timeWindow: 60_000 } },
    },
    async (request) => {
      const result = validateLieu(request.body, deps.territories);
      if (result.ok) return { valide: true, errors: [], lieu: result.value };
      return { valide: false, errors: result.errors.map((e) => ({ field: e.field, message: e.message })), lieu: null };
    },
  );

  app.post(
    '/api/v1/propositions',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Proposer un nouveau lieu (compte connecté ; publié après modération)',
        description: 'Session par cookie et en-tête x-csrf-token ; tout rôle, adresse e-mail confirmée. Champs du standard ; `date_maj` vaut la date du jour si absent. 10 propositions en attente au plus par compte.',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 202: Type.Object({ id: Type.String(), statut: Type.Literal('en-attente'), nom: Type.String(), notifie: Type.Boolean() }), ...errors },
      },
      config: PROPOSAL_RATE_LIMIT,
    },
    async (request, reply) => {
      const result = await proposeLieu(props, request.body, ctx(request));
      return reply.code(202).send({ id: result.id, statut: 'en-attente' as const, nom: result.nom, notifie: result.notified });
    },
  );

  app.post(
    '/api/v1/moderation/propositions/:id',
    {
      schema: {
        tags: ['modération'],
        summary: 'Accepter (publier) ou refuser un lieu proposé (un refus exige un commentaire)',
        description: 'Session par cookie et en-tête x-csrf-token ; réservé aux modérateurs et aux administrateurs.',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object({ decision: Type.Union([Type.Literal('accepter'), Type.Literal('refuser')]), commentaire: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ notifie: Type.Boolean(), lieu: Type.Union([Type.String(), Type.Null()], { description: 'Identifiant du lieu publié' }) }), ...errors },
      },
    },
    async (request) => {
      const result = await decideProposition(props, request.params.id, request.body.decision === 'accepter' ? 'accept' : 'reject', request.body.commentaire, ctx(request));
      return { notifie: result.notified, lieu: result.lieu_id };
    },
  );
}
