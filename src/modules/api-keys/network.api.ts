// The network API: a réseau pushes the complete list of a source's places with an API key
// (`Authorization: Bearer mlg_…`), as standard v1 JSON or CSV. A new body is checked first by
// a dry run of the import, so that a body with no usable place is refused (422) without taking
// the source away from all its places; then it is imported in one transaction. The same bytes
// as the last applied push skip the dry run.
import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { ProblemSchema } from '../../server/plugins/errors.ts';
import { DomainError, NotFoundError, type FieldError } from '../../lib/errors.ts';
import { sha256 } from '../accounts/accounts.crypto.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { ImportFileError, runImport, type ImportReport } from '../imports/imports.use-cases.ts';
import type { ImportFormat } from '../imports/imports.read.ts';
import { findSourceById } from '../sources/sources.repository.ts';
import { assertKeyMayPush, authenticateApiKey } from './api-keys.use-cases.ts';

/** Pushes per key (or per IP without a key) and per minute. */
export const pushesPerMinute = 30;
export const maxPushBytes = 50 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The body holds no usable place: nothing was written. */
export class UnusableBodyError extends DomainError {
  constructor(message: string, errors: FieldError[] = []) {
    super('corps_inutilisable', message, 422, errors);
  }
}

const Problem = Type.Object({
  row: Type.Integer({ description: 'Position de l’enregistrement : rang dans la liste JSON (1 = premier), ou ligne du CSV (en-tête = 1)' }),
  field: Type.String({ description: 'Champ du standard en cause' }),
  value: Type.Optional(Type.String({ description: 'Valeur reçue' })),
  message: Type.String({ description: 'Explication en français' }),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')], { description: 'error : enregistrement rejeté ; warning : accepté, valeur corrigée ou ignorée' }),
});

const PushResult = Type.Object({
  run_id: Type.String({ format: 'uuid', description: 'Import enregistré (visible dans les imports de la source)' }),
  source: Type.String({ description: 'Nom court de la source' }),
  format: Type.String(),
  stats: Type.Object(
    {
      read: Type.Integer({ description: 'Enregistrements reçus' }),
      accepted: Type.Integer(),
      rejected: Type.Integer(),
      new: Type.Integer({ description: 'Lieux créés' }),
      updated: Type.Integer(),
      unchanged: Type.Integer(),
      merged: Type.Integer({ description: 'Rattachés à un lieu déjà listé par une autre source' }),
      removed: Type.Integer({ description: 'Lieux absents de l’envoi, qui ne sont plus listés par cette source' }),
      unpublished: Type.Integer(),
      warnings: Type.Integer(),
      duplicates: Type.Integer(),
    },
    { additionalProperties: true },
  ),
  problems: Type.Array(Problem, { description: 'Erreurs et avertissements par enregistrement, dans l’ordre de l’envoi' }),
});

const PlaceInput = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'Identifiant stable du lieu chez le réseau (recommandé : il relie les envois successifs)' })),
    nom: Type.String(),
    adresse: Type.String(),
    commune: Type.String(),
    code_postal: Type.String(),
  },
  { additionalProperties: true, description: 'Un lieu au format du standard v1 (tous ses champs sont acceptés)' },
);

const formats: Record<string, ImportFormat> = { 'application/json': 'standard-json', 'text/csv': 'standard-csv' };

export async function registerNetworkApi(app: App, deps: AppDeps): Promise<void> {
  const importDeps = { db: deps.db, clock: deps.clock, territories: deps.territories, geocoder: deps.geocoder };
  await app.register(async (scope) => {
    // The import reads raw bytes (encoding detection, CSV), so bodies stay buffers here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(Object.keys(formats), { parseAs: 'buffer', bodyLimit: maxPushBytes }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('*', (request, _payload, done) =>
      done(new DomainError('type_de_contenu', `Type de contenu « ${request.headers['content-type'] ?? 'absent'} » non pris en charge : envoyez application/json (liste de lieux du standard v1) ou text/csv (CSV du standard v1).`, 415), undefined),
    );

    scope.put(
      '/api/v1/sources/:id/lieux',
      {
        bodyLimit: maxPushBytes,
        // Bodies are bytes checked by the import itself, ids by the handler: no schema validation.
        validatorCompiler: () => () => true,
        config: {
          rateLimit: {
            max: pushesPerMinute,
            timeWindow: 60_000,
            keyGenerator: (request: FastifyRequest) => (request.headers.authorization ? `cle:${sha256(request.headers.authorization)}` : `ip:${request.ip}`),
            errorResponseBuilder: () => new DomainError('rate_limited', `Trop d’envois avec cette clé : ${pushesPerMinute} par minute au plus. Réessayez dans une minute.`, 429),
          },
        },
        schema: {
          tags: ['sources'],
          summary: 'Envoyer la liste complète des lieux d’une source (API réseau, clé d’API)',
          description:
            'Remplace la liste des lieux de la source par celle envoyée : les lieux absents ne sont plus listés par cette source (ils restent publiés tant qu’une autre source les liste, puis pendant 30 jours). Renvoyer le même contenu ne change rien (tous les lieux « unchanged »). ' +
            'Corps : liste JSON de lieux du standard v1 (application/json) ou CSV du standard v1 (text/csv). Les enregistrements invalides sont rejetés un par un et décrits dans « problems » ; si aucun n’est utilisable, rien n’est écrit et la réponse est 422. ' +
            `Clé d’API créée dans l’espace du compte réseau (Mon compte › Clés d’API) ; ${pushesPerMinute} envois par minute et par clé au plus.`,
          security: [{ cleApi: [] }],
          params: Type.Object({ id: Type.String({ format: 'uuid', description: 'Identifiant de la source' }) }),
          body: {
            content: {
              'application/json': { schema: Type.Array(PlaceInput) },
              'text/csv': { schema: Type.String({ description: 'CSV du standard v1 (ligne d’en-tête avec les noms de champs)' }) },
            },
          },
          response: { 200: PushResult, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema, 422: ProblemSchema, 429: ProblemSchema },
        },
      },
      async (request, reply) => {
        const principal = await authenticateApiKey(deps, request.headers.authorization).catch((error: unknown) => {
          void reply.header('www-authenticate', 'Bearer realm="maillage"');
          throw error;
        });
        const { id } = request.params as { id: string };
        const row = UUID.test(id) ? await findSourceById(deps.db, id.toLowerCase()) : undefined;
        if (!row) throw new NotFoundError(`Aucune source ne porte l’identifiant « ${id} ».`);
        assertKeyMayPush(principal, row.id);

        const format = formats[(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()]!;
        const bytes = request.body as Buffer;
        const audit = (action: string) => recordAudit(deps.db, deps.clock, { account_id: principal.account.id, action, target_type: 'source', target_id: row.id, ip: request.ip });
        const options = { source: row.name, bytes, format, fileName: `API (clé ${principal.key.id.slice(0, 8)})` };
        // The dry run rolls back: a body without one usable place never empties the source.
        // Bytes identical to the source's last applied push were usable then, so they are now.
        const bodySha256 = `${format}:${createHash('sha256').update(bytes).digest('hex')}`;
        const last = await deps.db.selectFrom('source_pushes').select('body_sha256').where('source_id', '=', row.id).executeTakeFirst();
        if (last?.body_sha256 !== bodySha256) {
          let check: ImportReport;
          try {
            check = await runImport(importDeps, { ...options, dryRun: true });
          } catch (error) {
            if (!(error instanceof ImportFileError)) throw error;
            await audit('source.push.refused');
            throw new UnusableBodyError(`Envoi refusé, rien n’a été modifié : ${error.message}`);
          }
          if (check.stats.accepted === 0) {
            await audit('source.push.refused');
            const errors = check.problems.filter((p) => p.severity === 'error').map((p) => ({ row: p.row, field: p.field, value: p.value, message: p.message }));
            const why = check.stats.read === 0 ? 'la liste est vide (pour retirer tous les lieux de la source, contactez l’équipe Maillage)' : check.stats.read === 1 ? 'son seul enregistrement n’est pas utilisable' : `aucun des ${check.stats.read} enregistrements n’est utilisable`;
            throw new UnusableBodyError(`Envoi refusé, rien n’a été modifié : ${why}.`, errors);
          }
        }
        // The pushed body's hash and the audit entry commit with the import itself: neither
        // exists for an import that rolled back.
        const report = await runImport(importDeps, {
          ...options,
          beforeCommit: async (trx) => {
            const now = deps.clock.now();
            await trx
              .insertInto('source_pushes')
              .values({ source_id: row.id, body_sha256: bodySha256, pushed_at: now })
              .onConflict((oc) => oc.column('source_id').doUpdateSet({ body_sha256: bodySha256, pushed_at: now }))
              .execute();
            await recordAudit(trx, deps.clock, { account_id: principal.account.id, action: 'source.push', target_type: 'source', target_id: row.id, ip: request.ip });
          },
        });
        return { run_id: report.runId, source: report.source, format: report.format, stats: report.stats, problems: report.problems.map((p) => ({ row: p.row, field: p.field, ...(p.value === undefined ? {} : { value: p.value }), message: p.message, severity: p.severity })) };
      },
    );
  });
}
