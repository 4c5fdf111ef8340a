// "Proposer un lieu" (/lieux/proposer): a plain DSFR form following the national standard's
// fields, which works without JavaScript (POST, errors under each field and a summary at the
// top). propose.js only enhances it: address suggestions, a map with a draggable marker, and
// validation of each field when it is left, with the API's messages.
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import { Input } from '../../../web/components/form.tsx';
import type { FieldError } from '../../../lib/errors.ts';
import { enumerations, type EnumeratedField } from '../../lieux/lieux.schema.ts';
import { mapDataAttributes, type MapSettings } from '../../search/views/results-page.tsx';

export type ProposalForm = Record<string, string | string[]>;

export interface ProposerPageProps {
  ctx: PageContext;
  /** Null when nobody is signed in: the page says why and links to sign-in. */
  csrf: string | null;
  map: MapSettings;
  values?: ProposalForm;
  errors?: FieldError[];
  error?: string;
  /** The proposal was received (after the redirect). */
  sent?: boolean;
}

/** The id of a field's control, so the error summary and the client script can find it. */
export const controlId = (field: string) => `lieu-${field}`;

/** French labels of the fields on the form, also used by the error summary. */
export const fieldLabels: Record<string, string> = {
  nom: 'Nom du lieu',
  pivot: 'SIRET ou RNA de la structure',
  structure_parente: 'Structure parente (facultatif)',
  presentation_resume: 'Présentation courte (facultatif)',
  adresse: 'Adresse',
  complement_adresse: 'Complément d’adresse (facultatif)',
  code_postal: 'Code postal',
  commune: 'Commune',
  latitude: 'Latitude (facultatif)',
  longitude: 'Longitude (facultatif)',
  telephone: 'Téléphone (facultatif)',
  courriels: 'Adresse e-mail du lieu (facultatif)',
  site_web: 'Site web (facultatif)',
  prise_rdv: 'Lien de prise de rendez-vous (facultatif)',
  horaires: 'Horaires d’ouverture (facultatif)',
  services: 'Services proposés',
  publics_specifiquement_adresses: 'Publics spécifiquement accueillis',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  frais_a_charge: 'Frais à charge',
  modalites_acces: 'Modalités d’accès',
  modalites_accompagnement: 'Modalités d’accompagnement',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  typologie: 'Typologie (facultatif)',
  autres_formations_labels: 'Autres formations et labels (facultatif)',
  date_maj: 'Date de mise à jour',
};

/** The enumerated fields offered as checkboxes, values straight from the standard's schema. */
const checkboxFields: EnumeratedField[] = ['services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge', 'modalites_acces', 'modalites_accompagnement', 'dispositif_programmes_nationaux', 'formations_labels'];

const textOf = (values: ProposalForm | undefined, field: string) => {
  const v = values?.[field];
  return Array.isArray(v) ? v.join(' | ') : (v ?? '');
};

function Checkboxes(p: { field: EnumeratedField; values?: ProposalForm; error?: string }) {
  const id = controlId(p.field);
  const checked = ([] as string[]).concat(p.values?.[p.field] ?? []);
  return (
    <fieldset class={`fr-fieldset${p.error ? ' fr-fieldset--error' : ''}`} id={id} aria-labelledby={`${id}-legend ${id}-messages`} data-field={p.field}>
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${id}-legend`}>
        {fieldLabels[p.field]} (facultatif)
      </legend>
      {(enumerations[p.field] as readonly string[]).map((value, i) => (
        <div class="fr-fieldset__element">
          <div class="fr-checkbox-group fr-checkbox-group--sm">
            <input type="checkbox" id={`${id}-${i}`} name={p.field} value={value} checked={checked.includes(value)} />
            <label class="fr-label" for={`${id}-${i}`}>
              {value}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
        {p.error ? <p class="fr-message fr-message--error">{p.error}</p> : null}
      </div>
    </fieldset>
  );
}

export function ProposerPage(p: ProposerPageProps) {
  const errorOf = (field: string) => p.errors?.find((e) => e.field === field)?.message;
  const field = (name: string, extra: { hint?: string; type?: 'text' | 'tel' | 'url' | 'email'; required?: boolean; textarea?: boolean; maxLength?: number; autocomplete?: string; attrs?: Record<string, string>; inputmode?: string } = {}) => (
    <Input id={controlId(name)} name={name} label={fieldLabels[name] ?? name} value={textOf(p.values, name)} error={errorOf(name)} {...extra} attrs={{ 'data-field': name, ...(extra.attrs ?? {}) }} />
  );
  const title = p.errors?.length ? 'Erreur : proposer un lieu' : 'Proposer un lieu';
  return (
    <Page ctx={p.ctx} title={title} description="Proposez un lieu de médiation numérique qui manque au registre : l’équipe de modération le vérifie avant de le publier." scripts={p.csrf ? ['propose.js'] : []}>
      <div class="fr-container fr-mb-6w">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Proposer un lieu' }]} />
        <h1>Proposer un lieu</h1>
        <p>
          Un lieu où l’on peut être aidé avec le numérique manque dans Maillage ? Décrivez-le ici. L’équipe de modération vérifie chaque proposition avant de la publier ; vous êtes prévenu par e-mail de sa décision.
        </p>
        {p.sent ? (
          <Alert type="success" role="status" title="Proposition envoyée">
            <p>Merci ! L’équipe de modération va vérifier le lieu proposé avant de le publier. Vous recevrez un e-mail dès qu’elle aura été traitée.</p>
          </Alert>
        ) : null}
        {!p.csrf ? (
          <Alert type="info" title="Connectez-vous pour proposer un lieu">
            <p>
              Pour éviter les propositions abusives et pouvoir vous répondre, il faut un compte Maillage (gratuit) à l’adresse confirmée. <a href="/connexion">Se connecter</a> ou <a href="/inscription">créer un compte</a>.
            </p>
          </Alert>
        ) : (
          <>
            {p.error ? (
              <div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="erreurs" tabIndex={-1}>
                <h2 class="fr-alert__title">{p.error}</h2>
                {p.errors?.length ? (
                  <ul>
                    {p.errors.map((e) => (
                      <li>
                        <a href={`#${controlId(e.field)}`}>{fieldLabels[e.field] ? `${fieldLabels[e.field]} : ${e.message}` : e.message}</a>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
            <p class="fr-text--sm">Les champs sont ceux du standard national des lieux de médiation numérique. Sauf mention contraire, tous les champs sont obligatoires.</p>
            <form method="post" action="/lieux/proposer" id="proposer" novalidate data-validation-url="/api/v1/lieux/validation">
              <input type="hidden" name="_csrf" value={p.csrf} />
              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">Le lieu</legend>
                <div class="fr-fieldset__element">{field('nom', { required: true, maxLength: 200 })}</div>
                <div class="fr-fieldset__element">{field('pivot', { required: true, hint: 'Le SIRET (14 chiffres) ou le numéro RNA (W suivi de 9 chiffres) de la structure qui porte le lieu.', inputmode: 'numeric', maxLength: 20 })}</div>
                <div class="fr-fieldset__element">{field('typologie', { hint: 'Codes de la typologie du standard, séparés par des virgules (ex. EPN, BIB, MUNI, CS, TIERS_LIEUX).', maxLength: 200 })}</div>
                <div class="fr-fieldset__element">{field('structure_parente', { hint: 'Le réseau ou la collectivité dont dépend le lieu, s’il y en a un.', maxLength: 200 })}</div>
                <div class="fr-fieldset__element">{field('presentation_resume', { textarea: true, hint: 'En une ou deux phrases : ce que l’on peut y faire (280 caractères au plus).', maxLength: 400 })}</div>
              </fieldset>

              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">Adresse</legend>
                <div class="fr-fieldset__element maillage-combobox">
                  {field('adresse', { required: true, autocomplete: 'street-address', hint: 'Numéro et voie, ex. 12 rue du Commandant Rivière. Avec JavaScript, des adresses sont suggérées pendant la saisie.', maxLength: 300, attrs: { 'data-suggest-url': '/api/v1/adresses' } })}
                </div>
                <div class="fr-fieldset__element">{field('complement_adresse', { maxLength: 200 })}</div>
                <div class="fr-fieldset__element fr-fieldset__element--inline">{field('code_postal', { required: true, autocomplete: 'postal-code', inputmode: 'numeric', maxLength: 10 })}</div>
                <div class="fr-fieldset__element fr-fieldset__element--inline">{field('commune', { required: true, autocomplete: 'address-level2', maxLength: 100 })}</div>
                <div class="fr-fieldset__element">
                  <p class="fr-text--sm fr-mb-1w" id="position-aide">
                    Position du lieu : sans coordonnées, le lieu est placé au centre de sa commune. Avec JavaScript, choisir une adresse suggérée remplit la position, que vous pouvez corriger en déplaçant le repère sur la carte.
                  </p>
                </div>
                <div class="fr-fieldset__element fr-fieldset__element--inline">{field('latitude', { hint: 'En degrés, ex. 46.98955', inputmode: 'decimal', maxLength: 20 })}</div>
                <div class="fr-fieldset__element fr-fieldset__element--inline">{field('longitude', { hint: 'En degrés, ex. 3.15868', inputmode: 'decimal', maxLength: 20 })}</div>
                <div class="fr-fieldset__element">
                  <div id="proposer-carte" class="maillage-proposer-carte" hidden {...mapDataAttributes(p.map)}></div>
                </div>
              </fieldset>

              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">Contacts et horaires</legend>
                <div class="fr-fieldset__element">{field('telephone', { type: 'tel', autocomplete: 'tel', hint: 'Ex. 03 86 21 12 34', maxLength: 30 })}</div>
                <div class="fr-fieldset__element">{field('courriels', { type: 'email', hint: 'Ex. contact@mairie.fr ; plusieurs adresses séparées par « | ».', maxLength: 300 })}</div>
                <div class="fr-fieldset__element">{field('site_web', { type: 'url', hint: 'Ex. https://www.exemple.fr', maxLength: 300 })}</div>
                <div class="fr-fieldset__element">{field('prise_rdv', { type: 'url', maxLength: 300 })}</div>
                <div class="fr-fieldset__element">
                  {field('horaires', {
                    hint: 'Dans la syntaxe d’OpenStreetMap : jours en anglais abrégés (Mo, Tu, We, Th, Fr, Sa, Su), plages séparées par une virgule, groupes de jours par un point-virgule. Ex. « Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00 ».',
                    maxLength: 500,
                  })}
                </div>
              </fieldset>

              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">Services et accueil</legend>
                {checkboxFields.map((f) => (
                  <div class="fr-fieldset__element">
                    <Checkboxes field={f} values={p.values} error={errorOf(f)} />
                  </div>
                ))}
              </fieldset>
              <fieldset class="fr-fieldset">
                <legend class="fr-fieldset__legend">Autres labels</legend>
                <div class="fr-fieldset__element">{field('autres_formations_labels', { textarea: true, hint: 'Labels ou formations hors de la liste du standard, un par ligne.', maxLength: 500 })}</div>
              </fieldset>
              <Button>Envoyer la proposition</Button>
            </form>
          </>
        )}
        <p class="fr-mt-4w">
          <ButtonLink kind="tertiary" href="/">
            Retour à la recherche
          </ButtonLink>
        </p>
      </div>
    </Page>
  );
}
