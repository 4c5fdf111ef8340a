import type { ComponentChildren } from 'preact';
import type { AssetStore } from '../../../web/assets.ts';
import { Alert } from '../../../web/components/alert.tsx';
import { ResultsWithMap, type MapSettings, type ResultsModel } from '../../search/views/results-page.tsx';
import { SearchFilters, WhereField, type SearchFormValues } from '../../search/views/search-form.tsx';
import type { FieldError } from '../../../lib/errors.ts';

// The embeddable map: the site's search (list + map, public filters) inside another site's
// page, without the State header and footer. Links to places open Maillage in a new tab
// (<base target="_blank">); the form and paging stay in the frame (target="_self").

export const DEFAULT_EMBED_TITLE = 'Lieux d’aide au numérique';

interface ShellProps {
  assets: AssetStore;
  title: string;
  logo?: string;
  themeUrl?: string;
  publicUrl: string;
  scripts: string[];
  children: ComponentChildren;
}

function EmbedShell(p: ShellProps) {
  return (
    <html lang="fr" data-fr-scheme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} - Maillage`}</title>
        <meta name="robots" content="noindex" />
        <base target="_blank" />
        <link rel="stylesheet" href={p.assets.url('site.css')} />
        <link rel="stylesheet" href={p.assets.url('embed.css')} />
        {p.themeUrl ? <link rel="stylesheet" href={p.themeUrl} /> : null}
        <link rel="icon" href={p.assets.url('favicon.svg')} type="image/svg+xml" />
        {p.scripts.map((s) => (
          <script type="module" src={p.assets.url(s)}></script>
        ))}
      </head>
      <body class="maillage-embed">
        <header class="maillage-embed-header" role="banner">
          {p.logo ? <img src={p.logo} alt="" class="maillage-embed-logo" /> : null}
          <p class="maillage-embed-title">{p.title}</p>
        </header>
        <main role="main" id="contenu" class="maillage-embed-main">
          {p.children}
        </main>
        <footer class="maillage-embed-footer" role="contentinfo">
          <p class="fr-text--sm fr-mb-0">
            Données du registre national{' '}
            <a href={`${p.publicUrl}/`} title="Maillage - nouvel onglet">
              Maillage
            </a>{' '}
            (Licence Ouverte 2.0). Les fiches des lieux s’ouvrent dans un nouvel onglet.
          </p>
        </footer>
      </body>
    </html>
  );
}

export interface EmbedPageProps {
  assets: AssetStore;
  publicUrl: string;
  title: string;
  logo?: string;
  themeUrl?: string;
  /** The embed's own parameters, carried by the form as hidden fields. */
  hidden: [string, string][];
  values: SearchFormValues;
  model: ResultsModel;
  map: MapSettings;
}

export function EmbedPage(p: EmbedPageProps) {
  return (
    <EmbedShell assets={p.assets} title={p.title} logo={p.logo} themeUrl={p.themeUrl} publicUrl={p.publicUrl} scripts={['app.js', 'map.js', 'embed.js']}>
      <h1 class="fr-sr-only">{p.title}</h1>
      <form method="get" action="/embed/carte" target="_self" data-live-search class="maillage-embed-form">
        {p.hidden.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <WhereField values={p.values} />
        <details class="maillage-filters-panel fr-mb-2w">
          <summary class="fr-btn fr-btn--secondary fr-icon-filter-line fr-btn--icon-left">Filtrer les résultats</summary>
          <div class="fr-mt-2w">
            <SearchFilters values={p.values} />
          </div>
        </details>
        <ResultsWithMap model={p.model} map={p.map} />
      </form>
    </EmbedShell>
  );
}

/** Bad options: say which, in French, inside the frame, so the integrator sees it at once. */
export function EmbedErrorPage(p: { assets: AssetStore; publicUrl: string; errors: FieldError[] }) {
  return (
    <EmbedShell assets={p.assets} title="Carte Maillage mal configurée" publicUrl={p.publicUrl} scripts={['embed.js']}>
      <h1 class="fr-h4">Cette carte ne peut pas s’afficher</h1>
      <Alert type="error" title="Les options de la carte intégrée contiennent des erreurs">
        <ul>
          {p.errors.map((e) => (
            <li>{e.message}</li>
          ))}
        </ul>
        <p>
          Le code d’intégration peut être généré à nouveau sur la page{' '}
          <a href={`${p.publicUrl}/integrer`} title="Intégrer la carte - nouvel onglet">
            Intégrer la carte
          </a>
          .
        </p>
      </Alert>
    </EmbedShell>
  );
}
