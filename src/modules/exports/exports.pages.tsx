// The producers' validator as a page: upload a file, read the report. Nothing is written.
import { h } from 'preact';
import multipart from '@fastify/multipart';
import type { App } from '../../server/app.ts';
import type { AppDeps } from '../../server/deps.ts';
import { pageContext } from '../../server/plugins/static.ts';
import { csrfTokenFor } from '../../server/plugins/csrf.ts';
import { DomainError } from '../../lib/errors.ts';
import { sendHtml } from '../../web/render.ts';
import { Page, type PageContext } from '../../web/layout/page.tsx';
import { Alert } from '../../web/components/alert.tsx';
import { Table } from '../../web/components/table.tsx';
import { maxValidationBytes } from './exports.api.ts';
import { validateFile, type ValidationReport } from './exports.validation.ts';

/** Rows shown in the page; the API returns them all. */
const shownErrors = 500;

function ValidationPage(p: { ctx: PageContext; csrf: string; report?: ValidationReport; problem?: string }) {
  const r = p.report;
  return (
    <Page ctx={p.ctx} title="Valider un fichier de lieux" description="Vérifier un fichier de lieux de médiation numérique avant de le publier." noindex>
      <div class="fr-container fr-mb-7w">
        <h1>Valider un fichier de lieux</h1>
        <p>
          Déposez votre fichier (standard v1 ou ancien standard en CSV, XLSX ou JSON, data·inclusion, GeoJSON) : chaque ligne est
          vérifiée comme à l’import. Rien n’est enregistré dans le registre.
        </p>
        {p.problem ? <Alert type="error" title="Le fichier n’a pas pu être lu" role="alert"><p>{p.problem}</p></Alert> : null}
        {r ? (
          <Alert type={r.invalid_rows === 0 ? 'success' : 'warning'} title={r.invalid_rows === 0 ? 'Toutes les lignes sont valides' : `${r.invalid_rows} ligne(s) à corriger`} role="status">
            <p>
              Format détecté : {r.format_label}. Lignes lues : {r.rows_read}. Lignes valides : {r.valid_rows}.
              {r.ignored_columns.length ? ` Colonnes ignorées : ${r.ignored_columns.join(', ')}.` : ''}
            </p>
          </Alert>
        ) : null}
        {r && r.errors.length ? (
          <Table
            caption={r.errors.length > shownErrors ? `Erreurs (les ${shownErrors} premières sur ${r.errors.length})` : 'Erreurs'}
            headers={['Ligne', 'Champ', 'Valeur', 'Message']}
            rows={r.errors.slice(0, shownErrors).map((e) => [String(e.row), e.field, e.value ?? '', e.message])}
          />
        ) : null}
        <form method="post" action="/donnees/validation" enctype="multipart/form-data" class="fr-mt-4w">
          <input type="hidden" name="_csrf" value={p.csrf} />
          <div class="fr-upload-group fr-mb-2w">
            <label class="fr-label" for="fichier">
              Fichier à valider
              <span class="fr-hint-text">Taille maximale : {maxValidationBytes / 1024 / 1024} Mo.</span>
            </label>
            <input class="fr-upload" type="file" id="fichier" name="fichier" required />
          </div>
          <button class="fr-btn" type="submit">Valider le fichier</button>
        </form>
      </div>
    </Page>
  );
}

export async function registerExportPages(app: App, deps: AppDeps): Promise<void> {
  const hide = { schema: { hide: true } };
  app.get('/donnees/validation', hide, async (request, reply) =>
    sendHtml(reply, h(ValidationPage, { ctx: pageContext(request), csrf: csrfTokenFor(request, reply) })),
  );
  await app.register(async (scope) => {
    // Fields land in the body (so a session's CSRF check can read `_csrf`), the file as a Buffer.
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: maxValidationBytes, files: 1 } });
    scope.post('/donnees/validation', hide, async (request, reply) => {
      const ctx = pageContext(request);
      const csrf = csrfTokenFor(request, reply);
      const file = (request.body as Record<string, unknown> | undefined)?.fichier;
      if (!Buffer.isBuffer(file) || file.length === 0) {
        return sendHtml(reply, h(ValidationPage, { ctx, csrf, problem: 'Aucun fichier reçu : choisissez un fichier à valider.' }), 400);
      }
      try {
        return sendHtml(reply, h(ValidationPage, { ctx, csrf, report: await validateFile(file, deps.territories) }));
      } catch (error) {
        if (error instanceof DomainError) return sendHtml(reply, h(ValidationPage, { ctx, csrf, problem: error.message }), 400);
        throw error;
      }
    });
  });
}
