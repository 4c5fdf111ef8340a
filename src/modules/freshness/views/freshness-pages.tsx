import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Button } from '../../../web/components/button.tsx';
import { dateInWords } from '../../lieux/views/lieu-words.ts';
import type { Freshness } from '../freshness.ts';
import type { Completeness } from '../completeness.ts';

// Freshness pages: the managers' list of their places (status, completeness, what to fill in,
// "Ces informations sont toujours à jour") and the page behind the e-mailed link.

/** "Mis à jour il y a 3 mois", the exact date in a <time>; the status in words, not by colour only. */
export function FreshnessMention({ freshness, showStatus = false }: { freshness: Freshness; showStatus?: boolean }) {
  return (
    <span class="maillage-fraicheur">
      {freshness.words} (<time datetime={freshness.date}>le {dateInWords(freshness.date)}</time>)
      {showStatus && freshness.status !== 'a_jour' ? (
        <>
          {' '}
          <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${freshness.status === 'ancienne' ? 'fr-badge--error' : 'fr-badge--warning'}`}>{freshness.label}</span>
        </>
      ) : null}
    </span>
  );
}

export interface ManagedPlace {
  id: string;
  nom: string;
  commune: string;
  freshness: Freshness;
  completeness: Completeness;
}

export function ManagerFreshnessPage(p: { ctx: PageContext; csrf: string; places: ManagedPlace[]; confirmed?: string; error?: string }) {
  return (
    <Page ctx={p.ctx} title="Fraîcheur et complétude de mes lieux" noindex>
      <div class="fr-container fr-my-6w">
        <h1>Fraîcheur et complétude de mes lieux</h1>
        {p.confirmed ? (
          <Alert type="success" role="status">
            <p>Merci : les informations de « {p.confirmed} » sont confirmées à jour aujourd’hui.</p>
          </Alert>
        ) : null}
        {p.error ? (
          <Alert type="error" role="alert">
            <p>{p.error}</p>
          </Alert>
        ) : null}
        <p>
          Un lieu est « à vérifier » 6 mois après sa dernière mise à jour, « ancien » après 12 mois. Si rien n’a changé, confirmez-le : la date de
          mise à jour du lieu devient celle d’aujourd’hui, sans modifier ses informations.
        </p>
        {p.places.length === 0 ? <p>Votre compte ne gère encore aucun lieu.</p> : null}
        {p.places.map((place) => (
          <section class="fr-mt-4w" aria-labelledby={`lieu-${place.id}`}>
            <h2 id={`lieu-${place.id}`} class="fr-h4">
              <a href={`/lieux/${place.id}`}>{place.nom}</a>, {place.commune}
            </h2>
            <p>
              <FreshnessMention freshness={place.freshness} showStatus />
            </p>
            <p>
              Complétude : <strong>{place.completeness.score} %</strong>
            </p>
            {place.completeness.missing.length ? (
              <>
                <p class="fr-mb-1w">À compléter en priorité :</p>
                <ul>
                  {place.completeness.missing.map((m) => (
                    <li>
                      {m.label} <span class="fr-text--xs">({m.fields.join(' ou ')})</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p>Toutes les informations utiles sont renseignées.</p>
            )}
            <p>
              <a class="fr-link fr-icon-edit-line fr-link--icon-left" href={`/compte/lieux/${place.id}/modifier`}>
                Modifier les informations de « {place.nom} »
              </a>
            </p>
            <form method="post" action={`/compte/fraicheur/${place.id}`}>
              <input type="hidden" name="_csrf" value={p.csrf} />
              <Button kind="secondary" icon="check-line">
                Ces informations sont toujours à jour
              </Button>
            </form>
          </section>
        ))}
      </div>
    </Page>
  );
}

export function ConfirmLinkPage(p: {
  ctx: PageContext;
  csrf?: string;
  jeton?: string;
  place?: { id: string; nom: string; commune: string; freshness: Freshness };
  error?: string;
  success?: boolean;
}) {
  const title = 'Confirmer que les informations sont à jour';
  return (
    <Page ctx={p.ctx} title={title} noindex>
      <div class="fr-container fr-my-6w">
        <div class="fr-grid-row fr-grid-row--center">
          <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
            <h1>{title}</h1>
            {p.error ? (
              <>
                <Alert type="error" role="alert">
                  <p>{p.error}</p>
                </Alert>
                <p class="fr-mt-2w">
                  <a href="/compte/fraicheur">Confirmer depuis mon espace</a>
                </p>
              </>
            ) : null}
            {p.success && p.place ? (
              <Alert type="success" role="status">
                <p>
                  Merci : les informations de « {p.place.nom} » sont confirmées à jour. <a href={`/lieux/${p.place.id}`}>Voir la fiche du lieu</a>
                </p>
              </Alert>
            ) : null}
            {!p.error && !p.success && p.place ? (
              <>
                <p>
                  Lieu « {p.place.nom} », {p.place.commune} : <FreshnessMention freshness={p.place.freshness} />.
                </p>
                <p>Si rien n’a changé, confirmez-le : seule la date de mise à jour du lieu change.</p>
                <form method="post" action="/fraicheur/confirmer">
                  <input type="hidden" name="_csrf" value={p.csrf} />
                  <input type="hidden" name="jeton" value={p.jeton} />
                  <Button icon="check-line">Ces informations sont toujours à jour</Button>
                </form>
                <p class="fr-mt-2w">
                  Des informations ont changé ? <a href="/compte/fraicheur">Connectez-vous pour les corriger</a>.
                </p>
              </>
            ) : null}
          </div>
        </div>
      </div>
    </Page>
  );
}
