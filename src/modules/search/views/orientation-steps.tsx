import type { ComponentChildren } from 'preact';
import { Page, type PageContext } from '../../../web/layout/page.tsx';
import { Breadcrumb } from '../../../web/components/breadcrumb.tsx';
import { Alert } from '../../../web/components/alert.tsx';
import { Button, ButtonLink } from '../../../web/components/button.tsx';
import { Select } from '../../../web/components/form.tsx';
import { serviceInWords, serviceShort } from '../../lieux/views/lieu-words.ts';
import { enumeratedFieldValues } from '../search.fields.ts';
import { dayInWords } from '../orientation.hours.ts';
import {
  CRENEAUX,
  HEURES,
  MAX_LIEUX,
  STEP_PATHS,
  comingDates,
  dayOf,
  hiddenPairs,
  isoDay,
  stepHref,
  type OrientationAnswers,
  type Step,
  type StepError,
} from '../orientation.params.ts';
import { RAYONS } from './search-form.tsx';

// The orientation flow for helpers (social workers, aidants, librarians): four short steps,
// each a plain GET form carrying the other answers as hidden fields, then a printable sheet.

export const STEP_TITLES = ['Où habite la personne ?', 'De quoi a-t-elle besoin ?', 'Quand et à quelles conditions ?', 'Les lieux proposés'] as const;

export const priseEnChargeChoices: Record<string, string> = {
  'Handicaps moteurs': 'Handicap moteur, mobilité réduite (PMR)',
  'Déficience visuelle': 'Personne aveugle ou malvoyante',
  Surdité: 'Personne sourde ou malentendante',
  'Handicaps mentaux': 'Handicap mental',
  Illettrisme: 'Difficultés à lire ou à écrire',
  'Langues étrangères (anglais)': 'Parle anglais',
  'Langues étrangères (autres)': 'Parle une autre langue étrangère',
};

export const creneauLabels: Record<string, string> = {
  'week-end': 'Ouvert le week-end (samedi ou dimanche)',
  soir: 'Ouvert en soirée (après 18 h)',
};

/** "9 h", "14 h" */
export const heureInWords = (heure: string) => `${Number(heure.slice(0, 2))} h${heure.endsWith(':00') ? '' : ` ${heure.slice(3)}`}`;

export function dayChoiceLabel(date: Date, now: Date): string {
  const offset = Math.round((date.getTime() - new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime()) / 86_400_000);
  const words = dayInWords(date);
  if (offset === 0) return `Aujourd’hui, ${words.toLowerCase()}`;
  if (offset === 1) return `Demain, ${words.toLowerCase()}`;
  return words;
}

export interface ResultCard {
  id: string;
  nom: string;
  address: string;
  distance?: string;
  status?: string;
  open?: boolean;
  services: string[];
  gratuit: boolean;
}

export interface StepViewModel {
  ctx: PageContext;
  step: 1 | 2 | 3 | 4;
  answers: OrientationAnswers;
  /** Problems with this step's answers (shown at the fields and in a summary). */
  errors: StepError[];
  now: Date;
  /** "Villeurbanne (69100)", once step 1 is answered. */
  originLabel?: string;
  results?: {
    items: ResultCard[];
    total: number;
    exact: boolean;
    /** The same search (without the hours wishes) on the results page with its map. */
    searchHref: string;
    hoursWishes: boolean;
  };
}

const errorOf = (errors: StepError[], field: string) => errors.find((e) => e.field === field)?.message;

function Hidden({ pairs }: { pairs: [string, string][] }) {
  return (
    <>
      {pairs.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/** DSFR stepper: where the person is in the flow, and what comes next. */
function Stepper({ step }: { step: number }) {
  return (
    <div class="fr-stepper">
      <h2 class="fr-stepper__title">
        {STEP_TITLES[step - 1]}
        <span class="fr-stepper__state">
          Étape {step} sur {STEP_TITLES.length}
        </span>
      </h2>
      <div class="fr-stepper__steps" data-fr-current-step={String(step)} data-fr-steps={String(STEP_TITLES.length)}></div>
      <p class="fr-stepper__details">
        <span class="fr-text--bold">Étape suivante :</span> {step < STEP_TITLES.length ? STEP_TITLES[step] : 'la fiche d’orientation à imprimer'}
      </p>
    </div>
  );
}

/** The errors of the step, each linking to its field, announced first. */
function ErrorSummary({ errors, anchors }: { errors: StepError[]; anchors: Record<string, string> }) {
  if (!errors.length) return null;
  return (
    <Alert type="error" title={errors.length > 1 ? `${errors.length} réponses sont à corriger` : 'Une réponse est à corriger'} role="alert">
      <ul>
        {errors.map((e) => (
          <li>
            {anchors[e.field] ? <a href={`#${anchors[e.field]}`}>{e.message}</a> : e.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** What was answered so far, each with a link to change it. */
function Recap({ m }: { m: StepViewModel }) {
  const a = m.answers;
  const rows: { step: Step; label: string; value: string }[] = [];
  if (m.step > 1 && m.originLabel) rows.push({ step: 1, label: 'Où', value: `${m.originLabel}, jusqu’à ${a.rayon} km` });
  if (m.step > 2) rows.push({ step: 2, label: 'Besoin', value: a.services.length ? a.services.map((s) => serviceShort[s] ?? s).join(', ') : 'Tous les besoins' });
  if (m.step > 3) {
    const conditions = [
      ...(a.gratuit ? ['Gratuit'] : []),
      ...a.prise_en_charge_specifique.map((p) => priseEnChargeChoices[p] ?? p),
      ...a.quand.map((c) => creneauLabels[c]!),
      ...(a.jour ? [`Ouvert ${dayInWords(dayOf(a.jour)!).toLowerCase()}${a.heure ? ` à ${heureInWords(a.heure)}` : ''}`] : []),
    ];
    rows.push({ step: 3, label: 'Conditions', value: conditions.length ? conditions.join(', ') : 'Aucune' });
  }
  if (!rows.length) return null;
  return (
    <div class="orientation-recap fr-mb-4w">
      <h2 class="fr-h6 fr-mb-1w">Vos réponses</h2>
      <ul>
        {rows.map((r) => (
          <li>
            <strong>{r.label} :</strong> {r.value}{' '}
            <a class="fr-link fr-link--sm" href={stepHref(r.step, a)}>
              Modifier<span class="fr-sr-only"> : {r.label.toLowerCase()}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function StepForm(p: { m: StepViewModel; next: Step; submit?: string; children: ComponentChildren }) {
  const { m } = p;
  return (
    <form method="get" action={STEP_PATHS[p.next]} class="orientation-form" data-orientation-step={String(m.step)} novalidate>
      <Hidden pairs={hiddenPairs(m.answers, m.step)} />
      {p.children}
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left orientation-actions">
        {p.submit ? (
          <li>
            <Button icon="arrow-right-line">{p.submit}</Button>
          </li>
        ) : null}
        {m.step > 1 ? (
          <li>
            <ButtonLink kind="secondary" icon="arrow-left-line" href={stepHref((m.step - 1) as Step, m.answers)}>
              Étape précédente
            </ButtonLink>
          </li>
        ) : null}
      </ul>
    </form>
  );
}

function WhereStep({ m }: { m: StepViewModel }) {
  const error = errorOf(m.errors, 'q') ?? errorOf(m.errors, 'commune');
  return (
    <StepForm m={m} next={2} submit="Étape suivante">
      <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for="orientation-q">
          Adresse, commune ou code postal de la personne
          <span class="fr-hint-text">Exemples : Villeurbanne ; 69100 ; 12 rue de la République 69002 Lyon</span>
        </label>
        <div class="maillage-combobox">
          <input
            class={`fr-input${error ? ' fr-input--error' : ''}`}
            id="orientation-q"
            name="q"
            type="text"
            value={m.answers.q}
            autocomplete="address-level2"
            data-autocomplete="communes"
            maxLength={200}
            aria-describedby="orientation-q-messages"
          />
        </div>
        <input type="hidden" name="commune" value={m.answers.commune} />
        <div class="fr-messages-group" id="orientation-q-messages" aria-live="polite">
          {error ? <p class="fr-message fr-message--error">{error}</p> : null}
        </div>
      </div>
      <Select
        id="orientation-rayon"
        name="rayon"
        label="Distance maximale"
        hint="Depuis le centre de la commune."
        options={RAYONS.map((r) => ({ value: String(r), label: `${r} km` }))}
        value={String(m.answers.rayon)}
      />
    </StepForm>
  );
}

function CheckboxFieldset(p: {
  id: string;
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string; hint?: string }[];
  checked: string[];
  error?: string;
}) {
  const messages = `${p.id}-messages`;
  return (
    <fieldset
      class={`fr-fieldset${p.error ? ' fr-fieldset--error' : ''}`}
      id={p.id}
      aria-labelledby={`${p.id}-legend ${messages}`}
    >
      <legend class="fr-fieldset__legend" id={`${p.id}-legend`}>
        {p.legend}
        {p.hint ? <span class="fr-hint-text">{p.hint}</span> : null}
      </legend>
      {p.options.map((o, i) => (
        <div class="fr-fieldset__element">
          <div class="fr-checkbox-group">
            <input type="checkbox" id={`${p.id}-${i}`} name={p.name} value={o.value} checked={p.checked.includes(o.value)} />
            <label class="fr-label" for={`${p.id}-${i}`}>
              {o.label}
              {o.hint ? <span class="fr-hint-text">{o.hint}</span> : null}
            </label>
          </div>
        </div>
      ))}
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {p.error ? <p class="fr-message fr-message--error">{p.error}</p> : null}
      </div>
    </fieldset>
  );
}

function NeedStep({ m }: { m: StepViewModel }) {
  return (
    <StepForm m={m} next={3} submit="Étape suivante">
      <CheckboxFieldset
        id="orientation-services"
        name="services"
        legend="De quoi la personne a-t-elle besoin ?"
        hint="Plusieurs choix possibles : les lieux proposés offrent au moins un des besoins cochés. Sans choix, tous les lieux sont proposés."
        options={enumeratedFieldValues.services.map((s) => ({ value: s, label: serviceShort[s] ?? s, hint: serviceInWords(s) }))}
        checked={m.answers.services}
        error={errorOf(m.errors, 'services')}
      />
    </StepForm>
  );
}

function WhenStep({ m }: { m: StepViewModel }) {
  const days = comingDates(m.now);
  const jourError = errorOf(m.errors, 'jour');
  const heureError = errorOf(m.errors, 'heure');
  return (
    <StepForm m={m} next={4} submit="Voir les lieux">
      <CheckboxFieldset
        id="orientation-conditions"
        name="frais_a_charge"
        legend="Coût"
        options={[{ value: 'Gratuit', label: 'Gratuit', hint: 'Seulement les lieux qui se déclarent gratuits.' }]}
        checked={m.answers.gratuit ? ['Gratuit'] : []}
        error={errorOf(m.errors, 'frais_a_charge')}
      />
      <CheckboxFieldset
        id="orientation-accompagnement"
        name="prise_en_charge_specifique"
        legend="Accueil adapté à la personne"
        hint="Les lieux proposés déclarent au moins un des accueils cochés."
        options={enumeratedFieldValues.prise_en_charge_specifique.map((p) => ({ value: p, label: priseEnChargeChoices[p] ?? p }))}
        checked={m.answers.prise_en_charge_specifique}
        error={errorOf(m.errors, 'prise_en_charge_specifique')}
      />
      <CheckboxFieldset
        id="orientation-quand"
        name="quand"
        legend="Disponibilités de la personne"
        hint="Selon les horaires déclarés pour les 7 prochains jours ; les lieux sans horaires connus ne sont alors pas proposés."
        options={CRENEAUX.map((c) => ({ value: c, label: creneauLabels[c]! }))}
        checked={m.answers.quand}
        error={errorOf(m.errors, 'quand')}
      />
      <fieldset
        class={`fr-fieldset${jourError ? ' fr-fieldset--error' : ''}`}
        id="orientation-jour"
        aria-labelledby="orientation-jour-legend orientation-jour-messages"
      >
        <legend class="fr-fieldset__legend" id="orientation-jour-legend">
          Un jour précis ?
          <span class="fr-hint-text">Les lieux ouverts ce jour-là, à l’heure choisie ci-dessous s’il y en a une.</span>
        </legend>
        {[{ value: '', label: 'Peu importe' }, ...days.map((d) => ({ value: isoDay(d), label: dayChoiceLabel(d, m.now) }))].map((o, i) => (
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input type="radio" id={`orientation-jour-${i}`} name="jour" value={o.value} checked={m.answers.jour === o.value} />
              <label class="fr-label" for={`orientation-jour-${i}`}>
                {o.label}
              </label>
            </div>
          </div>
        ))}
        <div class="fr-messages-group" id="orientation-jour-messages" aria-live="polite">
          {jourError ? <p class="fr-message fr-message--error">{jourError}</p> : null}
        </div>
      </fieldset>
      <div class={`fr-select-group${heureError ? ' fr-select-group--error' : ''}`}>
        <label class="fr-label" for="orientation-heure">
          À quelle heure ce jour-là ?
          <span class="fr-hint-text">Facultatif : le lieu doit alors être ouvert à cette heure précise.</span>
        </label>
        <select class={`fr-select${heureError ? ' fr-select--error' : ''}`} id="orientation-heure" name="heure" aria-describedby="orientation-heure-messages">
          <option value="">Peu importe</option>
          {HEURES.map((h) => (
            <option value={h} selected={m.answers.heure === h}>
              {heureInWords(h)}
            </option>
          ))}
        </select>
        <div class="fr-messages-group" id="orientation-heure-messages" aria-live="polite">
          {heureError ? <p class="fr-message fr-message--error">{heureError}</p> : null}
        </div>
      </div>
    </StepForm>
  );
}

function countLabel(total: number, exact: boolean): string {
  if (total === 0) return 'Aucun lieu ne correspond';
  const n = total.toLocaleString('fr-FR');
  return `${exact ? '' : 'Au moins '}${n} lieu${total > 1 ? 'x' : ''} correspond${total > 1 ? 'ent' : ''}`;
}

function PlacesStep({ m }: { m: StepViewModel }) {
  const r = m.results!;
  const error = errorOf(m.errors, 'lieux');
  const widen = m.answers.rayon < 50 ? stepHref(4, { ...m.answers, rayon: 50 }) : undefined;
  return (
    <StepForm m={m} next={5} submit={r.total ? 'Préparer la fiche d’orientation' : undefined}>
      <p class="fr-h5" data-count>
        {countLabel(r.total, r.exact)} à moins de {m.answers.rayon} km de {m.originLabel}
      </p>
      {r.total === 0 ? (
        <Alert type="info" title="Aucun lieu ne correspond à toutes les réponses">
          <ul>
            {widen ? (
              <li>
                <a href={widen}>Chercher jusqu’à 50 km</a>
              </li>
            ) : null}
            <li>
              <a href={stepHref(3, m.answers)}>Assouplir les conditions</a>
            </li>
            <li>
              <a href={stepHref(2, m.answers)}>Changer de besoin</a>
            </li>
          </ul>
        </Alert>
      ) : (
        <fieldset
          class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
          id="orientation-lieux"
          aria-labelledby="orientation-lieux-legend orientation-lieux-messages"
        >
          <legend class="fr-fieldset__legend" id="orientation-lieux-legend">
            Choisissez de 1 à {MAX_LIEUX} lieux pour la fiche d’orientation
            <span class="fr-hint-text">
              {r.items.length < r.total ? `Les ${r.items.length} plus proches, ` : 'Du plus proche '}
              {r.items.length < r.total ? 'du plus proche au plus lointain.' : 'au plus lointain.'}
            </span>
          </legend>
          <ol class="orientation-results">
            {r.items.map((item, i) => (
              <li class="fr-fieldset__element">
                <div class="fr-checkbox-group orientation-result">
                  <input type="checkbox" id={`orientation-lieu-${i}`} name="lieux" value={item.id} checked={m.answers.lieux.includes(item.id)} />
                  <label class="fr-label" for={`orientation-lieu-${i}`}>
                    <span class="orientation-result__nom">{item.nom}</span>
                    <span class="fr-hint-text">
                      {item.address}
                      {item.distance ? ` · ${item.distance}` : ''}
                    </span>
                    <span class="fr-hint-text">
                      {[item.gratuit ? 'Gratuit' : undefined, item.status, item.services.join(', ')].filter(Boolean).join(' · ')}
                    </span>
                  </label>
                </div>
                <p class="fr-text--sm fr-mb-0 orientation-result__link">
                  <a href={`/lieux/${item.id}`}>
                    Voir la page du lieu<span class="fr-sr-only"> {item.nom}</span>
                  </a>
                </p>
              </li>
            ))}
          </ol>
          <div class="fr-messages-group" id="orientation-lieux-messages" aria-live="polite">
            {error ? <p class="fr-message fr-message--error">{error}</p> : null}
          </div>
          <p class="fr-text--sm" id="orientation-selection" aria-live="polite"></p>
        </fieldset>
      )}
      <p class="fr-text--sm">
        <a href={r.searchHref}>
          Voir ces lieux sur la carte{r.hoursWishes ? ' (sans les conditions d’horaires)' : ''}
        </a>
      </p>
    </StepForm>
  );
}

export function OrientationStepPage({ m }: { m: StepViewModel }) {
  const title = `${STEP_TITLES[m.step - 1]} - Orienter une personne`;
  return (
    <Page
      ctx={m.ctx}
      title={m.errors.length ? `Erreur : ${title}` : title}
      description="Trouvez en quatre questions les lieux où orienter une personne pour être aidée avec le numérique, et imprimez-lui une fiche."
      styles={['orientation.css']}
      scripts={['orientation.js']}
      noindex={m.step > 1}
    >
      <div class="fr-container fr-mb-7w orientation">
        <Breadcrumb items={[{ label: 'Accueil', href: '/' }, { label: 'Orienter une personne' }]} />
        <h1>Orienter une personne vers un lieu</h1>
        {m.step === 1 ? (
          <p class="fr-text--lead">
            Vous accompagnez quelqu’un (travailleur social, aidant, bibliothécaire…) : en quatre questions, trouvez les lieux qui lui
            conviennent et imprimez-lui une fiche avec les adresses, les horaires et les contacts.
          </p>
        ) : null}
        <Stepper step={m.step} />
        <ErrorSummary
          errors={m.errors}
          anchors={{
            q: 'orientation-q',
            commune: 'orientation-q',
            rayon: 'orientation-rayon',
            services: 'orientation-services',
            frais_a_charge: 'orientation-conditions',
            prise_en_charge_specifique: 'orientation-accompagnement',
            quand: 'orientation-quand',
            jour: 'orientation-jour',
            heure: 'orientation-heure',
            lieux: 'orientation-lieux',
          }}
        />
        <Recap m={m} />
        {m.step === 1 ? <WhereStep m={m} /> : m.step === 2 ? <NeedStep m={m} /> : m.step === 3 ? <WhenStep m={m} /> : <PlacesStep m={m} />}
      </div>
    </Page>
  );
}
