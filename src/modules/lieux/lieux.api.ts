// JSON routes of the registry: one place by its id, in the standard's v1 field names.
import { ProblemSchema, sendProblem, type Problem } from '../../server/plugins/errors.ts';
import { DomainError } from '../../lib/errors.ts';
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { Lieu } from './lieux.schema.ts';
import { getPublishedLieu } from './lieux.use-cases.ts';
import { findMergedInto } from './lieux.merged.ts';
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
          'Tous les champs du standard (listes pour les champs à plusieurs valeurs), plus les codes de l’EPCI, du département et de la région de la commune. Un lieu retiré du registre répond 410 ; un lieu fusionné dans un autre répond 301 vers celui-ci (en-tête Location, champ « lieu »).',
        params: Type.Object({ id: Type.String({ maxLength: 100, description: 'Identifiant (UUID) du lieu' }) }),
        response: { 200: LieuWithQpv, 301: ProblemSchema, 404: ProblemSchema, 410: ProblemSchema },
      },
    },
    async (request, reply) => {
      let lieu;
      try {
        lieu = await getPublishedLieu(deps, request.params.id);
      } catch (error) {
        // A place merged into another points there for good (301 with the place's id).
        const target = error instanceof DomainError && error.status === 410 ? await findMergedInto(deps.db, request.params.id) : null;
        if (!target) throw error;
        const moved = { type: 'https://maillage.anct.gouv.fr/problemes/fusionne', title: `Ce lieu a été fusionné avec le lieu « ${target} ».`, status: 301, instance: request.url, lieu: target };
        return sendProblem(reply.header('location', `/api/v1/lieux/${target}`), moved as Problem);
      }
      const qpv = await qpvItemsOfPlace(deps.db, lieu.id);
      return qpv.length ? { ...lieu, qpv } : lieu;
    },
  );
}
