// JSON routes of a source's sync jobs, for the réseau account that holds the source and for
// administrators (session cookie; writes with the x-csrf-token header).
import { Type } from 'typebox';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { requireAccount } from '../../server/plugins/auth.ts';
import { closeSourceJobsFor, sourceJobsFor } from './sources.jobs.ts';
import { requestSyncAs, sourceByIdFor, sourceJobsAs } from './sources.back-office.ts';

const SyncJobSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')], {
    description: 'queued : en attente (première tentative ou nouvelle tentative après un échec) ; running : en cours ; succeeded : réussie ; failed : échouée après la dernière tentative',
  }),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual'), Type.Literal('cli')], { description: 'Planification, demande depuis le back-office ou l’API, ou ligne de commande' }),
  attempts: Type.Integer({ description: 'Tentatives commencées' }),
  max_attempts: Type.Integer({ description: 'Tentatives permises (1 + nouvelles tentatives)' }),
  created_at: Type.String({ format: 'date-time' }),
  started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  start_after: Type.String({ format: 'date-time', description: 'Pas avant cette date (attente avant une nouvelle tentative)' }),
  run_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'Import produit par une synchronisation réussie' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Raison du dernier échec, en français' }),
  failure: Type.Union([Type.Literal('file'), Type.Literal('address'), Type.Literal('source'), Type.Literal('network'), Type.Literal('location'), Type.Literal('internal'), Type.Null()], {
    description:
      'Nature du dernier échec : file (fichier invalide) et address (adresse refusée, ex. réseau privé) et source (source supprimée ou sans emplacement) ne sont pas retentés ; network (serveur injoignable, délai dépassé, erreur HTTP), location (fichier de la source illisible) et internal le sont, avec un délai croissant',
  }),
  summary: Type.Union([Type.String(), Type.Null()], { description: 'L’échec et la suite en une phrase, ex. « Fichier invalide : … — pas de nouvelle tentative. » ou « Échec réseau — nouvelle tentative à 14:05 : … »' }),
});

const params = Type.Object({ id: Type.String({ format: 'uuid', description: 'Identifiant de la source' }) });

export function registerSourcesApi(app: App, deps: AppDeps): void {
  const jobs = () => sourceJobsFor(deps.db, deps.config.jobs);
  app.addHook('onClose', async () => closeSourceJobsFor(deps.db));
  const tags = ['sources'];

  app.get(
    '/api/v1/sources/:id/jobs',
    {
      schema: {
        tags,
        summary: 'Synchronisations récentes d’une source et leur état (compte réseau de la source ou administrateur)',
        params,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }),
        response: { 200: Type.Object({ jobs: Type.Array(SyncJobSchema) }), 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const account = requireAccount(request);
      const source = await sourceByIdFor(deps, account, request.params.id);
      return { jobs: await sourceJobsAs(deps, await jobs(), account, source, request.query.limit) };
    },
  );

  app.post(
    '/api/v1/sources/:id/jobs',
    {
      schema: {
        tags,
        summary: 'Demander une synchronisation de la source maintenant',
        description: 'Met une synchronisation en file. Si une synchronisation de la source attend déjà son tour, aucune autre n’est ajoutée (job_id vaut null).',
        params,
        response: { 202: Type.Object({ job_id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]), message: Type.String() }), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const account = requireAccount(request);
      const source = await sourceByIdFor(deps, account, request.params.id);
      const id = await requestSyncAs(deps, await jobs(), account, source);
      return reply.code(202).send({ job_id: id, message: id ? 'Synchronisation mise en file.' : 'Une synchronisation de cette source attend déjà son tour.' });
    },
  );
}
