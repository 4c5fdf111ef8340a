// JSON route of the revert to a version, the same use case as the moderation page:
// session cookie + x-csrf-token, moderators and administrators.
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Lieu } from '../lieux/lieux.schema.ts';
import { revertLieuToVersion } from './history.use-cases.ts';
import type { ModerationDeps } from './moderation.use-cases.ts';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

export function registerHistoryApi(app: App, mod: ModerationDeps): void {
  app.post(
    '/api/v1/lieux/:id/versions/:version/retablir',
    {
      schema: {
        tags: ['modération'],
        summary: 'Revenir aux informations d’une version précédente d’un lieu',
        description:
          'Session par cookie et en-tête x-csrf-token ; réservé aux modérateurs et aux administrateurs. Ajoute une nouvelle version (motif « Retour à la version N ») : ' +
          'l’historique n’est jamais réécrit, le flux des changements la voit comme une modification. Le statut de publication ne change pas. 409 quand le lieu est déjà dans cet état, ' +
          'quand il est fusionné dans un autre, ou quand version_actuelle ne correspond plus.',
        params: Type.Object({ id: Type.String({ maxLength: 100, description: 'Identifiant (UUID) du lieu' }), version: Type.String({ maxLength: 12, description: 'Numéro de la version à rétablir' }) }),
        body: Type.Optional(
          Type.Object(
            {
              commentaire: Type.Optional(Type.String({ maxLength: 2000, description: 'Ajouté au motif et envoyé aux comptes dont les modifications sont annulées' })),
              version_actuelle: Type.Optional(Type.Integer({ minimum: 1, description: 'La version du lieu vue avant de décider : refus (409) si le lieu a changé depuis' })),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({
            lieu: Lieu,
            version_retablie: Type.Integer({ description: 'La version dont les informations sont rétablies' }),
            version: Type.Integer({ description: 'La nouvelle version écrite par ce retour' }),
            notifies: Type.Integer({ description: 'Nombre de comptes prévenus par e-mail' }),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const result = await revertLieuToVersion(mod, request.params.id, request.params.version, { comment: request.body?.commentaire, expectedVersion: request.body?.version_actuelle }, { account: requireAccount(request), ip: request.ip });
      return { lieu: result.lieu, version_retablie: result.reverted_to, version: result.version, notifies: result.notified };
    },
  );
}
