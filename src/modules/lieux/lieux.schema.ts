// The national standard v1 (STANDARD.md §2): field names, enumerations verbatim, and the
// shapes the registry accepts (LieuInput) and publishes (Lieu, /api/v1). One schema per shape
// drives validation, TypeScript types and OpenAPI.
import { Type, type Static } from 'typebox';
import type { LieuRow } from '../../db/database.ts';

export const services = [
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Parentalité et éducation avec le numérique',
  'Loisirs et créations numériques',
  'Compréhension du monde numérique',
  'Accès internet et matériel informatique',
  'Acquisition de matériel informatique à prix solidaire',
] as const;

export const publics_specifiquement_adresses = ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'] as const;

export const prise_en_charge_specifique = [
  'Surdité',
  'Handicaps moteurs',
  'Handicaps mentaux',
  'Illettrisme',
  'Langues étrangères (anglais)',
  'Langues étrangères (autres)',
  'Déficience visuelle',
] as const;

export const frais_a_charge = ['Gratuit', 'Gratuit sous condition', 'Payant'] as const;

export const dispositif_programmes_nationaux = [
  'Aidants Connect',
  'Bibliothèques numérique de référence',
  'Certification PIX',
  'Conseillers numériques',
  'Emmaüs Connect',
  'France Services',
  'Grande école du numérique',
  'La Croix Rouge',
  "Point d'accès numérique CAF",
  'Promeneurs du net',
  'Relais numérique (Emmaüs Connect)',
] as const;

export const formations_labels = [
  'Formé à « Mon Espace Santé »',
  'Formé à « DUPLEX » (illettrisme)',
  'Arnia/MedNum BFC (Bourgogne-Franche-Comté)',
  'Collectif ressources et acteurs réemploi (Normandie)',
  'Étapes numériques (La Poste)',
  'Fabriques de Territoire',
  'Les Éclaireurs du numérique (Drôme)',
  'Mes Papiers (Métropole de Lyon)',
  'ORDI 3.0',
  'SUD LABS (PACA)',
] as const;

export const modalites_acces = [
  'Se présenter',
  'Téléphoner',
  'Contacter par mail',
  'Prendre un RDV en ligne',
  "Ce lieu n'accueille pas de public",
  'Envoyer un mail avec une fiche de prescription',
] as const;

export const modalites_accompagnement = [
  'En autonomie',
  'Accompagnement individuel',
  'Dans un atelier collectif',
  'À distance',
] as const;

export const itinerance = ['Itinérant', 'Fixe'] as const;

/** The 92 typology codes accepted by the ANCT library 2.3.0 (data·inclusion vocabulary). */
export const typologie = [
  'ACI', 'ACIPHC', 'AFPA', 'AI', 'ASE', 'ASSO', 'ASSO_CHOMEUR', 'Autre', 'AVIP', 'BIB', 'CAARUD', 'CADA',
  'CAF', 'CAP_EMPLOI', 'CAVA', 'CC', 'CCAS', 'CCONS', 'CD', 'CDAS', 'CFP', 'CHRS', 'CHU', 'CIAS', 'CIDFF',
  'CITMET', 'CMP', 'CMS', 'CPAM', 'CPH', 'CS', 'CSAPA', 'CSC', 'DEETS', 'DEPT', 'DIPLP', 'E2C', 'EA', 'EATT',
  'EI', 'EITI', 'ENM', 'EPCI', 'EPI', 'EPIDE', 'EPN', 'ES', 'ESAT', 'ESS', 'ETTI', 'EVS', 'FABLAB',
  'FABRIQUE', 'FAIS', 'FT', 'GEIQ', 'HUDA', 'LA_POSTE', 'MDE', 'MDH', 'MDEF', 'MDPH', 'MDS', 'MJC', 'ML',
  'MQ', 'MSA', 'MSAP', 'MUNI', 'OACAS', 'ODC', 'OF', 'OIL', 'OPCS', 'PAD', 'PENSION', 'PI', 'PIJ_BIJ',
  'PIMMS', 'PJJ', 'PLIE', 'PREF', 'PREVENTION', 'REG', 'RELAIS_LECTURE', 'RESSOURCERIE', 'RFS', 'RS_FJT',
  'SCP', 'SPIP', 'TIERS_LIEUX', 'UDAF',
] as const; // prettier-ignore

/** Every enumerated field of the standard and its exact values. */
export const enumerations = {
  typologie,
  itinerance,
  services,
  publics_specifiquement_adresses,
  prise_en_charge_specifique,
  frais_a_charge,
  dispositif_programmes_nationaux,
  formations_labels,
  modalites_acces,
  modalites_accompagnement,
} as const;

export type EnumeratedField = keyof typeof enumerations;

/** The standard's fields in its order (§2); DB columns and JSON keys use these names. */
export const standardFields = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'itinerance',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
] as const;

export type StandardField = (typeof standardFields)[number];

/** Fields holding several values (`|`-separated in the standard's CSV, arrays in JSON and DB). */
export const multiValuedFields = [
  'typologie',
  'courriels',
  'site_web',
  'itinerance',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
] as const satisfies readonly StandardField[];

export type MultiValuedField = (typeof multiValuedFields)[number];

/** Required by the standard; `id` is required in exports but assigned by us on input. */
export const requiredFields = ['pivot', 'nom', 'commune', 'code_postal', 'adresse', 'date_maj'] as const;

/** The fields we add to every record, derived from the commune and never accepted as input. */
export const derivedFields = ['code_epci', 'code_departement', 'code_region', 'position_approximate'] as const;

// ---- Input: what the CLI, the API and imports accept. Loose on purpose: validateLieu checks
// each field and answers in French; this schema documents the shape.

const MultiInput = Type.Union([Type.Array(Type.String()), Type.String()], {
  description: 'Une liste de valeurs, ou une chaîne de valeurs séparées par « | ».',
});
const TextInput = Type.Union([Type.String(), Type.Null()]);
const NumberInput = Type.Union([Type.Number(), Type.String(), Type.Null()]);

const inputProperties = Object.fromEntries(
  standardFields.map((field) => {
    if ((multiValuedFields as readonly string[]).includes(field)) return [field, Type.Optional(MultiInput)];
    if (field === 'latitude' || field === 'longitude') return [field, Type.Optional(NumberInput)];
    return [field, Type.Optional(TextInput)];
  }),
) as Record<StandardField, ReturnType<typeof Type.Optional<typeof TextInput>>>;

export const LieuInput = Type.Object(inputProperties, {
  $id: 'LieuInput',
  description: 'Un lieu de médiation numérique au format du standard national v1 (champs du standard).',
});
export type LieuInput = Partial<Record<StandardField, unknown>>;

// ---- Output: a published record, every standard field verbatim plus our territory codes.

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Multi = Type.Array(Type.String());

export const Lieu = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    pivot: Type.String({ description: 'SIRET, RNA ou RIDET de la structure porteuse' }),
    nom: Type.String(),
    commune: Type.String(),
    code_postal: Type.String(),
    code_insee: Nullable(Type.String()),
    adresse: Type.String(),
    complement_adresse: Nullable(Type.String()),
    latitude: Nullable(Type.Number()),
    longitude: Nullable(Type.Number()),
    typologie: Multi,
    telephone: Nullable(Type.String()),
    courriels: Multi,
    site_web: Multi,
    horaires: Nullable(Type.String({ description: 'Syntaxe OpenStreetMap opening_hours' })),
    presentation_resume: Nullable(Type.String()),
    presentation_detail: Nullable(Type.String()),
    source: Nullable(Type.String()),
    itinerance: Multi,
    structure_parente: Nullable(Type.String()),
    date_maj: Type.String({ format: 'date' }),
    services: Multi,
    publics_specifiquement_adresses: Multi,
    prise_en_charge_specifique: Multi,
    frais_a_charge: Multi,
    dispositif_programmes_nationaux: Multi,
    formations_labels: Multi,
    autres_formations_labels: Multi,
    modalites_acces: Multi,
    modalites_accompagnement: Multi,
    fiche_acces_libre: Nullable(Type.String()),
    prise_rdv: Nullable(Type.String()),
    code_epci: Nullable(Type.String({ description: 'SIREN de l’EPCI de la commune' })),
    code_departement: Nullable(Type.String()),
    code_region: Nullable(Type.String()),
    position_approximate: Type.Boolean({
      description: 'Vrai quand la position est le centre de la commune et non l’adresse du lieu',
    }),
    status: Type.Union([Type.Literal('published'), Type.Literal('unpublished')]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { description: 'Un lieu de médiation numérique (standard national v1 et codes des territoires)' },
);
export type Lieu = Static<typeof Lieu>;

/** The validated record, as stored (every standard field plus the derived territory codes). */
export type LieuValue = Omit<Lieu, 'id' | 'status' | 'created_at' | 'updated_at'> & { id?: string };

// A Date from pg; an ISO string when the row went through JSON (snapshots, fixtures).
const iso = (value: Date | string) => (value instanceof Date ? value : new Date(String(value))).toISOString();

/** Public API v1 view of a DB row: explicit keys, so internal columns never leak. */
export function toApiV1(row: LieuRow): Lieu {
  return {
    id: row.id,
    pivot: row.pivot,
    nom: row.nom,
    commune: row.commune,
    code_postal: row.code_postal,
    code_insee: row.code_insee,
    adresse: row.adresse,
    complement_adresse: row.complement_adresse,
    latitude: row.latitude,
    longitude: row.longitude,
    typologie: row.typologie,
    telephone: row.telephone,
    courriels: row.courriels,
    site_web: row.site_web,
    horaires: row.horaires,
    presentation_resume: row.presentation_resume,
    presentation_detail: row.presentation_detail,
    source: row.source,
    itinerance: row.itinerance,
    structure_parente: row.structure_parente,
    date_maj: row.date_maj,
    services: row.services,
    publics_specifiquement_adresses: row.publics_specifiquement_adresses,
    prise_en_charge_specifique: row.prise_en_charge_specifique,
    frais_a_charge: row.frais_a_charge,
    dispositif_programmes_nationaux: row.dispositif_programmes_nationaux,
    formations_labels: row.formations_labels,
    autres_formations_labels: row.autres_formations_labels,
    modalites_acces: row.modalites_acces,
    modalites_accompagnement: row.modalites_accompagnement,
    fiche_acces_libre: row.fiche_acces_libre,
    prise_rdv: row.prise_rdv,
    code_epci: row.code_epci,
    code_departement: row.code_departement,
    code_region: row.code_region,
    position_approximate: row.position_approximate,
    status: row.status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}
