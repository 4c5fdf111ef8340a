import type { ComponentChildren } from 'preact';
import { Page, type PageContext } from '../layout/page.tsx';
import { Breadcrumb } from '../components/breadcrumb.tsx';
import { Callout } from '../components/callout.tsx';
import { Download } from '../components/download.tsx';

// Pages whose content is ours, not the registry's: open data, legal notices, accessibility,
// personal data.

function Article(p: { ctx: PageContext; title: string; description: string; children: ComponentChildren }) {
  return (
    <Page ctx={p.ctx} title={p.title} description={p.description}>
      <div class="fr-container fr-mb-7w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: p.title }]} />
        <h1>{p.title}</h1>
        {p.children}
      </div>
    </Page>
  );
}

export interface DownloadLink {
  href: string;
  label: string;
  detail: string;
}

export function OpenDataPage(p: { ctx: PageContext; downloads: DownloadLink[]; publicUrl: string }) {
  return (
    <Article ctx={p.ctx} title="Données ouvertes" description="Télécharger les lieux de médiation numérique et utiliser l’API de Maillage.">
      <p class="fr-text--lead">
        Les lieux de médiation numérique recensés par Maillage sont des données publiques, libres et gratuites. Elles suivent le
        standard national de données des lieux de médiation numérique.
      </p>
      <Callout title="Licence Ouverte 2.0 (Etalab)" icon="information-line">
        <p>
          Vous pouvez réutiliser ces données librement, y compris à des fins commerciales, à condition de mentionner la source
          (« Maillage, ANCT ») et la date de dernière mise à jour.{' '}
          <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Lire la Licence Ouverte 2.0</a>
        </p>
      </Callout>
      <h2>Télécharger</h2>
      {p.downloads.length ? (
        p.downloads.map((d) => <Download href={d.href} label={d.label} detail={d.detail} />)
      ) : (
        <p>Les fichiers de téléchargement complets seront bientôt disponibles. En attendant, l’API donne accès à tous les lieux.</p>
      )}
      <h2>API</h2>
      <p>
        L’API publique en lecture ne demande ni compte ni clé. Elle renvoie les lieux au format du standard (JSON), avec des
        filtres par territoire, service, public et position.
      </p>
      <ul>
        <li>
          <a href="/api/v1/documentation">Documentation de l’API (OpenAPI)</a>
        </li>
        <li>
          Liste des lieux : <code>{`${p.publicUrl}/api/v1/lieux`}</code>
        </li>
        <li>
          Recherche de communes : <code>{`${p.publicUrl}/api/v1/communes?q=lille`}</code>
        </li>
      </ul>
      <h2>Carte à intégrer</h2>
      <p>
        Collectivités, réseaux et producteurs de données peuvent afficher sur leur site la liste et la carte des lieux de leur
        territoire, de leur réseau ou de leur source : <a href="/integrer">générer le code d’intégration</a>.
      </p>
    </Article>
  );
}

export function LegalNoticePage({ ctx }: { ctx: PageContext }) {
  return (
    <Article ctx={ctx} title="Mentions légales" description="Mentions légales du service Maillage.">
      <h2>Éditeur</h2>
      <p>
        Agence nationale de la cohésion des territoires (ANCT), 20 avenue de Ségur, 75007 Paris. Directeur de la publication : le
        directeur général de l’ANCT.
      </p>
      <h2>Hébergement</h2>
      <p>Le service est hébergé en France par un prestataire qualifié pour l’hébergement de services publics numériques.</p>
      <h2>Contenus</h2>
      <p>
        Les informations sur les lieux proviennent des structures qui les animent et des réseaux qui les recensent. La source et la
        date de mise à jour sont indiquées sur chaque fiche. Si une information est fausse, utilisez le formulaire « Signaler une
        erreur » de la fiche du lieu.
      </p>
      <h2>Licence</h2>
      <p>Sauf mention contraire, les contenus et les données de ce site sont publiés sous Licence Ouverte 2.0.</p>
    </Article>
  );
}

export function AccessibilityPage({ ctx }: { ctx: PageContext }) {
  return (
    <Article ctx={ctx} title="Déclaration d’accessibilité" description="Déclaration d’accessibilité du service Maillage.">
      <p>
        L’ANCT s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11
        février 2005. Cette déclaration s’applique au site public de Maillage.
      </p>
      <h2>État de conformité</h2>
      <p>
        Le site est <strong>partiellement conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA),
        version 4.1, en raison des non-conformités et dérogations énumérées ci-dessous. Aucun audit complet n’a encore été réalisé ;
        des contrôles automatiques sont faits à chaque version.
      </p>
      <h2>Contenus non accessibles</h2>
      <ul>
        <li>
          La carte interactive n’est pas accessible au clavier ni aux lecteurs d’écran. La liste des résultats, affichée à côté,
          donne les mêmes informations : c’est l’alternative accessible.
        </li>
      </ul>
      <h2>Établissement de cette déclaration</h2>
      <p>Technologies utilisées : HTML5, CSS, JavaScript (facultatif : le site fonctionne sans).</p>
      <h2>Retour d’information et contact</h2>
      <p>
        Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’ANCT pour être orienté vers une
        alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou une fonctionnalité du site, que vous
        nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous pouvez écrire au Défenseur des droits
        (<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>) ou contacter le délégué du Défenseur des
        droits dans votre région.
      </p>
    </Article>
  );
}

export function PersonalDataPage({ ctx }: { ctx: PageContext }) {
  return (
    <Article ctx={ctx} title="Données personnelles" description="Comment Maillage traite les données personnelles.">
      <p>
        Le site public de Maillage ne demande pas de compte et ne dépose aucun cookie de mesure d’audience ni de publicité.
      </p>
      <h2>Recherche « Autour de moi »</h2>
      <p>
        Si vous utilisez le bouton « Autour de moi », votre navigateur vous demande l’autorisation de partager votre position. Elle
        sert seulement à trier les lieux par distance : elle figure dans l’adresse de la page de résultats et n’est pas enregistrée.
      </p>
      <h2>Signalement d’une erreur</h2>
      <p>
        Quand vous signalez une erreur sur la fiche d’un lieu, nous enregistrons votre message et, si vous le donnez, votre adresse
        électronique pour vous répondre. Ces données servent uniquement à corriger la fiche ; elles sont supprimées un an après le
        traitement du signalement. Pour limiter les abus, une empreinte non réversible de votre adresse IP est conservée 24 heures.
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez demander l’accès, la rectification ou l’effacement de vos données à l’ANCT. Vous pouvez aussi adresser une
        réclamation à la CNIL.
      </p>
    </Article>
  );
}
