import type { Lieu } from '../lieux.schema.ts';
import { qpvSentence, type QpvItem } from '../../qpv/qpv.schema.ts';
import type { HorairesSummary } from '../../../lib/opening-hours.ts';
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Badge } from '../../../web/components/badge.tsx';
import { ButtonLink, Button } from '../../../web/components/button.tsx';
import { PostalAddress } from '../../../web/components/postal-address.tsx';
import { ReportFormView, type ReportFormState } from '../../reports/views/report-form.tsx';
import { FreshnessMention } from '../../freshness/views/freshness-pages.tsx';
import type { Freshness } from '../../freshness/freshness.ts';
import {
  accesInWords,
  accompagnementInWords,
  dateInWords,
  fraisInWords,
  listInWords,
  phoneForDisplay,
  priseEnChargeInWords,
  publicInWords,
  serviceInWords,
} from './lieu-words.ts';

// The place page, written for a resident: can I go, when, how, for what, is it free.

export interface LieuPageProps {
  ctx: PageContext;
  lieu: Lieu;
  hours: HorairesSummary | null;
  /** Absolute URL of this page, for the share link. */
  pageUrl: string;
  report: ReportFormState;
  /** Index of today in the week (0 = lundi), to highlight it. */
  todayIndex: number;
  /** Priority neighbourhoods the place lies in or near (computed by the qpv module). */
  qpv?: QpvItem[];
  /** "Mis à jour il y a 3 mois" (freshness module); absent: the plain date. */
  freshness?: Freshness;
  /** The edit page, when the signed-in account may update this place. */
  editHref?: string;
}

function Hours({ lieu, hours, todayIndex }: { lieu: Lieu; hours: HorairesSummary | null; todayIndex: number }) {
  if (!lieu.horaires) {
    return <p>Les horaires ne sont pas connus : appelez ou écrivez au lieu avant de vous déplacer.</p>;
  }
  if (!hours) {
    return <p>Horaires communiqués par le lieu : {lieu.horaires}</p>;
  }
  return (
    <>
      <p class={hours.open ? 'maillage-status--open' : 'maillage-status--closed'}>{hours.status}</p>
      <table class="maillage-hours">
        <caption class="fr-sr-only">Horaires de la semaine</caption>
        <tbody>
          {hours.days.map((d, i) => (
            <tr class={i === todayIndex ? 'maillage-today' : undefined}>
              <th scope="row">
                {d.jour[0]!.toUpperCase() + d.jour.slice(1)}
                {i === todayIndex ? <span class="fr-sr-only"> (aujourd’hui)</span> : null}
              </th>
              <td>{d.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function LieuPage({ ctx, lieu, hours, pageUrl, report, todayIndex, qpv = [], freshness, editHref }: LieuPageProps) {
  const hasPosition = lieu.latitude !== null && lieu.longitude !== null;
  const addressLine = `${lieu.adresse}, ${lieu.code_postal} ${lieu.commune}`;
  const osmDirections = hasPosition
    ? `https://www.openstreetmap.org/directions?route=%3B${lieu.latitude}%2C${lieu.longitude}`
    : `https://www.openstreetmap.org/search?query=${encodeURIComponent(addressLine)}`;
  const free = lieu.frais_a_charge;
  const publics = lieu.publics_specifiquement_adresses.map(publicInWords);
  const supports = lieu.prise_en_charge_specifique.map(priseEnChargeInWords);
  const programmes = [...lieu.dispositif_programmes_nationaux, ...lieu.formations_labels];
  return (
    <Page ctx={ctx} title={`${lieu.nom}, ${lieu.commune}`} description={lieu.presentation_resume ?? `Lieu d’aide au numérique à ${lieu.commune}`}>
      <div class="fr-container fr-mb-7w">
        <Breadcrumb
          items={[
            { label: 'Accueil', href: '/' },
            { label: `Lieux à ${lieu.commune}`, href: `/recherche?q=${encodeURIComponent(lieu.code_postal)}` },
            { label: lieu.nom },
          ]}
        />
        <h1>{lieu.nom}</h1>
        {editHref ? (
          <p class="maillage-no-print">
            <a class="fr-link fr-icon-edit-line fr-link--icon-left" href={editHref}>
              Modifier les informations de ce lieu
            </a>
          </p>
        ) : null}
        {free.includes('Gratuit') ? <Badge label="Gratuit" type="success" noIcon /> : null}
        {lieu.itinerance.includes('Itinérant') ? <Badge label="Itinérant" type="info" noIcon /> : null}
        {lieu.presentation_resume ? <p class="fr-text--lead fr-mt-2w">{lieu.presentation_resume}</p> : null}

        <div class="fr-grid-row fr-grid-row--gutters fr-mt-2w">
          <div class="fr-col-12 fr-col-md-7">
            <h2>Horaires</h2>
            <Hours lieu={lieu} hours={hours} todayIndex={todayIndex} />

            <h2>Ce que vous pouvez y faire</h2>
            {lieu.services.length ? (
              <ul>
                {lieu.services.map((s) => (
                  <li>{serviceInWords(s)}</li>
                ))}
              </ul>
            ) : (
              <p>Les services proposés ne sont pas précisés : contactez le lieu.</p>
            )}
            {lieu.modalites_accompagnement.length ? (
              <>
                <h3 class="fr-h6">Comment on vous aide</h3>
                <ul>
                  {lieu.modalites_accompagnement.map((m) => (
                    <li>{accompagnementInWords(m)}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {publics.length || supports.length ? (
              <>
                <h3 class="fr-h6">Pour qui</h3>
                {publics.length ? <p>Ce lieu accueille en particulier {listInWords(publics)}.</p> : null}
                {supports.length ? <p>Accompagnement adapté pour les {listInWords(supports)}.</p> : null}
              </>
            ) : null}
            {lieu.presentation_detail ? (
              <>
                <h3 class="fr-h6">En savoir plus</h3>
                <p>{lieu.presentation_detail}</p>
              </>
            ) : null}
            {programmes.length ? <p class="fr-text--sm">Dispositifs et labels : {programmes.join(', ')}.</p> : null}
          </div>

          <div class="fr-col-12 fr-col-md-5">
            <h2>Y aller</h2>
            <PostalAddress lieu={lieu} class="fr-mb-2w" />
            {qpv.length ? (
              <ul class="fr-text--sm maillage-lieu-qpv">
                {qpv.map((q) => (
                  <li>
                    <a href={`/observatoire/qpv/${q.code}`}>{qpvSentence(q)}</a>
                  </li>
                ))}
              </ul>
            ) : null}
            {lieu.position_approximate ? (
              <p class="fr-text--sm">La position de ce lieu sur la carte est approximative (centre de la commune).</p>
            ) : null}
            <ul class="maillage-meta">
              {hasPosition ? (
                <li>
                  <a class="fr-link fr-icon-map-pin-2-line fr-link--icon-left" href={`geo:${lieu.latitude},${lieu.longitude}`}>
                    Ouvrir dans mon application de cartes
                  </a>
                </li>
              ) : null}
              <li>
                <a class="fr-link fr-icon-road-map-line fr-link--icon-left" href={osmDirections}>
                  Calculer l’itinéraire sur OpenStreetMap
                </a>
              </li>
              {lieu.fiche_acces_libre ? (
                <li>
                  <a class="fr-link fr-icon-wheelchair-line fr-link--icon-left" href={lieu.fiche_acces_libre}>
                    Accessibilité du lieu (acceslibre)
                  </a>
                </li>
              ) : null}
            </ul>

            <h2>Contact et accès</h2>
            {lieu.modalites_acces.length ? (
              <ul>
                {lieu.modalites_acces.map((m) => (
                  <li>{accesInWords(m)}</li>
                ))}
              </ul>
            ) : null}
            {free.length ? <p>Tarif : {free.map(fraisInWords).join(' ; ')}</p> : null}
            {lieu.prise_rdv ? (
              <p>
                <ButtonLink href={lieu.prise_rdv} icon="calendar-line">
                  Prendre rendez-vous en ligne
                </ButtonLink>
              </p>
            ) : null}
            <ul class="maillage-meta">
              {lieu.telephone ? (
                <li>
                  <a class="fr-link fr-icon-phone-line fr-link--icon-left" href={`tel:${lieu.telephone}`}>
                    {phoneForDisplay(lieu.telephone)}
                  </a>
                </li>
              ) : null}
              {lieu.courriels.map((c) => (
                <li>
                  <a class="fr-link fr-icon-mail-line fr-link--icon-left" href={`mailto:${c}`}>
                    {c}
                  </a>
                </li>
              ))}
              {lieu.site_web.map((w) => (
                <li>
                  <a class="fr-link fr-icon-external-link-line fr-link--icon-left" href={w}>
                    {w.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '')}
                  </a>
                </li>
              ))}
            </ul>

            <div class="maillage-no-print">
              <h2 class="fr-h6">Partager cette fiche</h2>
              <p class="fr-text--sm">
                Lien de la fiche : <a href={pageUrl}>{pageUrl}</a>
              </p>
              <ul class="fr-btns-group fr-btns-group--sm fr-btns-group--inline fr-btns-group--icon-left">
                <li>
                  <ButtonLink
                    kind="secondary"
                    icon="mail-line"
                    href={`mailto:?subject=${encodeURIComponent(lieu.nom)}&body=${encodeURIComponent(`${lieu.nom}, ${addressLine}\n${pageUrl}`)}`}
                  >
                    Envoyer par courriel
                  </ButtonLink>
                </li>
                <li>
                  <Button kind="secondary" type="button" icon="share-line" hidden attrs={{ 'data-share': '' }}>
                    Partager
                  </Button>
                </li>
                <li>
                  <Button kind="secondary" type="button" icon="printer-line" hidden attrs={{ 'data-print': '' }}>
                    Imprimer
                  </Button>
                </li>
              </ul>
              <p id="partage-statut" class="fr-text--sm" aria-live="polite"></p>
            </div>
          </div>
        </div>

        <p class="fr-text--sm fr-mt-4w">
          {lieu.source ? `Source : ${lieu.source}. ` : ''}
          {freshness ? (
            <>
              <FreshnessMention freshness={freshness} />.
            </>
          ) : (
            <>Informations mises à jour le {dateInWords(lieu.date_maj)}.</>
          )}
        </p>
        <ReportFormView lieuId={lieu.id} form={report} />
        <p class="fr-mt-2w maillage-no-print">
          <a class="fr-link fr-icon-user-line fr-link--icon-left" href={`/lieux/${lieu.id}/revendiquer`}>
            Je gère ce lieu
          </a>
          <span class="fr-text--sm"> : tenir à jour ses informations avec un compte Maillage.</span>
        </p>
      </div>
    </Page>
  );
}
