// JSON routes of the federation: the change feed re-users sync from.
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { Lieu } from '../lieux/lieux.schema.ts';
import { listChanges, maxChangesLimit } from './imports.changes.ts';

const ChangesPage = Type.Object({
  changes: Type.Array(
    Type.Object({
      seq: Type.Integer({ description: 'Position dans le journal ; curseur de reprise' }),
      lieu_id: Type.String({ format: 'uuid' }),
      kind: Type.Union([Type.Literal('added'), Type.Literal('updated'), Type.Literal('removed')]),
      changed_at: Type.String({ format: 'date-time' }),
      lieu: Type.Union([Lieu, Type.Null()], { description: 'Le lieu tel qu’il est publié maintenant ; null s’il a été retiré' }),
    }),
  ),
  next_since: Type.Integer({ description: 'Valeur de « since » pour la page suivante' }),
  has_more: Type.Boolean({ description: 'Vrai s’il reste des changements après cette page' }),
});

export function registerImportsApi(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/lieux/changes',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Journal des changements du registre (ajouts, modifications, retraits), par curseur',
        description:
          'Pour synchroniser une copie du registre : commencez avec since=0, appliquez les changements dans l’ordre, puis reprenez avec next_since tant que has_more est vrai. Les numéros ne changent jamais.',
        querystring: Type.Object({
          since: Type.Integer({ minimum: 0, default: 0, description: 'Dernier numéro déjà lu (0 pour tout lire)' }),
          limit: Type.Integer({ minimum: 1, maximum: maxChangesLimit, default: 1000, description: 'Nombre maximal de changements par page' }),
        }),
        response: { 200: ChangesPage },
      },
    },
    async (request) => listChanges(deps, request.query.since, request.query.limit),
  );
}
