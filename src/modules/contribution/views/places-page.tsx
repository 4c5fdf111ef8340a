import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import type { Lieu } from '../../lieux/lieux.schema.ts';
import type { OpenConflict } from '../conflicts.use-cases.ts';
import { ConflictList } from './conflict-list.tsx';

// "Mes lieux": the places the account manages, each with its edit and history pages and the
// values sources give that differ from the manager's.

export function PlacesPage(p: { ctx: PageContext; csrf: string; places: Lieu[]; conflicts: OpenConflict[]; notice?: string }) {
  return (
    <Page ctx={p.ctx} title="Mes lieux" noindex>
      <div class="fr-container fr-my-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: 'Mes lieux' }]} />
        <h1>Mes lieux</h1>
        {p.notice ? (
          <Alert type="success" role="status">
            <p>{p.notice}</p>
          </Alert>
        ) : null}
        {p.places.length === 0 ? <p>Votre compte ne gère encore aucun lieu. Revendiquez un lieu depuis sa fiche publique.</p> : null}
        {p.places.map((lieu) => {
          const conflicts = p.conflicts.filter((c) => c.lieu_id === lieu.id);
          return (
            <section class="fr-mt-4w" aria-labelledby={`lieu-${lieu.id}`}>
              <h2 id={`lieu-${lieu.id}`} class="fr-h4">
                {lieu.nom}, {lieu.commune}
              </h2>
              <ul class="fr-links-group">
                <li>
                  <a class="fr-link fr-icon-edit-line fr-link--icon-left" href={`/compte/lieux/${lieu.id}/modifier`}>
                    Modifier « {lieu.nom} »
                  </a>
                </li>
                <li>
                  <a class="fr-link fr-icon-history-line fr-link--icon-left" href={`/compte/lieux/${lieu.id}/historique`}>
                    Historique de « {lieu.nom} »
                  </a>
                </li>
                <li>
                  <a class="fr-link" href={`/lieux/${lieu.id}`}>
                    Fiche publique de « {lieu.nom} »
                  </a>
                </li>
              </ul>
              <ConflictList conflicts={conflicts} csrf={p.csrf} back="liste" headingLevel={3} />
            </section>
          );
        })}
        <p class="fr-mt-4w">
          <a href="/compte/fraicheur">Fraîcheur et complétude de mes lieux</a>
        </p>
      </div>
    </Page>
  );
}
