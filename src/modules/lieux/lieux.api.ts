// JSON routes of the registry: one place by its id, in the standard's v1 field names.
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { Lieu } from './lieux.schema.ts';
import { getPublishedLieu } from './lieux.use-cases.ts';
// Computed beside the standard's fields: the place's priority neighbourhoods (qpv module).
import { QpvItemsApi } from '../qpv/qpv.schema.ts';
import { qpvItemsOfPlace } from '../qpv/qpv.repository.ts';

const LieuWithQpv = Type.Object({ ...Lieu.properties, qpv: QpvItemsApi });


export function registerLieuxApi(app: App, deps: AppDeps): void {
  app.get(
    '/api/v1/lieux/:id',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Un lieu de médiation numérique, au format du standard national v1',
        description:
          'Tous les champs du standard (listes pour les champs à plusieurs valeurs), plus les codes de l’EPCI, du département et de la région de la commune. Un lieu retiré du registre répond 410.',
        params: Type.Object({ id: Type.String({ maxLength: 100, description: 'Identifiant (UUID) du lieu' }) }),
        response: { 200: LieuWithQpv, 404: ProblemSchema, 410: ProblemSchema },
      },
    },
    async (request) => {
      const lieu = await getPublishedLieu(deps, request.params.id);
      const qpv = await qpvItemsOfPlace(deps.db, lieu.id);
      return qpv.length ? { ...lieu, qpv } : lieu;
    },
  );
}
