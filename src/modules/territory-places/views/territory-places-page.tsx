import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button } from '../../../web/components/button.tsx';
import { Input, Select } from '../../../web/components/form.tsx';
import { Table } from '../../../web/components/table.tsx';
import { FreshnessMention } from '../../freshness/views/freshness-pages.tsx';
import { freshnessLabels } from '../../freshness/freshness.ts';
import type { Scope } from '../../accounts/authorize.ts';
import type { TerritoryFilters, TerritoryPage } from '../territory-places.use-cases.ts';

// "Les lieux de mon territoire": a table of the places (all statuses) with their freshness and
// completeness, GET filters (work without JS), pages, the CSV export and a "toujours à jour"
// form per published place.

const kindLabels: Record<string, string> = { commune: 'commune', epci: 'EPCI', departement: 'département', region: 'région' };

/** The query string of the filters (and page), to keep them across links and forms. */
export function filterQuery(filters: Partial<TerritoryFilters>, page?: number): string {
  const params = new URLSearchParams();
  if (filters.departement) params.set('departement', filters.departement);
  if (filters.fraicheur) params.set('fraicheur', filters.fraicheur);
  if (filters.statut) params.set('statut', filters.statut);
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

function territoryWords(territories: Scope[]): string {
  return territories.map((s) => `${kindLabels[s.kind] ?? s.kind} ${s.code}`).join(', ');
}

function Pagination(p: { filters: TerritoryFilters; page: number; pageCount: number }) {
  if (p.pageCount <= 1) return null;
  const link = (page: number) => `/compte/territoire${filterQuery(p.filters, page)}`;
  return (
    <nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="Pagination">
      <ul class="fr-pagination__list">
        <li>{p.page > 1 ? <a class="fr-pagination__link fr-pagination__link--first" href={link(1)}>Première page</a> : <a class="fr-pagination__link fr-pagination__link--first" aria-disabled="true" role="link">Première page</a>}</li>
        <li>{p.page > 1 ? <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" href={link(p.page - 1)}>Page précédente</a> : <a class="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label" aria-disabled="true" role="link">Page précédente</a>}</li>
        <li>
          <a class="fr-pagination__link" aria-current="page" title={`Page ${p.page} sur ${p.pageCount}`}>
            {p.page} / {p.pageCount}
          </a>
        </li>
        <li>{p.page < p.pageCount ? <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" href={link(p.page + 1)}>Page suivante</a> : <a class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label" aria-disabled="true" role="link">Page suivante</a>}</li>
        <li>{p.page < p.pageCount ? <a class="fr-pagination__link fr-pagination__link--last" href={link(p.pageCount)}>Dernière page</a> : <a class="fr-pagination__link fr-pagination__link--last" aria-disabled="true" role="link">Dernière page</a>}</li>
      </ul>
    </nav>
  );
}

export function TerritoryPlacesPage(p: { ctx: PageContext; csrf: string; filters: TerritoryFilters; result?: TerritoryPage; reviewer: boolean; confirmed?: string | true; error?: string }) {
  const title = 'Les lieux de mon territoire';
  const r = p.result;
  const filtersOnly = { ...p.filters, page: 1 };
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-my-6w">
        <Breadcrumb items={[{ label: 'Mon compte', href: '/compte' }, { label: title }]} />
        <h1>{title}</h1>
        {p.confirmed ? (
          <Alert type="success" role="status">
            <p>Merci : les informations {p.confirmed === true ? 'du lieu' : `de « ${p.confirmed} »`} sont confirmées à jour aujourd’hui.</p>
          </Alert>
        ) : null}
        {p.error ? (
          <Alert type="error" role="alert">
            <p>{p.error}</p>
          </Alert>
        ) : null}
        {r && r.territories.length ? <p>Territoire : {territoryWords(r.territories)}.</p> : null}
        <p>
          Un lieu est « à vérifier » 6 mois après sa dernière mise à jour, « ancien » après 12 mois. Si rien n’a changé, « Toujours à jour » le
          confirme : sa date de mise à jour devient celle d’aujourd’hui, sans modifier ses informations.
        </p>
        <form method="get" action="/compte/territoire" class="fr-mb-4w">
          <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
            {p.reviewer ? (
              <div class="fr-col-12 fr-col-md-3">
                <Input id="filtre-departement" name="departement" label="Département" hint="Par exemple 69" value={p.filters.departement} />
              </div>
            ) : null}
            <div class="fr-col-12 fr-col-md-3">
              <Select
                id="filtre-fraicheur"
                name="fraicheur"
                label="Fraîcheur"
                placeholder="Toutes"
                value={p.filters.fraicheur}
                options={Object.entries(freshnessLabels).map(([value, label]) => ({ value, label }))}
              />
            </div>
            <div class="fr-col-12 fr-col-md-3">
              <Select
                id="filtre-statut"
                name="statut"
                label="Publication"
                placeholder="Tous"
                value={p.filters.statut}
                options={[
                  { value: 'published', label: 'Publié' },
                  { value: 'unpublished', label: 'Retiré du registre' },
                ]}
              />
            </div>
            <div class="fr-col-12 fr-col-md-3">
              <Button kind="secondary">Filtrer</Button>
            </div>
          </div>
        </form>
        {p.reviewer && r && r.territories.length === 0 ? <p>Indiquez un département pour voir ses lieux.</p> : null}
        {r && r.territories.length ? (
          <>
            <p>
              {r.total} lieu{r.total > 1 ? 'x' : ''} — page {r.page} sur {r.pageCount}.{' '}
              <a class="fr-link fr-icon-download-line fr-link--icon-left" href={`/compte/territoire/export.csv${filterQuery(filtersOnly)}`}>
                Exporter en CSV (standard v1)
              </a>
              <span class="fr-hint-text">Le fichier suit le standard national, sans colonne de statut : il ne contient que les lieux publiés.</span>
            </p>
            {r.places.length ? (
              <Table
                caption={`Lieux du territoire (${r.total})`}
                scrolls
                headers={['Lieu', 'Commune', 'Publication', 'Fraîcheur', 'Complétude', 'Actions']}
                rows={r.places.map((place) => [
                  <a href={`/lieux/${place.id}`}>{place.nom}</a>,
                  `${place.commune} (${place.code_postal})`,
                  place.status === 'published' ? (
                    <span class="fr-badge fr-badge--sm fr-badge--success fr-badge--no-icon">Publié</span>
                  ) : (
                    <span class="fr-badge fr-badge--sm fr-badge--no-icon">Retiré</span>
                  ),
                  <>
                    <strong>{place.freshness.label}</strong>
                    <br />
                    <FreshnessMention freshness={place.freshness} />
                  </>,
                  `${place.completeness.score} %`,
                  <>
                    <a class="fr-link fr-icon-edit-line fr-link--icon-left" href={`/compte/lieux/${place.id}/modifier`}>
                      Modifier<span class="fr-sr-only"> « {place.nom} »</span>
                    </a>
                    {place.status === 'published' ? (
                      <form method="post" action={`/compte/territoire/${place.id}/confirmer${filterQuery(p.filters, p.filters.page)}`}>
                        <input type="hidden" name="_csrf" value={p.csrf} />
                        <button class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-check-line fr-btn--icon-left" type="submit">
                          Toujours à jour<span class="fr-sr-only"> : « {place.nom} »</span>
                        </button>
                      </form>
                    ) : null}
                  </>,
                ])}
              />
            ) : (
              <p>Aucun lieu ne correspond à ces critères.</p>
            )}
            <Pagination filters={p.filters} page={r.page} pageCount={r.pageCount} />
          </>
        ) : null}
      </div>
    </Page>
  );
}
