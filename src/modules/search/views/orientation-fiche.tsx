import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import type { ComingDay } from '../orientation.hours.ts';
import { QrCode } from './orientation-qr.tsx';
import { PostalAddress } from '../../../web/components/postal-address.tsx';

// The printable "fiche d'orientation", written for the person being helped: large text,
// each chosen place with its address, how to get in, the coming days' hours in words,
// phone, what to bring and a QR code of its page. On screen, a toolbar prints it.

export interface FicheLieu {
  id: string;
  nom: string;
  adresse: string;
  complement_adresse: string | null;
  code_postal: string;
  commune: string;
  /** "à 1,2 km de Villeurbanne (69100)" */
  distance?: string;
  /** How to get in, in words ("Vous pouvez venir sans rendez-vous."). */
  acces: string[];
  /** The coming days; null when the hours are unknown or unreadable. */
  days: ComingDay[] | null;
  /** The hours as declared, when they could not be read. */
  horairesText?: string;
  telephone?: { display: string; href: string };
  courriels: string[];
  priseRdv?: string;
  frais?: string;
  /** What the place offers, in plain words (the wished needs first). */
  services: string[];
  presentation?: string;
  acceslibre?: string;
  itineraire: string;
  pageUrl: string;
}

export interface FicheModel {
  ctx: PageContext;
  /** "28 novembre 2026" */
  preparedOn: string;
  /** The wished needs in plain words; empty when any need fits. */
  needs: string[];
  bring: string[];
  lieux: FicheLieu[];
  /** Chosen places no longer in the registry. */
  missing: number;
  changeHref: string;
}

function LieuSection({ lieu, index, count }: { lieu: FicheLieu; index: number; count: number }) {
  return (
    <section class="orientation-fiche__lieu" aria-labelledby={`fiche-lieu-${index}`}>
      <h2 id={`fiche-lieu-${index}`}>
        {count > 1 ? <span class="orientation-fiche__numero">Lieu {index + 1} sur {count} : </span> : null}
        {lieu.nom}
      </h2>
      {lieu.presentation ? <p>{lieu.presentation}</p> : null}
      <div class="orientation-fiche__grille">
        <div>
          <h3>Adresse</h3>
          <PostalAddress lieu={lieu} />
          {lieu.distance ? <p class="orientation-fiche__distance">{lieu.distance}</p> : null}

          <h3>Comment y aller</h3>
          <ul>
            {lieu.acces.map((a) => (
              <li>{a}</li>
            ))}
            {lieu.priseRdv ? <li>Rendez-vous en ligne : {lieu.priseRdv}</li> : null}
            {lieu.acceslibre ? <li>Accessibilité du bâtiment décrite sur acceslibre : {lieu.acceslibre}</li> : null}
            <li class="maillage-no-print">
              <a href={lieu.itineraire}>Calculer l’itinéraire sur OpenStreetMap</a>
            </li>
          </ul>

          <h3>Contact</h3>
          {lieu.telephone || lieu.courriels.length ? (
            <ul class="orientation-fiche__contact">
              {lieu.telephone ? (
                <li>
                  Téléphone : <a href={lieu.telephone.href}>{lieu.telephone.display}</a>
                </li>
              ) : null}
              {lieu.courriels.map((c) => (
                <li>
                  Courriel : <a href={`mailto:${c}`}>{c}</a>
                </li>
              ))}
            </ul>
          ) : (
            <p>Pas de téléphone ni de courriel connu : présentez-vous aux heures d’ouverture.</p>
          )}
          {lieu.frais ? <p>Tarif : {lieu.frais}</p> : null}
        </div>
        <div>
          <h3>Horaires des prochains jours</h3>
          {lieu.days ? (
            <ul class="orientation-fiche__jours">
              {lieu.days.map((d) => (
                <li class={d.open ? 'orientation-fiche__jour--ouvert' : 'orientation-fiche__jour--ferme'}>
                  <strong>{d.date}</strong> : {d.hours}
                </li>
              ))}
            </ul>
          ) : lieu.horairesText ? (
            <p>Horaires communiqués par le lieu : {lieu.horairesText}</p>
          ) : (
            <p>Horaires non connus : appelez avant de vous déplacer.</p>
          )}
        </div>
      </div>
      {lieu.services.length ? (
        <>
          <h3>Ce que vous pouvez y faire</h3>
          <ul>
            {lieu.services.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="orientation-fiche__lien">
        <QrCode url={lieu.pageUrl} />
        <p>
          Toutes les informations sur ce lieu, à jour :<br />
          <a href={lieu.pageUrl} class="orientation-fiche__url">
            {lieu.pageUrl.replace(/^https?:\/\//, '')}
          </a>
          <br />
          <span class="fr-text--sm">(ou scannez le code avec un téléphone)</span>
        </p>
      </div>
    </section>
  );
}

export function OrientationFichePage({ m }: { m: FicheModel }) {
  return (
    <Page
      ctx={m.ctx}
      title="Fiche d’orientation"
      description="Fiche d’orientation à imprimer : les lieux choisis, leurs adresses, horaires et contacts."
      styles={['orientation.css']}
      scripts={['orientation.js']}
      noindex
    >
      <div class="fr-container fr-mb-7w orientation orientation-fiche">
        <Breadcrumb
          items={[
            { label: 'Accueil', href: '/' },
            { label: 'Orienter une personne', href: '/orientation' },
            { label: 'Fiche d’orientation' },
          ]}
        />
        <div class="maillage-no-print orientation-fiche__outils">
          <p>Vérifiez la fiche, puis imprimez-la ou enregistrez-la en PDF pour la remettre à la personne.</p>
          <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
            <li>
              <Button type="button" icon="printer-line" hidden attrs={{ 'data-print': '' }}>
                Imprimer
              </Button>
            </li>
            <li>
              <ButtonLink kind="secondary" icon="arrow-left-line" href={m.changeHref}>
                Modifier le choix des lieux
              </ButtonLink>
            </li>
            <li>
              <ButtonLink kind="tertiary" href="/orientation">
                Nouvelle orientation
              </ButtonLink>
            </li>
          </ul>
          <p class="fr-text--sm" data-print-hint>
            Pour imprimer : menu de votre navigateur, « Imprimer » (ou Ctrl + P).
          </p>
        </div>
        {m.missing ? (
          <Alert type="warning" small>
            <p>
              {m.missing === 1 ? 'Un lieu choisi n’est plus' : `${m.missing} lieux choisis ne sont plus`} dans le registre : il
              {m.missing === 1 ? ' n’est' : 's ne sont'} pas sur la fiche.
            </p>
          </Alert>
        ) : null}
        <h1>Fiche d’orientation</h1>
        <p class="orientation-fiche__intro">
          Des lieux où l’on peut vous aider avec le numérique{m.needs.length ? ' pour :' : '.'}
        </p>
        {m.needs.length ? (
          <ul class="orientation-fiche__besoins">
            {m.needs.map((n) => (
              <li>{n}</li>
            ))}
          </ul>
        ) : null}
        <p class="orientation-fiche__date">Fiche préparée le {m.preparedOn}.</p>
        {m.lieux.map((lieu, i) => (
          <LieuSection lieu={lieu} index={i} count={m.lieux.length} />
        ))}
        {m.bring.length ? (
          <section class="orientation-fiche__apporter" aria-labelledby="fiche-apporter">
            <h2 id="fiche-apporter">Ce qu’il est utile d’apporter</h2>
            <ul>
              {m.bring.map((b) => (
                <li>{b}</li>
              ))}
            </ul>
            <p>En cas de doute, appelez le lieu avant de vous déplacer.</p>
          </section>
        ) : null}
        <p class="fr-text--sm orientation-fiche__source">
          Informations du registre national des lieux de médiation numérique, déclarées par les lieux. Les horaires peuvent
          changer, par exemple pendant les vacances : en cas de doute, appelez avant de vous déplacer.
        </p>
      </div>
    </Page>
  );
}
