import { Button } from '../../../web/components/button.tsx';
import { CheckboxGroup, Select, type Option } from '../../../web/components/form.tsx';
import { Checkbox } from '../../../web/components/form.tsx';
import { serviceShort } from '../../lieux/views/lieu-words.ts';
import { enumeratedFieldValues } from '../search.fields.ts';

// The search form: a plain GET form whose fields are the URL parameters, so every search
// is a link. JavaScript adds commune suggestions, "Autour de moi" and live updates.

export interface SearchFormValues {
  q: string;
  commune: string;
  lat?: number;
  lon?: number;
  rayon: number;
  services: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  gratuit: boolean;
  ouvert_maintenant: boolean;
  /** Priority neighbourhoods: '' (all), 'dans', 'proche' (in or near), or one QPV code (places in it). */
  qpv?: string;
}

export const RAYONS = [2, 5, 10, 20, 50] as const;
export const DEFAULT_RAYON = 10;

const publicsLabels: Record<string, string> = {
  Jeunes: 'Jeunes',
  Étudiants: 'Étudiants',
  'Familles et/ou enfants': 'Familles et enfants',
  Seniors: 'Seniors',
  Femmes: 'Femmes',
};

const priseEnChargeLabels: Record<string, string> = {
  Surdité: 'Surdité',
  'Handicaps moteurs': 'Handicap moteur',
  'Handicaps mentaux': 'Handicap mental',
  Illettrisme: 'Difficultés à lire ou à écrire',
  'Langues étrangères (anglais)': 'En anglais',
  'Langues étrangères (autres)': 'Dans d’autres langues',
  'Déficience visuelle': 'Déficience visuelle',
};

const options = (values: readonly string[], labels: Record<string, string>): Option[] =>
  values.map((value) => ({ value, label: labels[value] ?? value }));

function qpvOptions(current: string | undefined): Option[] {
  const list: Option[] = [
    { value: '', label: 'Tous les lieux' },
    { value: 'dans', label: 'Dans un quartier prioritaire' },
    { value: 'proche', label: 'Dans un quartier prioritaire ou à proximité' },
  ];
  if (current && current !== 'dans' && current !== 'proche') list.push({ value: current, label: `Dans le quartier ${current}` });
  return list;
}

/** The place field: address, commune or postal code, with the geolocation button. */
export function WhereField({ values, big }: { values: SearchFormValues; big?: boolean }) {
  return (
    <div class="fr-input-group">
      <label class="fr-label" for="recherche-q">
        Où cherchez-vous ?
        <span class="fr-hint-text">Adresse, commune ou code postal. Exemple : Lyon, 69003</span>
      </label>
      <div class={`maillage-combobox fr-search-bar${big ? ' fr-search-bar--lg' : ''}`} role="search">
        <input
          class="fr-input"
          id="recherche-q"
          name="q"
          type="search"
          value={values.q}
          autocomplete="address-level2"
          data-autocomplete="communes"
          maxLength={200}
        />
        <input type="hidden" name="commune" value={values.commune} />
        <Button class="fr-btn" icon="search-line">
          Rechercher
        </Button>
      </div>
      <p class="fr-mt-1w">
        <Button kind="tertiary" type="button" icon="focus-3-line" hidden attrs={{ 'data-geolocate': '', 'aria-describedby': 'geoloc-statut' }}>
          Autour de moi
        </Button>
        <span id="geoloc-statut" class="fr-text--sm" aria-live="polite"></span>
      </p>
    </div>
  );
}

export function SearchFilters({ values }: { values: SearchFormValues }) {
  return (
    <div class="maillage-filters">
      {values.lat !== undefined && values.lon !== undefined ? (
        <>
          <input type="hidden" name="lat" value={String(values.lat)} />
          <input type="hidden" name="lon" value={String(values.lon)} />
        </>
      ) : null}
      <Select
        id="filtre-rayon"
        name="rayon"
        label="Distance maximale"
        options={RAYONS.map((r) => ({ value: String(r), label: `${r} km` }))}
        value={String(values.rayon)}
      />
      <CheckboxGroup
        id="filtre-services"
        name="services"
        legend="Pour quoi ?"
        options={options(enumeratedFieldValues.services, serviceShort)}
        checked={values.services}
        small
      />
      <fieldset class="fr-fieldset" aria-labelledby="filtre-pratique-legend">
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="filtre-pratique-legend">
          En pratique
        </legend>
        <div class="fr-fieldset__element">
          <Checkbox id="filtre-gratuit" name="frais_a_charge" value="Gratuit" label="Gratuit" checked={values.gratuit} />
        </div>
        <div class="fr-fieldset__element">
          <Checkbox id="filtre-ouvert" name="ouvert_maintenant" value="oui" label="Ouvert maintenant" checked={values.ouvert_maintenant} />
        </div>
      </fieldset>
      <Select
        id="filtre-qpv"
        name="qpv"
        label="Quartiers prioritaires (QPV)"
        hint="Quartiers de la politique de la ville"
        options={qpvOptions(values.qpv)}
        value={values.qpv ?? ''}
      />
      <CheckboxGroup
        id="filtre-publics"
        name="publics_specifiquement_adresses"
        legend="Pour qui ?"
        options={options(enumeratedFieldValues.publics_specifiquement_adresses, publicsLabels)}
        checked={values.publics_specifiquement_adresses}
        small
      />
      <CheckboxGroup
        id="filtre-prise-en-charge"
        name="prise_en_charge_specifique"
        legend="Accompagnement adapté"
        options={options(enumeratedFieldValues.prise_en_charge_specifique, priseEnChargeLabels)}
        checked={values.prise_en_charge_specifique}
        small
      />
      <Button kind="secondary" icon="filter-line">
        Appliquer les filtres
      </Button>
    </div>
  );
}
