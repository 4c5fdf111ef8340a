// Moderation pages (DSFR, no JavaScript needed) of a place's history with "Revenir à cette
// version" and its confirmation step, and of the merges in force with "Séparer" and its
// confirmation step. Actors are shown by role or source name, never by e-mail.
import type { ComponentChildren } from 'preact';
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert, ProblemAlert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import { Input } from '../../../web/components/form.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import type { FieldChange, LieuHistory, RevertPreview } from '../history.use-cases.ts';
import type { ActiveMerge } from '../merges.use-cases.ts';
import { labelOf } from '../../contribution/field-labels.ts';

const date = (value: string) => new Date(value).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });
const actionLabels = { create: 'Création', update: 'Modification', unpublish: 'Retrait du registre', republish: 'Republication' } as const;
const queueCrumb = { label: 'File de modération', href: '/moderation' };

const BackToQueue = () => (
  <p>
    <ButtonLink kind="tertiary" href="/moderation">
      Retour à la file de modération
    </ButtonLink>
  </p>
);

function show(value: unknown): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '(vide)';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function DiffTable(p: { caption: string; changes: FieldChange[]; headers: [string, string]; create?: boolean }) {
  const headers = p.create ? ['Champ', p.headers[1]] : ['Champ', ...p.headers];
  const rows = p.changes.map((c): ComponentChildren[] => (p.create ? [labelOf(c.field), show(c.to)] : [labelOf(c.field), show(c.from), show(c.to)]));
  return <Table caption={p.caption} headers={headers} rows={rows} scrolls />;
}

export interface HistoryPageProps {
  ctx: PageContext;
  history: LieuHistory;
  notice?: string;
}

export function LieuHistoryPage(p: HistoryPageProps) {
  const { lieu, versions, merged_into } = p.history;
  const title = `Historique : ${lieu.nom}`;
  const current = versions[0]?.version;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, queueCrumb, { label: `Historique de ${lieu.nom}` }]} />
        <h1>{title}</h1>
        <p>
          {lieu.adresse}, {lieu.code_postal} {lieu.commune}. {lieu.status === 'published' ? <a href={`/lieux/${lieu.id}`}>Voir la fiche publique</a> : 'Ce lieu est retiré du registre.'}
        </p>
        <p>
          {versions.length} version{versions.length > 1 ? 's' : ''}, la plus récente d’abord. Revenir à une version écrit une nouvelle version (« Retour à la version N ») : l’historique n’est jamais effacé.
        </p>
        {p.notice ? (
          <Alert type="success" role="status" small>
            <p>{p.notice}</p>
          </Alert>
        ) : null}
        {merged_into ? (
          <Alert type="info" small>
            <p>
              Ce lieu est fusionné dans <a href={`/moderation/lieux/${merged_into.id}/historique`}>{merged_into.nom}</a> : pour revenir à une de ses versions, <a href={`/moderation/fusions/${lieu.id}`}>séparez-le d’abord</a>.
            </p>
          </Alert>
        ) : null}
        <ol class="maillage-list fr-mt-4w" reversed>
          {versions.map((v) => (
            <li class="fr-mb-4w" id={`version-${v.version}`}>
              <h2 class="fr-h5 fr-mb-1w">
                Version {v.version}
                {v.version === current ? ' (actuelle)' : ''} : {actionLabels[v.action]}
              </h2>
              <p class="fr-text--sm fr-mb-1w">
                Le {date(v.changed_at)}, par {v.actor}.{v.reason ? ` Motif : ${v.reason}` : ''}
              </p>
              {v.changes.length ? (
                <DiffTable caption={`Champs modifiés par la version ${v.version}`} changes={v.changes} headers={['Avant', 'Après']} create={v.action === 'create'} />
              ) : (
                <p class="fr-text--sm">Aucun champ modifié.</p>
              )}
              {v.version !== current && !merged_into ? (
                <ButtonLink kind="secondary" href={`/moderation/lieux/${lieu.id}/historique/${v.version}`}>
                  Revenir à cette version<span class="fr-sr-only"> ({v.version})</span>
                </ButtonLink>
              ) : null}
            </li>
          ))}
        </ol>
        <BackToQueue />
      </div>
    </Page>
  );
}

export interface RevertPageProps {
  ctx: PageContext;
  csrf: string;
  preview: RevertPreview;
  error?: string;
  errors?: FieldError[];
  comment?: string;
}

export function RevertConfirmPage(p: RevertPageProps) {
  const { lieu, target, changes, blocked } = p.preview;
  const title = `Revenir à la version ${target.version} : ${lieu.nom}`;
  const history = `/moderation/lieux/${lieu.id}/historique`;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[queueCrumb, { label: `Historique de ${lieu.nom}`, href: history }, { label: `Version ${target.version}` }]} />
        <h1>{title}</h1>
        <p>
          Version du {date(target.changed_at)}, par {target.actor}.{target.reason ? ` Motif : ${target.reason}` : ''}
        </p>
        <ProblemAlert error={p.error} errors={p.errors} />
        {blocked ? (
          <Alert type="info" small>
            <p>{blocked}</p>
          </Alert>
        ) : (
          <>
            <p>
              Ces champs reprendront la valeur qu’ils avaient à la version {target.version}. Une nouvelle version « Retour à la version {target.version} » sera ajoutée à l’historique ; les comptes dont les modifications sont
              annulées seront prévenus par e-mail.{lieu.status === 'published' ? '' : ' Le lieu restera retiré du registre.'}
            </p>
            {p.preview.status_note ? (
              <Alert type="warning" small>
                <p>{p.preview.status_note}</p>
              </Alert>
            ) : null}
            <DiffTable caption={`Différences entre l’état actuel et la version ${target.version}`} changes={changes} headers={['Valeur actuelle', `Valeur de la version ${target.version}`]} />
            <form method="post" action={`${history}/${target.version}`}>
              <input type="hidden" name="_csrf" value={p.csrf} />
              <input type="hidden" name="version_actuelle" value={String(p.preview.current_version)} />
              <Input
                id="commentaire-retour"
                name="commentaire"
                label="Commentaire (facultatif)"
                hint="Ajouté au motif dans l’historique et envoyé aux comptes dont les modifications sont annulées."
                textarea
                rows={3}
                maxLength={2000}
                value={p.comment}
                error={p.errors?.find((e) => e.field === 'commentaire')?.message}
              />
              <ul class="fr-btns-group fr-btns-group--inline-sm">
                <li>
                  <Button>Confirmer le retour à la version {target.version}</Button>
                </li>
                <li>
                  <ButtonLink kind="secondary" href={history}>
                    Annuler
                  </ButtonLink>
                </li>
              </ul>
            </form>
          </>
        )}
        <p class="fr-mt-4w">
          <a class="fr-link" href={history}>
            Retour à l’historique du lieu
          </a>
        </p>
      </div>
    </Page>
  );
}

export function MergesPage(p: { ctx: PageContext; merges: ActiveMerge[]; notice?: string; error?: string }) {
  return (
    <Page ctx={p.ctx} title="Fusions de lieux" noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, queueCrumb, { label: 'Fusions de lieux' }]} />
        <h1>Fusions de lieux</h1>
        <p>
          Les lieux fusionnés dans un autre : leur adresse redirige vers le lieu conservé. « Séparer » annule une fusion faite par erreur ; les deux lieux retrouvent leurs informations d’avant la fusion, sauf les champs du lieu
          conservé modifiés depuis.
        </p>
        {p.notice ? (
          <Alert type="success" role="status" small>
            <p>{p.notice}</p>
          </Alert>
        ) : null}
        <ProblemAlert error={p.error} />
        {p.merges.length === 0 ? <p>Aucune fusion en cours.</p> : null}
        <ul class="maillage-list">
          {p.merges.map((m) => (
            <li class="fr-mb-3w" id={`fusion-${m.lieu.id}`}>
              <h2 class="fr-h6 fr-mb-1w">
                {m.lieu.nom} ({m.lieu.commune}) fusionné dans {m.merged_into.nom} ({m.merged_into.commune})
              </h2>
              <p class="fr-text--sm fr-mb-1w">
                Fusion du {date(m.merged_at)}. <a href={`/moderation/lieux/${m.lieu.id}/historique`}>Historique de {m.lieu.nom}</a> ·{' '}
                <a href={`/moderation/lieux/${m.merged_into.id}/historique`}>Historique de {m.merged_into.nom}</a>
              </p>
              <ButtonLink kind="secondary" href={`/moderation/fusions/${m.lieu.id}`}>
                Séparer<span class="fr-sr-only"> {m.lieu.nom} de {m.merged_into.nom}</span>
              </ButtonLink>
            </li>
          ))}
        </ul>
        <BackToQueue />
      </div>
    </Page>
  );
}

export function SplitConfirmPage(p: { ctx: PageContext; csrf: string; merge: ActiveMerge; error?: string; errors?: FieldError[]; comment?: string }) {
  const { lieu, merged_into } = p.merge;
  const title = `Séparer ${lieu.nom} de ${merged_into.nom}`;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[queueCrumb, { label: 'Fusions de lieux', href: '/moderation/fusions' }, { label: 'Séparer' }]} />
        <h1>{title}</h1>
        <ProblemAlert error={p.error} errors={p.errors} />
        <ul>
          <li>
            « {lieu.nom} » ({lieu.commune}) retrouvera ses informations d’avant la fusion et son adresse ne redirigera plus ; il sera republié s’il l’était.
          </li>
          <li>« {merged_into.nom} » ({merged_into.commune}) retrouvera ses informations d’avant la fusion, sauf les champs modifiés depuis, qui gardent leur nouvelle valeur.</li>
          <li>Les liens avec les sources reviennent au lieu d’où ils venaient ; la paire ne sera plus proposée comme doublon.</li>
        </ul>
        <form method="post" action={`/moderation/fusions/${lieu.id}`}>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <Input id="commentaire-separation" name="commentaire" label="Commentaire (facultatif)" hint="Gardé avec la décision." textarea rows={3} maxLength={2000} value={p.comment} error={p.errors?.find((e) => e.field === 'commentaire')?.message} />
          <ul class="fr-btns-group fr-btns-group--inline-sm">
            <li>
              <Button>Confirmer la séparation</Button>
            </li>
            <li>
              <ButtonLink kind="secondary" href="/moderation/fusions">
                Annuler
              </ButtonLink>
            </li>
          </ul>
        </form>
      </div>
    </Page>
  );
}
