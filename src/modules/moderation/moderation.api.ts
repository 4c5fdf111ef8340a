// JSON routes of claims and of the moderation queue, the same use cases as the pages (who may
// do what is decided there): session cookie + x-csrf-token.
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { claimLieu } from './claims.use-cases.ts';
import { decideClaim, decideDuplicate, decideReport, listModerationQueue, type ModerationDeps } from './moderation.use-cases.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const tags = ['modération'];
const security = 'Session par cookie et en-tête x-csrf-token ; réservé aux modérateurs et aux administrateurs.';
const Commentaire = Type.Optional(Type.String({ maxLength: 2000, description: 'Commentaire de la décision (envoyé à la personne concernée)' }));
const Done = Type.Object({ notifie: Type.Boolean({ description: 'La personne concernée a été prévenue par e-mail' }) });
const PlaceRef = Type.Object({ id: Type.String(), nom: Type.String(), commune: Type.String() });

export function registerModerationApi(app: App, deps: AppDeps, mod: ModerationDeps): void {
  const ctx = (request: FastifyRequest) => ({ account: requireAccount(request), ip: request.ip });

  app.post(
    '/api/v1/lieux/:id/revendication',
    {
      schema: {
        tags,
        summary: 'Je gère ce lieu : revendiquer un lieu (comptes gestionnaire)',
        description: 'Acceptée aussitôt (200) quand le domaine de l’adresse du compte est celui du site web ou du courriel du lieu (hors messageries grand public) ; sinon en attente de modération (202).',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object({ message: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ id: Type.String(), statut: Type.Literal('acceptee'), lieu: PlaceRef, raison: Type.Null() }),
          202: Type.Object({ id: Type.String(), statut: Type.Literal('en-attente'), lieu: PlaceRef, raison: Type.String() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const result = await claimLieu(mod, request.params.id, request.body?.message, ctx(request));
      if (result.status === 'accepted') return reply.code(200).send({ id: result.id, statut: 'acceptee' as const, lieu: result.lieu, raison: null });
      return reply.code(202).send({ id: result.id, statut: 'en-attente' as const, lieu: result.lieu, raison: result.reason ?? '' });
    },
  );

  app.get(
    '/api/v1/moderation',
    {
      schema: {
        tags,
        summary: 'File de modération : lieux proposés, demandes de gestion en attente, signalements ouverts, doublons probables',
        description: security,
        response: {
          200: Type.Object({
            propositions: Type.Array(Type.Object({ id: Type.String(), nom: Type.String(), adresse: Type.String(), code_postal: Type.String(), commune: Type.String(), courriel: Type.String(), recue_le: Type.String({ format: 'date-time' }), lieu: Type.Record(Type.String(), Type.Unknown(), { description: 'Les champs du standard proposés' }) })),
            revendications: Type.Array(Type.Object({ id: Type.String(), lieu: PlaceRef, courriel: Type.String(), message: Type.Union([Type.String(), Type.Null()]), recue_le: Type.String({ format: 'date-time' }), raison: Type.String() })),
            signalements: Type.Array(Type.Object({ id: Type.String(), lieu: PlaceRef, nature: Type.String(), message: Type.String(), reponse_attendue: Type.Boolean(), recu_le: Type.String({ format: 'date-time' }) })),
            doublons: Type.Array(Type.Object({ lieu_a: PlaceRef, lieu_b: PlaceRef, score: Type.Integer() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const queue = await listModerationQueue(mod, requireAccount(request));
      const ref = (l: { id: string; nom: string; commune: string }) => ({ id: l.id, nom: l.nom, commune: l.commune });
      return {
        propositions: queue.propositions.map((p) => ({ id: p.id, nom: p.nom, adresse: p.adresse, code_postal: p.code_postal, commune: p.commune, courriel: p.email, recue_le: p.created_at, lieu: p.record })),
        revendications: queue.claims.map((c) => ({ id: c.id, lieu: ref(c.lieu), courriel: c.email, message: c.message, recue_le: c.created_at, raison: c.reason })),
        signalements: queue.reports.map((r) => ({ id: r.id, lieu: ref(r.lieu), nature: r.kind, message: r.message, reponse_attendue: r.reply_expected, recu_le: r.created_at })),
        doublons: queue.duplicates.map((d) => ({ lieu_a: ref(d.lieu_a), lieu_b: ref(d.lieu_b), score: d.score })),
      };
    },
  );

  app.post(
    '/api/v1/moderation/revendications/:id',
    {
      schema: {
        tags,
        summary: 'Accepter ou refuser une demande de gestion (un refus exige un commentaire)',
        description: security,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object({ decision: Type.Union([Type.Literal('accepter'), Type.Literal('refuser')]), commentaire: Commentaire }, { additionalProperties: false }),
        response: { 200: Done, ...errors },
      },
    },
    async (request) => {
      const { notified } = await decideClaim(mod, request.params.id, request.body.decision === 'accepter' ? 'accept' : 'reject', request.body.commentaire, ctx(request));
      return { notifie: notified };
    },
  );

  app.post(
    '/api/v1/moderation/signalements/:id',
    {
      schema: {
        tags,
        summary: 'Marquer un signalement d’erreur comme traité ou le rejeter',
        description: `${security} La personne est prévenue seulement si elle a laissé une adresse.`,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        body: Type.Object({ decision: Type.Union([Type.Literal('traite'), Type.Literal('rejete')]), commentaire: Commentaire }, { additionalProperties: false }),
        response: { 200: Done, ...errors },
      },
    },
    async (request) => {
      const { notified } = await decideReport(mod, request.params.id, request.body.decision === 'traite' ? 'resolved' : 'rejected', request.body.commentaire, ctx(request));
      return { notifie: notified };
    },
  );

  app.post(
    '/api/v1/moderation/doublons',
    {
      schema: {
        tags,
        summary: 'Fusionner deux lieux probablement en double, ou les déclarer distincts',
        description: `${security} Mêmes règles que /api/v1/doublons/fusion et /api/v1/doublons/rejet.`,
        body: Type.Object(
          {
            lieu_a: Type.String({ maxLength: 100 }),
            lieu_b: Type.String({ maxLength: 100 }),
            decision: Type.Union([Type.Literal('fusionner'), Type.Literal('rejeter')]),
            conserve: Type.Optional(Type.Union([Type.Literal('a'), Type.Literal('b')], { description: 'En cas de fusion, le lieu qui garde son identifiant (a par défaut)' })),
            commentaire: Commentaire,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      await decideDuplicate(mod, { lieu_a: b.lieu_a, lieu_b: b.lieu_b, decision: b.decision === 'fusionner' ? 'merge' : 'reject', kept: b.conserve ?? 'a', comment: b.commentaire }, ctx(request));
      return { ok: true as const };
    },
  );
}
