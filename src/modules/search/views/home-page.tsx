import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { WhereField, type SearchFormValues } from './search-form.tsx';

// Home: one question ("où ?"), answered by typing a place or with "Autour de moi".

export function HomePage({ ctx, values, total }: { ctx: PageContext; values: SearchFormValues; total: number }) {
  return (
    <Page
      ctx={ctx}
      title="Trouver un lieu d’aide au numérique"
      description="Trouvez près de chez vous un lieu pour être aidé dans vos démarches en ligne ou apprendre à utiliser un ordinateur, un téléphone ou internet."
    >
      <div class="maillage-hero">
        <div class="fr-container">
          <h1>Trouver un lieu pour être aidé avec le numérique</h1>
          <p class="fr-text--lead">
            Démarches en ligne, ordinateur, téléphone, internet : trouvez près de chez vous un lieu où l’on vous accompagne,
            souvent gratuitement.
          </p>
          <form method="get" action="/recherche" class="fr-mb-2w">
            <WhereField values={values} big />
          </form>
          <p class="fr-text--sm">
            <span class="maillage-counts">{total.toLocaleString('fr-FR')}</span> lieux recensés en France.
          </p>
        </div>
      </div>
      <div class="fr-container fr-my-6w">
        <div class="fr-grid-row fr-grid-row--gutters">
          <div class="fr-col-12 fr-col-md-4">
            <h2 class="fr-h4">Être aidé dans ses démarches</h2>
            <p>CAF, impôts, retraite, santé, emploi : des personnes formées vous aident à faire vos démarches en ligne.</p>
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <h2 class="fr-h4">Apprendre à son rythme</h2>
            <p>Ordinateur, téléphone, tablette, courriels : seul, en atelier ou avec un médiateur.</p>
          </div>
          <div class="fr-col-12 fr-col-md-4">
            <h2 class="fr-h4">Accéder à internet</h2>
            <p>Des ordinateurs, une imprimante et une connexion à votre disposition.</p>
          </div>
        </div>
        <div class="fr-callout fr-mb-4w">
          <h2 class="fr-callout__title fr-h4">Vous accompagnez une personne ?</h2>
          <p class="fr-callout__text">
            Travailleurs sociaux, aidants, bibliothécaires : trouvez en quatre questions les lieux qui lui conviennent et imprimez-lui
            une fiche d’orientation avec les adresses, les horaires et les contacts.
          </p>
          <a class="fr-btn fr-btn--secondary" href="/orientation">
            Orienter une personne
          </a>
        </div>
        <p>
          <a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/territoires">
            Voir les lieux par région et par département
          </a>
        </p>
      </div>
    </Page>
  );
}
