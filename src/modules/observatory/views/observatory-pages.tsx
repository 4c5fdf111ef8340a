import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb, type Crumb } from '../../../web/components/breadcrumb.tsx';
import { Table } from '../../../web/components/table.tsx';
import type { TerritoryIndicators } from '../observatory.indicators.ts';

// Observatory pages: key figures of a territory, its services, distances, broadband and
// fragility (with vintages), the table of its sub-territories and of its uncovered QPVs.

export interface ChildRow {
  href: string;
  indicators: TerritoryIndicators;
}

export interface ObservatoryPageModel {
  title: string;
  kind: string;
  crumbs: Crumb[];
  indicators: TerritoryIndicators;
  thd: { taux_ftth: number | null; categorie: number | null; millesime: string } | null;
  ifn: { score_total: number | null; millesime: string } | null;
  children?: { caption: string; column: string; rows: ChildRow[] };
  uncoveredQpv: { code: string; nom: string; href: string }[];
  apiHref: string;
  computedAt: string;
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

export function ObservatoryPage({ ctx, model }: { ctx: PageContext; model: ObservatoryPageModel }) {
  const ind = model.indicators;
  const d = ind.distance;
  return (
    <Page ctx={ctx} title={`Observatoire – ${model.title}`} description={`Couverture en lieux de médiation numérique : ${model.title}.`}>
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

        <Table
          caption="Services proposés (nombre de lieux)"
          headers={['Service', 'Lieux']}
          rows={Object.entries(ind.services).map(([service, count]) => [service, n(count)])}
        />
        <Table
          caption="Accès : distances et horaires"
          headers={['Indicateur', 'Valeur']}
          rows={[
            ['Population', n(ind.population)],
            ['Distance moyenne au lieu le plus proche (pondérée par la population)', `${n(d.distance_moyenne_km, 1)} km`],
            ['Part de la population à plus de 5 km', pct(d.part_population_plus_5_km)],
            ['Part de la population à plus de 10 km', pct(d.part_population_plus_10_km)],
            ['Part de la population à plus de 20 km', pct(d.part_population_plus_20_km)],
            ['Lieux dont les horaires sont connus', n(ind.horaires.lieux_avec_horaires)],
            ['Heures d’ouverture par semaine (tous lieux)', n(ind.horaires.heures_ouverture_hebdo)],
            ['Heures d’ouverture moyennes par lieu', n(ind.horaires.heures_moyennes_par_lieu, 1)],
          ]}
        />
        <Table
          caption="Fibre et fragilité numérique"
          headers={['Indicateur', 'Valeur', 'Millésime']}
          rows={[
            ['Locaux raccordables à la fibre (FttH)', model.thd ? pct(model.thd.taux_ftth) : 'non disponible', model.thd?.millesime ?? '–'],
            ['Indice de fragilité numérique (0 à 10)', model.ifn ? n(model.ifn.score_total, 1) : 'non disponible', model.ifn?.millesime ?? '–'],
          ]}
        />
        {model.children ? (
          <Table
            caption={model.children.caption}
            headers={[model.children.column, 'Lieux', 'Pour 10 000 hab.', 'Population à plus de 10 km', 'QPV sans lieu à 500 m']}
            rows={model.children.rows.map((r) => [
              <a href={r.href}>{r.indicators.nom}</a>,
              n(r.indicators.nombre_lieux),
              n(r.indicators.lieux_pour_10000_habitants, 2),
              pct(r.indicators.distance.part_population_plus_10_km),
              n(r.indicators.qpv.sans_lieu_500_m),
            ])}
          />
        ) : null}
        {model.uncoveredQpv.length ? (
          <>
            <h2>Quartiers prioritaires sans lieu à moins de 500 m</h2>
            <ul>
              {model.uncoveredQpv.map((q) => (
                <li>
                  <a href={q.href}>{q.nom}</a> ({q.code})
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          Chiffres calculés le {model.computedAt}. <a href="/observatoire/methodologie">Méthode, sources et limites</a> ·{' '}
          <a href={model.apiHref}>Ces chiffres en JSON</a> · <a href="/api/v1/observatoire/double-fracture?format=csv">Export CSV de la « double fracture »</a> ·{' '}
          <a href="/api/v1/qpv">Liste des QPV (JSON)</a>
        </p>
      </div>
    </Page>
  );
}

export function MethodologyPage({ ctx }: { ctx: PageContext }) {
  return (
    <Page ctx={ctx} title="Observatoire – méthode et sources">
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Observatoire', href: '/observatoire' }, { label: 'Méthode et sources' }]} />
        <h1>Méthode, sources et limites</h1>
        <h2>Sources</h2>
        <ul>
          <li>Lieux : registre Maillage, lieux publiés.</li>
          <li>Population et découpage : INSEE, populations légales et code officiel géographique (découpage administratif Etalab).</li>
          <li>Centres des communes : geo.api.gouv.fr (COG 2025).</li>
          <li>Quartiers prioritaires : contours officiels des QPV (ANCT), liste 2015 (codes QP…) et liste 2024 (codes QN…).</li>
          <li>Fibre : Arcep, observatoire du haut et très haut débit (déploiements FttH), trimestre indiqué pour chaque chiffre.</li>
          <li>Fragilité numérique : indice de fragilité numérique (ANCT), scores de 0 à 10.</li>
        </ul>
        <h2>Calculs</h2>
        <ul>
          <li>Lieux pour 10 000 habitants : nombre de lieux publiés ÷ population × 10 000.</li>
          <li>Services : nombre de lieux proposant chacun des neuf services du standard.</li>
          <li>Horaires : heures d’ouverture de chaque lieu pendant une semaine de référence sans jour férié (du 10 au 16 mars 2025), d’après ses horaires au format OpenStreetMap.</li>
          <li>Distances : distance à vol d’oiseau du centre de chaque commune au lieu le plus proche ; moyenne pondérée par la population ; part de la population vivant dans une commune dont le centre est à plus de 5, 10 ou 20 km d’un lieu.</li>
          <li>QPV couvert : au moins un lieu dans le quartier ou à moins de 500 m de son contour.</li>
          <li>Taux de fibre : locaux raccordables ÷ (logements + établissements).</li>
          <li>« Double fracture » : taux de fibre inférieur à 25 % et aucun lieu à moins de 10 km.</li>
        </ul>
        <h2>Limites</h2>
        <ul>
          <li>Le centre d’une commune n’est pas le lieu où vivent ses habitants : les distances sont indicatives.</li>
          <li>Les lieux sans coordonnées comptent dans les totaux, pas dans les distances.</li>
          <li>Les chiffres de la fibre portent leur millésime : un fichier ancien sous-estime fortement la couverture actuelle.</li>
        </ul>
      </div>
    </Page>
  );
}
