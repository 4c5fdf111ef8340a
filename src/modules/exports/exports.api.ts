// Open-data routes: the catalogue of exports and their licence, the streamed exports, and the
// producers' validator (reads an uploaded file, writes nothing).
import { PassThrough } from 'node:stream';
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { ValidationError } from '../../lib/errors.ts';
import { importFormats, parseImportFormat } from '../imports/imports.read.ts';
import { exportResources, licence, licenceLinkHeader } from './exports.licence.ts';
import { writeExport, type ExportFormat } from './exports.stream.ts';
import { validateFile } from './exports.validation.ts';

/** Largest file the validator reads (the import takes bigger files through the CLI). */
export const maxValidationBytes = 20 * 1024 * 1024;

const Catalogue = Type.Object({
  licence: Type.Object({ id: Type.String(), title: Type.String(), url: Type.String() }),
  producteur: Type.String(),
  ressources: Type.Array(
    Type.Object({ url: Type.String(), format: Type.String(), media_type: Type.String(), titre: Type.String(), schema: Type.String() }),
  ),
  journal_des_changements: Type.String({ description: 'Flux des changements pour une synchronisation incrémentale' }),
});

const StreamedFile = (mediaType: string) => ({
  200: {
    description: `Fichier complet (${mediaType}), envoyé au fil de l’eau, sous ${licence.title}`,
    content: { [mediaType]: { schema: Type.String() } },
  },
});

const ValidationReport = Type.Object({
  format: Type.String({ description: 'Format détecté (ou imposé)' }),
  format_label: Type.String(),
  encoding: Type.Union([Type.String(), Type.Null()]),
  delimiter: Type.Union([Type.String(), Type.Null()]),
  rows_read: Type.Integer({ description: 'Lignes (ou objets) lues' }),
  valid_rows: Type.Integer({ description: 'Lignes qui seraient acceptées par l’import' }),
  invalid_rows: Type.Integer(),
  errors: Type.Array(
    Type.Object({ row: Type.Integer(), field: Type.String(), value: Type.Union([Type.String(), Type.Null()]), message: Type.String() }),
  ),
  ignored_columns: Type.Array(Type.String()),
});

function streamExport(deps: AppDeps, reply: FastifyReply, format: ExportFormat, mediaType: string, filename: string): FastifyReply {
  const stream = new PassThrough();
  // Errors after the headers are sent can only cut the stream short; they are logged.
  writeExport({ db: deps.db, publicUrl: deps.config.publicUrl }, format, stream).then(
    () => stream.end(),
    (error: unknown) => {
      deps.logger.error({ err: error, format }, 'export failed midway');
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return reply
    .type(mediaType)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('link', licenceLinkHeader)
    .send(stream);
}

export async function registerExportsApi(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/exports',
    {
      schema: {
        tags: ['lieux'],
        summary: 'Liste des exports du registre et leur licence (Licence Ouverte 2.0)',
        response: { 200: Catalogue },
      },
    },
    async () => ({
      licence: { ...licence },
      producteur: 'Maillage — registre national des lieux de médiation numérique',
      ressources: exportResources.map((r) => ({ url: `${deps.config.publicUrl}${r.path}`, format: r.format, media_type: r.media_type, titre: r.titre, schema: r.schema })),
      journal_des_changements: `${deps.config.publicUrl}/api/v1/lieux/changes`,
    }),
  );

  const files: { path: string; format: ExportFormat; mediaType: string; filename: string; summary: string }[] = [
    { path: '/api/v1/exports/lieux.csv', format: 'standard-csv', mediaType: 'text/csv; charset=utf-8', filename: 'lieux-mediation-numerique.csv', summary: 'Export CSV des lieux publiés (standard v1, « | » entre valeurs multiples)' },
    { path: '/api/v1/exports/lieux.json', format: 'standard-json', mediaType: 'application/json; charset=utf-8', filename: 'lieux-mediation-numerique.json', summary: 'Export JSON des lieux publiés (standard v1)' },
    { path: '/api/v1/exports/lieux.geojson', format: 'geojson', mediaType: 'application/geo+json; charset=utf-8', filename: 'lieux-mediation-numerique.geojson', summary: 'Export GeoJSON des lieux publiés (points, propriétés du standard v1)' },
    { path: '/api/v1/exports/data-inclusion/structures.json', format: 'data-inclusion-structures', mediaType: 'application/json; charset=utf-8', filename: 'structures.json', summary: 'Export des structures au schéma data·inclusion' },
    { path: '/api/v1/exports/data-inclusion/services.json', format: 'data-inclusion-services', mediaType: 'application/json; charset=utf-8', filename: 'services.json', summary: 'Export des services au schéma data·inclusion (thématiques issues des services du standard)' },
  ];
  for (const file of files) {
    app.get(
      file.path,
      { schema: { tags: ['lieux'], summary: file.summary, description: `Sous ${licence.title} (${licence.url}).`, response: StreamedFile(file.mediaType.split(';')[0]!) } },
      async (_request, reply) => streamExport(deps, reply, file.format, file.mediaType, file.filename),
    );
  }

  // The validator reads the body as bytes (any content type) or as a multipart upload.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxValidationBytes, files: 1 } });
    scope.removeContentTypeParser(['application/json', 'text/plain']);
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxValidationBytes }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/v1/validation',
      {
        schema: {
          tags: ['lieux'],
          summary: 'Valide un fichier de producteur sans rien enregistrer',
          description:
            'Envoyez le fichier en corps brut (text/csv, application/json…) ou en multipart/form-data (champ « fichier »). Le format est détecté, sauf si « format » est donné. Rien n’est écrit dans le registre.',
          querystring: Type.Object({ format: Type.Optional(Type.Enum([...importFormats], { description: 'Format imposé au lieu de la détection' })) }),
          response: { 200: ValidationReport },
        },
      },
      async (request) => {
        let bytes: Uint8Array | undefined;
        if (request.isMultipart()) {
          const file = await request.file();
          if (file) {
            bytes = await file.toBuffer();
            if (file.file.truncated) throw new ValidationError([{ field: 'fichier', message: `Le fichier dépasse ${maxValidationBytes / 1024 / 1024} Mo.` }]);
          }
        } else if (Buffer.isBuffer(request.body)) {
          bytes = request.body;
        }
        if (!bytes || bytes.length === 0) throw new ValidationError([{ field: 'fichier', message: 'Aucun fichier reçu : envoyez le fichier à valider dans le corps de la requête.' }], 'Aucun fichier à valider.');
        // The scope drops the app's type provider; the schema above has checked the query.
        const query = request.query as { format?: string };
        const format = query.format === undefined ? undefined : parseImportFormat(query.format);
        return validateFile(bytes, deps.territories, format);
      },
    );
  });
}
