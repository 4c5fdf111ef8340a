// Standard v0.1.x → v1: renamed and split fields, `;` multi-value separator, 15 old services
// condensed into the 9 new ones. The table is documented in docs/imports.md; a legacy value
// that is not in it is passed through unchanged so validation names it in the error report.
import { normalizeText } from '../../lib/text.ts';
import { addValues, idOf, setField, type RawLieu, type StandardField } from './imports.fields.ts';

/** v0 fields that kept their name in v1. */
const unchangedFields: StandardField[] = [
  'id', 'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'latitude',
  'longitude', 'typologie', 'telephone', 'site_web', 'horaires', 'presentation_resume', 'presentation_detail',
  'source', 'structure_parente', 'date_maj', 'prise_rdv',
];

/** Headers that only v0 files have: their presence identifies the legacy format. */
export const legacyOnlyFields = ['courriel', 'publics_accueillis', 'conditions_acces', 'labels_nationaux', 'labels_autres', 'accessibilite', 'cle_ban'];

type Target = [StandardField, string];

export const legacyServices: Record<string, string> = {
  'Devenir autonome dans les démarches administratives': 'Aide aux démarches administratives',
  'Réaliser des démarches administratives avec un accompagnement': 'Aide aux démarches administratives',
  'Accompagner les démarches de santé': 'Aide aux démarches administratives',
  'Prendre en main un smartphone ou une tablette': 'Maîtrise des outils numériques du quotidien',
  'Prendre en main un ordinateur': 'Maîtrise des outils numériques du quotidien',
  'Utiliser le numérique au quotidien': 'Maîtrise des outils numériques du quotidien',
  'Approfondir ma culture numérique': 'Compréhension du monde numérique',
  'Promouvoir la citoyenneté numérique': 'Compréhension du monde numérique',
  'Favoriser mon insertion professionnelle': 'Insertion professionnelle via le numérique',
  'Créer et développer mon entreprise': 'Insertion professionnelle via le numérique',
  'Accéder à une connexion internet': 'Accès internet et matériel informatique',
  'Accéder à du matériel': 'Accès internet et matériel informatique',
  "S'équiper en matériel informatique": 'Acquisition de matériel informatique à prix solidaire',
  'Créer avec le numérique': 'Loisirs et créations numériques',
  "Soutenir la parentalité et l'éducation avec le numérique": 'Parentalité et éducation avec le numérique',
};

/** publics_accueillis values start with these words (v0 files often carry long explanations). */
export const legacyPublics: [string, Target | null][] = [
  ['Seniors', ['publics_specifiquement_adresses', 'Seniors']],
  ['Familles/enfants', ['publics_specifiquement_adresses', 'Familles et/ou enfants']],
  ['Adultes', null],
  ['Jeunes', ['publics_specifiquement_adresses', 'Jeunes']],
  ['Uniquement femmes', ['publics_specifiquement_adresses', 'Femmes']],
  ['Public langues étrangères', ['prise_en_charge_specifique', 'Langues étrangères (autres)']],
  ['Déficience visuelle', ['prise_en_charge_specifique', 'Déficience visuelle']],
  ['Surdité', ['prise_en_charge_specifique', 'Surdité']],
  ['Handicaps psychiques', ['prise_en_charge_specifique', 'Handicaps mentaux']],
  ['Handicaps mentaux', ['prise_en_charge_specifique', 'Handicaps mentaux']],
  ['Handicaps moteurs', ['prise_en_charge_specifique', 'Handicaps moteurs']],
  ["Personnes en situation d'illettrisme", ['prise_en_charge_specifique', 'Illettrisme']],
];

export const legacyConditionsAcces: Record<string, string> = {
  Gratuit: 'Gratuit',
  'Gratuit sous condition': 'Gratuit sous condition',
  Payant: 'Payant',
  Adhésion: 'Payant',
  'Accepte le Pass numérique': 'Gratuit sous condition',
};

export const legacyLabelsNationaux: Record<string, Target> = {
  'France Services': ['dispositif_programmes_nationaux', 'France Services'],
  CNFS: ['dispositif_programmes_nationaux', 'Conseillers numériques'],
  'Aidants Connect': ['dispositif_programmes_nationaux', 'Aidants Connect'],
  'Grandes écoles du numérique': ['dispositif_programmes_nationaux', 'Grande école du numérique'],
  'Point relais CAF': ['dispositif_programmes_nationaux', "Point d'accès numérique CAF"],
  'Point numérique CAF': ['dispositif_programmes_nationaux', "Point d'accès numérique CAF"],
  'Fabriques de Territoire': ['formations_labels', 'Fabriques de Territoire'],
  APTIC: ['autres_formations_labels', 'APTIC'],
  'Relais pôle emploi': ['autres_formations_labels', 'Relais pôle emploi'],
  'French Tech': ['autres_formations_labels', 'French Tech'],
  'Campus connecté': ['autres_formations_labels', 'Campus connecté'],
};

/** v0 modalites_accompagnement values begin with these words ("Seul : j'ai besoin…"). */
export const legacyAccompagnement: [string, string][] = [
  ['Seul', 'En autonomie'],
  ["Avec de l'aide", 'Accompagnement individuel'],
  ['Dans un atelier', 'Dans un atelier collectif'],
  ['A ma place', 'Accompagnement individuel'],
];

const legacySeparator = /[;|]/;

function lookup<T>(table: Record<string, T>, value: string): T | undefined {
  const key = normalizeText(value);
  for (const [k, v] of Object.entries(table)) if (normalizeText(k) === key) return v;
  return undefined;
}

function lookupPrefix<T>(table: [string, T][], value: string): [string, T] | undefined {
  const key = normalizeText(value);
  return table.find(([k]) => key === normalizeText(k) || key.startsWith(`${normalizeText(k)} `));
}

function parts(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.map(String) : String(value).split(legacySeparator);
  return list.map((v) => v.trim()).filter((v) => v !== '');
}

/** Maps one v0.1.x record (CSV row or JSON object, keys normalised) to v1 field names and values. */
export function mapLegacyRecord(values: Record<string, unknown>): RawLieu {
  const lieu: RawLieu = {};
  for (const field of unchangedFields) setField(lieu, field, values[field], legacySeparator);
  // v1 fields some late v0 producers already added
  setField(lieu, 'itinerance', values.itinerance, legacySeparator);
  setField(lieu, 'modalites_acces', values.modalites_acces, legacySeparator);
  setField(lieu, 'courriels', values.courriel ?? values.courriels, legacySeparator);
  setField(lieu, 'fiche_acces_libre', values.accessibilite ?? values.fiche_acces_libre);
  setField(lieu, 'autres_formations_labels', values.labels_autres, legacySeparator);
  addValues(lieu, 'services', parts(values.services).map((s) => lookup(legacyServices, s) ?? s));
  for (const value of parts(values.publics_accueillis)) {
    const match = lookupPrefix(legacyPublics, value);
    if (!match) addValues(lieu, 'publics_specifiquement_adresses', [value]);
    else if (match[1]) addValues(lieu, match[1][0], [match[1][1]]);
  }
  addValues(lieu, 'frais_a_charge', parts(values.conditions_acces).map((v) => lookup(legacyConditionsAcces, v) ?? v));
  for (const value of parts(values.labels_nationaux)) {
    const [field, mapped] = lookup(legacyLabelsNationaux, value) ?? ['autres_formations_labels', value];
    addValues(lieu, field, [mapped]);
  }
  addValues(
    lieu,
    'modalites_accompagnement',
    parts(values.modalites_accompagnement).map((v) => lookupPrefix(legacyAccompagnement, v)?.[1] ?? v),
  );
  return lieu;
}

export function legacyExternalId(values: Record<string, unknown>): string | null {
  return idOf(values.id);
}
