import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb, type Crumb } from '../../../web/components/breadcrumb.tsx';
import { Table } from '../../../web/components/table.tsx';

// Territory pages: région → département → EPCI → commune, each with the number of places,
// and the list of places for EPCIs and communes.

export interface TerritoryRow {
  href: string;
  nom: string;
  code: string;
  count: number;
}

export interface PlaceRow {
  id: string;
  nom: string;
  adresse: string;
  commune: string;
}

export interface TerritoryPageModel {
  title: string;
  /** "Région", "Département"… */
  kind: string;
  crumbs: Crumb[];
  total: number;
  children?: { caption: string; column: string; rows: TerritoryRow[] };
  places?: PlaceRow[];
  /** When more places exist than listed. */
  moreHref?: string;
}

const plural = (n: number) => `${n.toLocaleString('fr-FR')} lieu${n > 1 ? 'x' : ''}`;

export function TerritoryPage({ ctx, model }: { ctx: PageContext; model: TerritoryPageModel }) {
  return (
    <Page ctx={ctx} title={model.title} description={`${plural(model.total)} de médiation numérique : ${model.title}.`}>
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={model.crumbs} />
        <h1>{model.title}</h1>
        <p class="fr-text--lead">
          {model.kind ? `${model.kind} · ` : ''}
          <span class="maillage-counts">{plural(model.total)}</span> de médiation numérique recensés.
        </p>
        {model.children ? (
          <Table
            caption={model.children.caption}
            headers={[model.children.column, 'Nombre de lieux']}
            rows={model.children.rows.map((r) => [<a href={r.href}>{r.nom}</a>, <span class="maillage-counts">{r.count.toLocaleString('fr-FR')}</span>])}
          />
        ) : null}
        {model.places ? (
          <>
            <h2>Les lieux</h2>
            {model.places.length ? (
              <ul>
                {model.places.map((p) => (
                  <li>
                    <a href={`/lieux/${p.id}`}>{p.nom}</a> – {p.adresse}, {p.commune}
                  </li>
                ))}
              </ul>
            ) : (
              <p>Aucun lieu n’est recensé ici pour le moment.</p>
            )}
            {model.moreHref ? (
              <p>
                <a href={model.moreHref}>Voir tous les lieux</a>
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </Page>
  );
}
