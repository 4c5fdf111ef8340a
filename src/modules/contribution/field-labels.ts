// French labels of the standard's fields, for the edit form, its diff, the history and the
// import conflicts shown to managers. Stable: browser tests find the form controls by them.
import type { StandardField } from '../lieux/lieux.schema.ts';

export const fieldLabels: Record<StandardField, string> = {
  id: 'Identifiant',
  pivot: 'SIRET ou RNA de la structure (pivot)',
  nom: 'Nom du lieu',
  commune: 'Commune',
  code_postal: 'Code postal',
  code_insee: 'Code INSEE de la commune',
  adresse: 'Adresse (numéro et voie)',
  complement_adresse: 'Complément d’adresse',
  latitude: 'Latitude',
  longitude: 'Longitude',
  typologie: 'Typologie',
  telephone: 'Numéro de téléphone',
  courriels: 'Adresses e-mail',
  site_web: 'Sites web',
  horaires: 'Horaires d’ouverture',
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  source: 'Source (qui a renseigné la fiche)',
  itinerance: 'Itinérance',
  structure_parente: 'Structure parente',
  date_maj: 'Date de mise à jour',
  services: 'Services proposés',
  publics_specifiquement_adresses: 'Publics spécifiquement adressés',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  frais_a_charge: 'Frais à charge',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels (liste du standard)',
  autres_formations_labels: 'Autres formations et labels',
  modalites_acces: 'Modalités d’accès',
  modalites_accompagnement: 'Modalités d’accompagnement',
  fiche_acces_libre: 'Fiche acceslibre',
  prise_rdv: 'Prise de rendez-vous en ligne',
};

/** The label of a standard field (derived fields and unknown names are shown as they are). */
export const labelOf = (field: string): string => fieldLabels[field as StandardField] ?? field;
