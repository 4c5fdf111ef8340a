// Standard v1 place → data·inclusion (schema v1) structure and service. One structure per
// place; one service per place that lists standard services, its thematiques mapped from
// the 9 standard services. Tables are documented in docs/open-data.md.
import type { LieuRow } from '../../db/database.ts';
import type { StandardField } from '../lieux/lieux.schema.ts';

type ExportRow = Pick<LieuRow, StandardField>;

/** data·inclusion `source` for everything Maillage publishes. */
export const dataInclusionSource = 'maillage';

/** The 9 standard v1 services → data·inclusion v1 thematiques (numérique category). */
export const servicesToThematiques: Record<string, string> = {
  'Aide aux démarches administratives': 'numerique--acceder-a-des-services-en-ligne',
  'Maîtrise des outils numériques du quotidien': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Insertion professionnelle via le numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Utilisation sécurisée du numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Parentalité et éducation avec le numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Loisirs et créations numériques': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Compréhension du monde numérique': 'numerique--maitriser-les-fondamentaux-du-numerique',
  'Accès internet et matériel informatique': 'numerique--acceder-a-une-connexion-internet',
  'Acquisition de matériel informatique à prix solidaire': 'numerique--acquerir-un-equipement',
};

export const publicsToDataInclusion: Record<string, string> = {
  Jeunes: 'jeunes',
  Étudiants: 'etudiants',
  'Familles et/ou enfants': 'familles',
  Seniors: 'seniors',
  Femmes: 'femmes',
};

export const modalitesAccesToModesMobilisation: Record<string, string> = {
  'Se présenter': 'se-presenter',
  Téléphoner: 'telephoner',
  'Contacter par mail': 'envoyer-un-courriel',
  'Prendre un RDV en ligne': 'utiliser-lien-mobilisation',
};

/** Standard programmes and labels → data·inclusion `reseaux_porteurs`. */
export const labelsToReseauxPorteurs: Record<string, string> = {
  'Conseillers numériques': 'conseillers-numeriques',
  'Aidants Connect': 'aidants-connect',
  'France Services': 'france-service',
  'Grande école du numérique': 'grandes-ecoles-du-numerique',
  'Emmaüs Connect': 'emmaus-connect',
  'Promeneurs du net': 'promeneurs-du-net',
  'La Croix Rouge': 'la-croix-rouge',
  'Fabriques de Territoire': 'fabrique-de-territoire',
};

// The SIRET placeholder producers send when they do not know it.
const PLACEHOLDER_SIRET = '00000000000000';

const isoDate = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));
const unique = (values: string[]) => [...new Set(values)];
const mapAll = (values: string[], table: Record<string, string>) => unique(values.flatMap((v) => (table[v] ? [table[v]] : [])));

export function dataInclusionStructureId(row: Pick<LieuRow, 'id'>): string {
  return `${dataInclusionSource}--${row.id}`;
}

export function toDataInclusionStructure(row: ExportRow, publicUrl: string): Record<string, unknown> {
  const siret = /^\d{14}$/.test(row.pivot) && row.pivot !== PLACEHOLDER_SIRET ? row.pivot : null;
  // An association's pivot is its RNA number (W and 9 digits): data·inclusion has a field for it.
  const rna = /^W\d{9}$/.test(row.pivot) ? row.pivot : null;
  return {
    source: dataInclusionSource,
    id: dataInclusionStructureId(row),
    nom: row.nom,
    date_maj: isoDate(row.date_maj),
    description: row.presentation_detail ?? row.presentation_resume,
    lien_source: `${publicUrl}/lieux/${row.id}`,
    siret,
    rna,
    commune: row.commune,
    code_postal: row.code_postal,
    code_insee: row.code_insee,
    adresse: row.adresse,
    complement_adresse: row.complement_adresse,
    longitude: row.longitude,
    latitude: row.latitude,
    telephone: row.telephone,
    courriel: row.courriels[0] ?? null,
    site_web: row.site_web.length > 0 ? row.site_web.join(',') : null,
    horaires_accueil: row.horaires,
    accessibilite_lieu: row.fiche_acces_libre,
    reseaux_porteurs: mapAll([...row.dispositif_programmes_nationaux, ...row.formations_labels], labelsToReseauxPorteurs),
  };
}

/** The place's mediation service, or null when it lists no standard service. */
export function toDataInclusionService(row: ExportRow, publicUrl: string): Record<string, unknown> | null {
  if (row.services.length === 0) return null;
  const onlyRemote = row.modalites_accompagnement.length > 0 && row.modalites_accompagnement.every((m) => m === 'À distance');
  const modesAccueil = onlyRemote ? ['a-distance'] : row.modalites_accompagnement.includes('À distance') ? ['en-presentiel', 'a-distance'] : ['en-presentiel'];
  const frais = row.frais_a_charge.includes('Payant') && !row.frais_a_charge.some((f) => f.startsWith('Gratuit')) ? 'payant' : row.frais_a_charge.length > 0 ? 'gratuit' : null;
  const publics = mapAll(row.publics_specifiquement_adresses, publicsToDataInclusion);
  return {
    source: dataInclusionSource,
    structure_id: dataInclusionStructureId(row),
    id: `${dataInclusionSource}--${row.id}--mediation-numerique`,
    nom: 'Médiation numérique',
    description: row.presentation_resume ?? `Services proposés : ${row.services.join(', ')}.`,
    date_maj: isoDate(row.date_maj),
    lien_source: `${publicUrl}/lieux/${row.id}`,
    type: row.modalites_accompagnement.includes('Dans un atelier collectif') ? 'atelier' : 'accompagnement',
    thematiques: mapAll(row.services, servicesToThematiques),
    frais,
    frais_precisions: row.frais_a_charge.includes('Gratuit sous condition') ? 'Gratuit sous condition' : null,
    publics: publics.length > 0 ? publics : ['tous-publics'],
    commune: row.commune,
    code_postal: row.code_postal,
    code_insee: row.code_insee,
    adresse: row.adresse,
    complement_adresse: row.complement_adresse,
    longitude: row.longitude,
    latitude: row.latitude,
    telephone: row.telephone,
    courriel: row.courriels[0] ?? null,
    modes_accueil: modesAccueil,
    modes_mobilisation: mapAll(row.modalites_acces, modalitesAccesToModesMobilisation),
    mobilisable_par: ['usagers', 'professionnels'],
    lien_mobilisation: row.prise_rdv,
    horaires_accueil: row.horaires,
  };
}
