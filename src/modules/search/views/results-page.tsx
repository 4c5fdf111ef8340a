import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Card } from '../../../web/components/card.tsx';
import { TagList } from '../../../web/components/badge.tsx';
import { ButtonLink } from '../../../web/components/button.tsx';
import { SearchFilters, WhereField, type SearchFormValues } from './search-form.tsx';

// The results page: the list (sorted by distance, with the count) is the page itself, in the
// HTML; the map beside it is an extra drawn by map.js from the list's data attributes.

export interface ResultItem {
  id: string;
  nom: string;
  adresse: string;
  code_postal: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
  /** "à 1,2 km", when searching around a point. */
  distance?: string;
  status?: { open: boolean; label: string };
  services: string[];
  gratuit: boolean;
  /** "Dans le quartier prioritaire …" / "À 120 m du quartier prioritaire …". */
  qpv?: string;
}

export interface ResultsModel {
  /** "près de Lyon (69003)", "autour de votre position", "pour « médiathèque »"… */
  where: string;
  total: number;
  items: ResultItem[];
  nextHref?: string;
  /** Explains a query that could not be placed, or offers to widen the search. */
  notice?: { title: string; text?: string; links?: { href: string; label: string }[] };
}

export interface MapSettings {
  maplibreUrl: string;
  /** Loaded by map.js with the library, so pages without a map never fetch it. */
  maplibreCssUrl: string;
  contoursUrl?: string;
  tilesUrl?: string;
  tilesAttribution: string;
}

/** The data attributes map-base.js reads to load MapLibre and its background (results and propose pages). */
export function mapDataAttributes(map: MapSettings): Record<string, string | undefined> {
  return {
    'data-maplibre-url': map.maplibreUrl,
    'data-maplibre-css-url': map.maplibreCssUrl,
    'data-contours-url': map.contoursUrl,
    'data-tiles-url': map.tilesUrl,
    'data-tiles-attribution': map.tilesAttribution,
  };
}

function activeFilters(v: SearchFormValues): number {
  return (
    v.services.length +
    v.publics_specifiquement_adresses.length +
    v.prise_en_charge_specifique.length +
    (v.gratuit ? 1 : 0) +
    (v.ouvert_maintenant ? 1 : 0) +
    (v.qpv ? 1 : 0)
  );
}

function countLabel(total: number): string {
  if (total === 0) return 'Aucun lieu trouvé';
  return `${total.toLocaleString('fr-FR')} lieu${total > 1 ? 'x' : ''} trouvé${total > 1 ? 's' : ''}`;
}

/** The part that live filtering replaces (also served alone as an HTML fragment). */
export function ResultsList({ model }: { model: ResultsModel }) {
  return (
    <>
      <p class="fr-h5 maillage-counts" data-count>
        {countLabel(model.total)} {model.where}
      </p>
      {model.notice ? (
        <Alert type="info" title={model.notice.title} small={!model.notice.links}>
          {model.notice.text ? <p>{model.notice.text}</p> : null}
          {model.notice.links ? (
            <ul>
              {model.notice.links.map((l) => (
                <li>
                  <a href={l.href}>{l.label}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <ol class="maillage-list" aria-label="Lieux trouvés">
        {model.items.map((item) => (
          <li
            data-lieu-id={item.id}
            data-lat={item.latitude === null ? undefined : String(item.latitude)}
            data-lon={item.longitude === null ? undefined : String(item.longitude)}
            data-nom={item.nom}
          >
            <Card
              href={`/lieux/${item.id}`}
              title={item.nom}
              headingLevel={2}
              description={
                <>
                  {item.adresse}, {item.code_postal} {item.commune}
                  {item.distance ? <> · {item.distance}</> : null}
                  {item.status ? (
                    <span class={`maillage-card-status${item.status.open ? " maillage-status--open" : ""}`}>
                      {item.status.label}
                    </span>
                  ) : null}
                  {item.qpv ? <span class="fr-text--xs maillage-card-qpv"> · {item.qpv}</span> : null}
                </>
              }
              start={<TagList tags={[...(item.gratuit ? ['Gratuit'] : []), ...item.services]} small />}
            />
          </li>
        ))}
      </ol>
      {model.nextHref ? (
        <p>
          <ButtonLink href={model.nextHref} kind="secondary" icon="arrow-right-line" iconRight>
            Lieux suivants
          </ButtonLink>
        </p>
      ) : null}
    </>
  );
}

/** The result list beside its lazily loaded map (the list stays the accessible alternative). */
export function ResultsWithMap(p: { model: ResultsModel; map: MapSettings }) {
  return (
    <>
      <p id="resultats-annonce" class="fr-sr-only" aria-live="polite"></p>
      <div class="maillage-results maillage-results--with-map">
        <div id="resultats">
          <ResultsList model={p.model} />
        </div>
        <div id="carte" class="maillage-map" hidden {...mapDataAttributes(p.map)}></div>
      </div>
    </>
  );
}

export function ResultsPage(p: { ctx: PageContext; values: SearchFormValues; model: ResultsModel; map: MapSettings }) {
  return (
    <Page
      ctx={p.ctx}
      title={`${countLabel(p.model.total)} ${p.model.where}`}
      description="Lieux d’aide au numérique trouvés, triés par distance."
      scripts={['map.js']}
      noindex
    >
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Résultats de recherche' }]} />
        <h1>Lieux d’aide au numérique {p.model.where}</h1>
        <form method="get" action="/recherche" data-live-search class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12">
            <WhereField values={p.values} />
          </div>
          <div class="fr-col-12 fr-col-lg-3">
            {/* Collapsed unless a filter is set, so on a phone the list comes right after the search. */}
            <details class="maillage-filters-panel" open={activeFilters(p.values) > 0}>
              <summary class="fr-btn fr-btn--secondary fr-icon-filter-line fr-btn--icon-left">
                Filtrer les résultats{activeFilters(p.values) ? ` (${activeFilters(p.values)})` : ''}
              </summary>
              <div class="fr-mt-2w">
                <SearchFilters values={p.values} />
              </div>
            </details>
          </div>
          <div class="fr-col-12 fr-col-lg-9">
            <ResultsWithMap model={p.model} map={p.map} />
          </div>
        </form>
        <p class="fr-mt-4w">
          Un lieu manque ?{' '}
          <a class="fr-link" href="/lieux/proposer">
            Proposer un lieu
          </a>
        </p>
      </div>
    </Page>
  );
}
