// The fields a search can filter on: the standard's enumerated fields (values verbatim from
// STANDARD.md v1) and the territory codes stored with each place.

export const enumeratedFieldValues = {
  services: [
    'Aide aux démarches administratives',
    'Maîtrise des outils numériques du quotidien',
    'Insertion professionnelle via le numérique',
    'Utilisation sécurisée du numérique',
    'Parentalité et éducation avec le numérique',
    'Loisirs et créations numériques',
    'Compréhension du monde numérique',
    'Accès internet et matériel informatique',
    'Acquisition de matériel informatique à prix solidaire',
  ],
  publics_specifiquement_adresses: ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'],
  prise_en_charge_specifique: [
    'Surdité',
    'Handicaps moteurs',
    'Handicaps mentaux',
    'Illettrisme',
    'Langues étrangères (anglais)',
    'Langues étrangères (autres)',
    'Déficience visuelle',
  ],
  frais_a_charge: ['Gratuit', 'Gratuit sous condition', 'Payant'],
  dispositif_programmes_nationaux: [
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
  ],
  formations_labels: [
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
  ],
  modalites_acces: [
    'Se présenter',
    'Téléphoner',
    'Contacter par mail',
    'Prendre un RDV en ligne',
    "Ce lieu n'accueille pas de public",
    'Envoyer un mail avec une fiche de prescription',
  ],
  modalites_accompagnement: ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance'],
  itinerance: ['Itinérant', 'Fixe'],
  // data·inclusion "typologies de structure" accepted by the ANCT lib 2.3.0
  typologie: (
    'ACI ACIPHC AFPA AI ASE ASSO ASSO_CHOMEUR Autre AVIP BIB CAARUD CADA CAF CAP_EMPLOI CAVA CC CCAS CCONS CD ' +
    'CDAS CFP CHRS CHU CIAS CIDFF CITMET CMP CMS CPAM CPH CS CSAPA CSC DEETS DEPT DIPLP E2C EA EATT EI EITI ENM ' +
    'EPCI EPI EPIDE EPN ES ESAT ESS ETTI EVS FABLAB FABRIQUE FAIS FT GEIQ HUDA LA_POSTE MDE MDH MDEF MDPH MDS MJC ' +
    'ML MQ MSA MSAP MUNI OACAS ODC OF OIL OPCS PAD PENSION PI PIJ_BIJ PIMMS PJJ PLIE PREF PREVENTION REG ' +
    'RELAIS_LECTURE RESSOURCERIE RFS RS_FJT SCP SPIP TIERS_LIEUX UDAF'
  ).split(' '),
} as const satisfies Record<string, readonly string[]>;

export type EnumeratedField = keyof typeof enumeratedFieldValues;

export const enumeratedFields = Object.keys(enumeratedFieldValues) as EnumeratedField[];

/** Territory types and the column holding each one's code on a place. */
export const territoireColumns = {
  commune: 'code_insee',
  epci: 'code_epci',
  departement: 'code_departement',
  region: 'code_region',
} as const;

export type TerritoireType = keyof typeof territoireColumns;

export const territoireTypes = Object.keys(territoireColumns) as TerritoireType[];
