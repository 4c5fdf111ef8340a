import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb, type Crumb } from '../../../web/components/breadcrumb.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { TerritoryIndicators } from '../observatory.indicators.ts';
import type { ChoroplethModel } from '../choropleth.ts';
import { formatCell, type PageTable, type TableSort } from '../page-tables.ts';

// Observatory pages: key figures of a territory, bar charts (DSFR Chart web components, each
// followed by the table that carries its numbers), a choropleth map drawn as SVG on the server
// (legend in numbers; each area is a link named with its value), and sortable tables, each
// with its CSV export. Sorting works through links without JavaScript; observatory.js sorts
// in place when it runs.

// The DSFR Chart web component (defined by bar-chart.js in the browser).
declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Preact declares its JSX types in a namespace; augmenting it needs one.
  namespace JSX {
    interface IntrinsicElements {
      'bar-chart': { x: string; y: string; name?: string; 'unit-tooltip'?: string; horizontal?: string; 'selected-palette'?: string; children?: never[] };
    }
  }
}

export interface ChartModel {
  id: string;
  title: string;
  x: string[];
  y: number[];
  name: string;
  unit: string;
  horizontal?: boolean;
  /** The table holding the chart's numbers (its accessible alternative). */
  tableId: string;
}

export interface ObservatoryPageModel {
  title: string;
  kind: string;
  crumbs: Crumb[];
  indicators: TerritoryIndicators;
  tables: PageTable[];
  charts: ChartModel[];
  map?: ChoroplethModel;
  /** Why the map of the sub-territories could not be drawn (unreadable contour files). */
  mapProblems?: string[];
  sort?: TableSort;
  /** /observatoire/<type>/<code>/tableaux: + /<table id>.csv */
  csvBase: string;
  apiHref: string;
  computedAt: string;
  /** For a QPV: the search of the places in it. */
  searchHref?: string;
}

const n = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? '–' : value.toLocaleString('fr-FR', { maximumFractionDigits: digits });
const pct = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${(value * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %`);

function KeyFigure({ label, value }: { label: string; value: string }) {
  return (
    <div class="fr-col-12 fr-col-md-3">
      <div class="fr-callout">
        <p class="fr-callout__title">{value}</p>
        <p class="fr-callout__text">{label}</p>
      </div>
    </div>
  );
}

function sortHref(table: PageTable, column: string, order: 'asc' | 'desc'): string {
  return `?tri=${encodeURIComponent(`${table.id}.${column}`)}&ordre=${order}#tableau-${table.id}`;
}

export function SortableTable({ table, sort, csvHref }: { table: PageTable; sort?: TableSort; csvHref: string }) {
  const sorted = sort && sort.table === table.id ? sort : undefined;
  return (
    <div class="fr-table maillage-obs-table" id={`tableau-${table.id}`} data-sortable={table.sortable ? '' : undefined}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>{table.caption}</caption>
              <thead>
                <tr>
                  {table.columns.map((c) => {
                    const current = sorted?.column === c.key ? sorted.order : undefined;
                    const next = current === 'asc' ? 'desc' : 'asc';
                    return (
                      <th scope="col" aria-sort={current === 'asc' ? 'ascending' : current === 'desc' ? 'descending' : undefined}>
                        {table.sortable ? (
                          <a
                            href={sortHref(table, c.key, next)}
                            data-sort={c.key}
                            data-kind={c.kind === 'text' ? 'text' : 'number'}
                            class="maillage-sort"
                          >
                            {c.label}
                            <span class="fr-sr-only">
                              {current ? ` (trié ${current === 'asc' ? 'croissant' : 'décroissant'} ; ` : ' ('}
                              trier par ordre {next === 'asc' ? 'croissant' : 'décroissant'})
                            </span>
                            <span aria-hidden="true" class="maillage-sort-mark">
                              {current === 'asc' ? ' ▲' : current === 'desc' ? ' ▼' : ' ⇅'}
                            </span>
                          </a>
                        ) : (
                          c.label
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {(table.maxRows ? table.rows.slice(0, table.maxRows) : table.rows).map((row) => (
                  <tr>
                    {table.columns.map((c, i) => {
                      const value = row.cells[c.key] ?? null;
                      const text = formatCell(c, value);
                      const raw = value === null ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
                      return (
                        <td data-value={raw}>{i === 0 && row.href ? <a href={row.href}>{text}</a> : text}</td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      {table.maxRows && table.rows.length > table.maxRows ? (
        <p class="fr-text--sm fr-mb-1w">
          {table.maxRows} premières lignes sur {table.rows.length.toLocaleString('fr-FR')} dans cet ordre : le fichier CSV les contient toutes.
        </p>
      ) : null}
      {table.note ? <p class="fr-text--sm fr-mb-1w">{table.note}</p> : null}
      <p class="fr-text--sm">
        <a class="fr-link fr-link--sm fr-icon-download-line fr-link--icon-left" href={`${csvHref}/${table.id}.csv`} download>
          Télécharger le tableau « {table.caption} » (CSV)
        </a>
      </p>
    </div>
  );
}

function Chart({ chart }: { chart: ChartModel }) {
  const id = `graphique-${chart.id}`;
  return (
    <figure class="fr-mb-4w maillage-chart" aria-labelledby={`${id}-titre`}>
      <figcaption id={`${id}-titre`} class="fr-h6 fr-mb-1w">
        {chart.title}
      </figcaption>
      <div role="img" aria-label={`Graphique en barres : ${chart.title}. Les chiffres sont dans le tableau qui suit.`}>
        <bar-chart
          x={JSON.stringify([chart.x])}
          y={JSON.stringify([chart.y])}
          name={JSON.stringify([chart.name])}
          unit-tooltip={chart.unit}
          horizontal={chart.horizontal ? 'true' : undefined}
          selected-palette="default"
        ></bar-chart>
      </div>
      <p class="fr-text--sm">
        <a href={`#tableau-${chart.tableId}`}>Les chiffres de ce graphique sous forme de tableau</a>
      </p>
    </figure>
  );
}

const fmtValue = (v: number | null) => (v === null ? 'donnée non disponible' : v.toLocaleString('fr-FR', { maximumFractionDigits: 2 }));

// A legend swatch as SVG: colours go in presentation attributes (the CSP forbids style attributes).
function Swatch({ fill }: { fill: string }) {
  return (
    <svg class="maillage-swatch" viewBox="0 0 20 16" width="20" height="16" aria-hidden="true" focusable="false">
      <rect x="0.5" y="0.5" width="19" height="15" fill={fill} stroke="#666666" />
    </svg>
  );
}

export function ChoroplethMap({ map }: { map: ChoroplethModel }) {
  return (
    <figure class="fr-mb-4w maillage-choropleth" aria-labelledby="carte-titre">
      <figcaption id="carte-titre" class="fr-h6 fr-mb-1w">
        {map.title}
      </figcaption>
      <svg viewBox={`0 0 ${map.width} ${map.height}`} class="maillage-choropleth-svg" aria-labelledby="carte-titre" role="group">
        <defs>
          <pattern id="carte-inconnu" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#ffffff" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#666666" stroke-width="2" />
          </pattern>
        </defs>
        {map.areas.map((a) => {
          const fill = a.classIndex < 0 ? 'url(#carte-inconnu)' : map.classes[a.classIndex]!.colour;
          const label = `${a.nom} : ${fmtValue(a.value)} ${a.value === null ? '' : map.measure}`.trim();
          const shape = (
            <path d={a.d} fill={fill} stroke="#ffffff" stroke-width="0.8" fill-rule="evenodd" data-code={a.code} data-classe={String(a.classIndex)}>
              <title>{label}</title>
            </path>
          );
          return a.href ? (
            <a href={a.href} aria-label={label}>
              {shape}
            </a>
          ) : (
            shape
          );
        })}
      </svg>
      <div class="maillage-legend">
        <p class="fr-text--sm fr-mb-1w">Légende ({map.measure}) :</p>
        <ul class="fr-text--sm">
          {map.classes.map((c, i) => (
            <li data-classe={String(i)}>
              <Swatch fill={c.colour} /> {c.label}
            </li>
          ))}
          {map.unknownLabel ? (
            <li data-classe="-1">
              <Swatch fill="url(#carte-inconnu)" /> {map.unknownLabel} (hachures)
            </li>
          ) : null}
        </ul>
        <p class="fr-text--xs">{map.source}. Chaque zone est un lien vers sa page ; les valeurs sont aussi dans les tableaux.</p>
      </div>
    </figure>
  );
}

export function ObservatoryPage({ ctx, model }: { ctx: PageContext; model: ObservatoryPageModel }) {
  const ind = model.indicators;
  const d = ind.distance;
  const table = (id: string) => model.tables.find((t) => t.id === id);
  const chartsFor = (id: string) => model.charts.filter((c) => c.tableId === id);
  return (
    <Page
      ctx={ctx}
      title={`Observatoire – ${model.title}`}
      description={`Couverture en lieux de médiation numérique : ${model.title}.`}
      scripts={['bar-chart.js', 'observatory.js']}
      styles={['bar-chart.css', 'observatory.css']}
    >
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={model.crumbs} />
        <h1>{model.title}</h1>
        <p class="fr-text--lead">{model.kind ? `${model.kind} · ` : ''}Couverture en lieux de médiation numérique</p>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
          <KeyFigure label="lieux publiés" value={n(ind.nombre_lieux)} />
          <KeyFigure label="lieux pour 10 000 habitants" value={n(ind.lieux_pour_10000_habitants, 2)} />
          <KeyFigure
            label={ind.type === 'commune' || ind.type === 'qpv' ? 'km jusqu’au lieu le plus proche' : 'de la population à plus de 10 km d’un lieu'}
            value={ind.type === 'commune' || ind.type === 'qpv' ? n(d.distance_lieu_le_plus_proche_km, 1) : pct(d.part_population_plus_10_km)}
          />
          <KeyFigure label="QPV sans lieu à moins de 500 m" value={`${n(ind.qpv.sans_lieu_500_m)} / ${n(ind.qpv.nombre)}`} />
        </div>
        {model.searchHref ? (
          <p>
            <a href={model.searchHref}>Voir les lieux situés dans ce quartier</a>
          </p>
        ) : null}

        {model.map || model.mapProblems?.length ? <h2>Carte</h2> : null}
        {model.mapProblems?.length ? (
          <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
            <p>
              Carte des sous-territoires indisponible : {model.mapProblems.join(' ')}
              {model.map ? ' La carte ci-dessous montre les quartiers prioritaires.' : ''}
            </p>
          </div>
        ) : null}
        {model.map ? <ChoroplethMap map={model.map} /> : null}

        {model.tables.map((t) => (
          <section class="fr-mb-4w">
            {chartsFor(t.id).map((c) => (
              <Chart chart={c} />
            ))}
            <SortableTable table={t} sort={model.sort} csvHref={model.csvBase} />
          </section>
        ))}
        {table('qpv') === undefined && ind.qpv.nombre === 0 ? <p>Aucun quartier prioritaire chargé sur ce territoire.</p> : null}
        <p>
          Chiffres calculés le {model.computedAt}. <a href="/observatoire/methodologie">Méthode, sources et limites</a> ·{' '}
          <a href={model.apiHref}>Ces chiffres en JSON</a> · <a href="/api/v1/observatoire/double-fracture?format=csv">Export CSV de la « double fracture »</a> ·{' '}
          <a href="/api/v1/qpv">Liste des QPV (JSON)</a>
        </p>
      </div>
    </Page>
  );
}

export interface MethodologySources {
  /** Vintages of the broadband and fragility figures loaded (e.g. "Arcep T1 2018"). */
  millesimes: string[];
  /** Lists of QPV contours loaded, with their number. */
  qpvLists: { liste: string; nombre: number }[];
  proximityM: number;
}

export function MethodologyPage({ ctx, sources }: { ctx: PageContext; sources?: MethodologySources }) {
  const rows: [string, string, string][] = [
    ['Lieux', 'Registre Maillage, lieux publiés', 'en continu (date de calcul sur chaque page)'],
    ['Population, communes, EPCI, départements, régions', 'INSEE, populations légales et code officiel géographique (découpage administratif Etalab 6.0.0)', 'COG en vigueur du paquet'],
    ['Centres des communes', 'geo.api.gouv.fr, champ « centre »', 'COG 2025'],
    ['Quartiers prioritaires (QPV)', 'Contours officiels ANCT : liste 2015 (codes QP…), liste 2024 (codes QN…)', sources?.qpvLists.length ? sources.qpvLists.map((l) => `liste ${l.liste} : ${l.nombre} QPV chargés`).join(' ; ') : 'aucun fichier chargé'],
    ['Fibre (FttH)', 'Arcep, « Le marché du haut et très haut débit fixe (déploiements) »', sources?.millesimes.filter((m) => m.startsWith('Arcep')).join(', ') || 'aucun fichier chargé'],
    ['Fragilité numérique', 'Indice de fragilité numérique (ANCT), scores de 0 à 10', sources?.millesimes.filter((m) => m.startsWith('IFN')).join(', ') || 'aucun fichier chargé'],
    ['Contours des cartes', 'IGN Admin Express, simplifiés (france-geojson)', 'COG 2018'],
  ];
  return (
    <Page ctx={ctx} title="Observatoire – méthode et sources">
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Observatoire', href: '/observatoire' }, { label: 'Méthode et sources' }]} />
        <h1>Méthode, sources et limites</h1>
        <h2>Sources et millésimes</h2>
        <Table scrolls caption="Sources des chiffres de l’observatoire" headers={['Donnée', 'Source', 'Millésime']} rows={rows} />
        <p>Chaque chiffre de fibre et de fragilité est affiché avec son millésime ; l’API les donne dans le champ « millesime » et la liste « sources ».</p>
        <h2>Calculs</h2>
        <ul>
          <li>Territoire d’un lieu : sa commune (code INSEE ; un arrondissement ou une commune déléguée compte pour sa commune actuelle), puis l’EPCI, le département et la région de cette commune sur la carte administrative actuelle.</li>
          <li>Lieux pour 10 000 habitants : nombre de lieux publiés ÷ population × 10 000. Pour un QPV, population donnée par le fichier des contours.</li>
          <li>Services : nombre de lieux proposant chacun des neuf services du standard ; part = ce nombre ÷ nombre de lieux.</li>
          <li>Horaires : heures d’ouverture de chaque lieu pendant une semaine de référence sans jour férié ni changement d’heure (du lundi 10 au lundi 17 mars 2025, heure de Paris), d’après ses horaires au format OpenStreetMap ; les lieux sans horaires valides sont laissés de côté.</li>
          <li>Distances : distance à vol d’oiseau (grand cercle) du centre de chaque commune au lieu le plus proche ; moyenne pondérée par la population ; part de la population vivant dans une commune dont le centre est à plus de 5, 10 ou 20 km d’un lieu.</li>
          <li>Lieu dans un QPV : position du lieu dans le contour (un point sur la limite compte comme dedans, les trous du contour sont exclus) ; lieu proche d’un QPV : à moins de {sources?.proximityM ?? 300} m du contour (filtres de la recherche, fiche du lieu).</li>
          <li>QPV couvert : au moins un lieu dans le quartier ou à moins de 500 m de son contour. Un QPV compte pour le territoire de sa commune principale.</li>
          <li>Taux de fibre : locaux raccordables ÷ (logements + établissements), dernier trimestre du fichier ; pour une région, somme de ses départements.</li>
          <li>« Double fracture » : taux de fibre inférieur à 25 % et aucun lieu à moins de 10 km (du centre de la commune ; pour un EPCI, d’aucun des centres de ses communes).</li>
          <li>Cartes : les territoires sont répartis en cinq classes au plus, par quantiles des valeurs connues ; la légende donne les bornes de chaque classe ; une zone hachurée n’a pas de donnée. Quand les contours des sous-territoires manquent, la carte montre les QPV, couverts ou non.</li>
        </ul>
        <h2>Limites</h2>
        <ul>
          <li>Le centre d’une commune n’est pas le lieu où vivent ses habitants : les distances sont indicatives, surtout pour les grandes communes.</li>
          <li>Les lieux sans coordonnées comptent dans les totaux, pas dans les distances ni dans les QPV.</li>
          <li>Les lieux itinérants sont comptés à leur adresse.</li>
          <li>Les chiffres de la fibre portent leur millésime : un fichier ancien sous-estime fortement la couverture actuelle (environ 30 % des locaux raccordables en 2018, plus de 90 % en 2025). Les communes fusionnées depuis le millésime Arcep n’ont pas de taux.</li>
          <li>Les contours des cartes datent de 2018 : les communes fusionnées depuis y sont encore séparées et n’ont pas de chiffre (hachures). Les contours communaux ne sont disponibles que pour les Hauts-de-France dans les données de référence actuelles.</li>
          <li>Les chiffres sont recalculés après chaque lot de modifications du registre ; la date de calcul figure sur chaque page.</li>
        </ul>
        <h2>Réutiliser les chiffres</h2>
        <p>
          Chaque tableau des pages de l’observatoire se télécharge en CSV (lien sous le tableau). L’API donne les indicateurs de chaque territoire
          (<code>/api/v1/territoires/{'{type}'}/{'{code}'}/indicateurs</code>), la liste des QPV et leur couverture (<code>/api/v1/qpv</code>) et la liste « double fracture »
          (<code>/api/v1/observatoire/double-fracture</code>).
        </p>
      </div>
    </Page>
  );
}
