import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import type { Lieu } from '../../lieux/lieux.schema.ts';
import type { HistoryEntry } from '../history.use-cases.ts';
import { DiffTable } from './edit-pages.tsx';

// A place's history for its manager: newest version first, who, when, what changed.

const actions: Record<HistoryEntry['action'], string> = {
  create: 'Création du lieu',
  update: 'Modification',
  unpublish: 'Retrait du registre',
  republish: 'Retour dans le registre',
};

const when = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));

export function HistoryPage(p: { ctx: PageContext; lieu: Lieu; entries: HistoryEntry[]; saved?: boolean }) {
  const title = `Historique de « ${p.lieu.nom} »`;
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-my-6w">
        <Breadcrumb
          items={[
            { label: 'Mon compte', href: '/compte' },
            { label: 'Mes lieux', href: '/compte/lieux' },
            { label: p.lieu.nom, href: `/compte/lieux/${p.lieu.id}/modifier` },
            { label: 'Historique' },
          ]}
        />
        <h1>{title}</h1>
        {p.saved ? (
          <Alert type="success" role="status">
            <p>
              Vos modifications sont enregistrées. <a href={`/lieux/${p.lieu.id}`}>Voir la fiche publique du lieu</a>
            </p>
          </Alert>
        ) : null}
        <p class="fr-mt-2w">
          <a href={`/compte/lieux/${p.lieu.id}/modifier`}>Modifier le lieu</a> · <a href={`/lieux/${p.lieu.id}`}>Voir la fiche publique</a>
        </p>
        <ol class="maillage-historique" aria-label="Versions du lieu, de la plus récente à la plus ancienne">
          {p.entries.map((entry) => (
            <li class="fr-mb-4w">
              <h2 class="fr-h5 fr-mb-1w">
                Version {entry.version} : {actions[entry.action]}
              </h2>
              <p class="fr-mb-1w">
                <time datetime={entry.changed_at}>Le {when(entry.changed_at)}</time>, par <strong>{entry.actor}</strong>
                {entry.reason ? <> — {entry.reason}</> : null}
              </p>
              {entry.changes.length ? (
                <DiffTable caption={`Champs modifiés dans la version ${entry.version}`} changes={entry.changes} />
              ) : entry.action === 'update' ? (
                <p class="fr-text--sm">Aucun champ du standard n’a changé.</p>
              ) : null}
            </li>
          ))}
        </ol>
      </div>
    </Page>
  );
}
