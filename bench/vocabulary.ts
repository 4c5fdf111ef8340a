// Words and frequencies that make generated places look like the real national map:
// the standard's enumerations (exact values, STANDARD.md §2) with rough real-world shares,
// and the bits French place names and addresses are made of.

import { dispositif_programmes_nationaux } from '../src/modules/lieux/lieux.schema.ts';

export const SERVICES = [
  ['Aide aux démarches administratives', 0.72],
  ['Maîtrise des outils numériques du quotidien', 0.8],
  ['Insertion professionnelle via le numérique', 0.38],
  ['Utilisation sécurisée du numérique', 0.42],
  ['Parentalité et éducation avec le numérique', 0.2],
  ['Loisirs et créations numériques', 0.22],
  ['Compréhension du monde numérique', 0.3],
  ['Accès internet et matériel informatique', 0.55],
  ['Acquisition de matériel informatique à prix solidaire', 0.06],
] as const;

export const PUBLICS = [
  ['Jeunes', 0.18],
  ['Étudiants', 0.06],
  ['Familles et/ou enfants', 0.16],
  ['Seniors', 0.3],
  ['Femmes', 0.04],
] as const;

export const PRISE_EN_CHARGE = [
  ['Surdité', 0.05],
  ['Handicaps moteurs', 0.14],
  ['Handicaps mentaux', 0.06],
  ['Illettrisme', 0.12],
  ['Langues étrangères (anglais)', 0.1],
  ['Langues étrangères (autres)', 0.07],
  ['Déficience visuelle', 0.04],
] as const;

export const FRAIS = [
  ['Gratuit', 0.78],
  ['Gratuit sous condition', 0.12],
  ['Payant', 0.1],
] as const;

// Every national programme is drawn with the same chance: the standard's list as is.
export const DISPOSITIFS = dispositif_programmes_nationaux;

export const FORMATIONS_LABELS = [
  'Formé à « Mon Espace Santé »',
  'Formé à « DUPLEX » (illettrisme)',
  'Étapes numériques (La Poste)',
  'Fabriques de Territoire',
  'ORDI 3.0',
] as const;

export const MODALITES_ACCES = [
  ['Se présenter', 0.62],
  ['Téléphoner', 0.55],
  ['Contacter par mail', 0.35],
  ['Prendre un RDV en ligne', 0.15],
  ['Envoyer un mail avec une fiche de prescription', 0.04],
] as const;

export const MODALITES_ACCOMPAGNEMENT = [
  ['En autonomie', 0.45],
  ['Accompagnement individuel', 0.82],
  ['Dans un atelier collectif', 0.48],
  ['À distance', 0.12],
] as const;

/** Opening hours in OSM syntax, with how often each shape appears. */
export const HORAIRES = [
  ['Mo-Fr 09:00-12:00,14:00-17:30', 14],
  ['Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00', 10],
  ['Mo-Fr 08:30-12:30,13:30-17:00; PH off', 10],
  ['Tu-Sa 10:00-12:30,14:00-18:00; PH off', 9],
  ['Tu,Th 14:00-17:00; We 09:00-12:00,14:00-18:00; Sa 10:00-17:00; PH off', 7],
  ['Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00', 7],
  ['Mo,We,Fr 09:00-12:00', 5],
  ['Tu 14:00-17:00; Th 09:00-12:00', 4],
  ['Mo-Fr 09:00-18:00; Sa 09:00-12:00; PH off', 5],
  ['Mo-Fr 13:30-19:00; Sa 10:00-18:00', 4],
  ['Mo-Fr 09:00-12:00,14:00-19:30; PH off', 3],
  ['We 14:00-20:00; Fr 17:00-21:00; Sa 14:00-19:00', 2],
  ['Tu-Fr 10:00-19:00; Sa-Su 10:00-18:00; PH off', 2],
  ['Mo-Su 09:00-21:00', 1],
  ['Mo 14:00-17:00; Tu-Fr 09:00-12:00,14:00-17:00; PH off', 4],
  ['We 09:00-12:00', 2],
  ['24/7', 0.3],
] as const;

/** Kinds of places: typologie code, name patterns ({c} = commune, {x} = a name), share. */
export interface PlaceKind {
  typologie: string[];
  names: string[];
  dispositifs: [string, number][];
  weight: number;
  payant?: boolean;
  /** Public services are free of charge. */
  publicService?: boolean;
}

export const PLACE_KINDS: PlaceKind[] = [
  {
    typologie: ['EPN'],
    names: ['Espace public numérique de {c}', 'Cyber-base {c}', 'EPN {x}', 'Espace numérique {x}'],
    dispositifs: [['Conseillers numériques', 0.6], ['Aidants Connect', 0.25], ['Certification PIX', 0.15]],
    weight: 18,
  },
  {
    typologie: ['BIB'],
    names: ['Médiathèque {x}', 'Médiathèque municipale de {c}', 'Bibliothèque {x}', 'Médiathèque intercommunale {x}'],
    dispositifs: [['Conseillers numériques', 0.35], ['Bibliothèques numérique de référence', 0.08]],
    weight: 16,
    publicService: true,
  },
  {
    typologie: ['MSAP'],
    names: ['France Services de {c}', 'Maison France Services {c}', 'France Services {x}'],
    dispositifs: [['France Services', 1], ['Aidants Connect', 0.55], ['Conseillers numériques', 0.45]],
    weight: 12,
    publicService: true,
  },
  {
    typologie: ['CSC'],
    names: ['Centre social {x}', 'Centre socioculturel {x}', 'Espace de vie sociale {x}'],
    dispositifs: [['Conseillers numériques', 0.45], ['Promeneurs du net', 0.15], ["Point d'accès numérique CAF", 0.2]],
    weight: 10,
  },
  {
    typologie: ['MUNI'],
    names: ['Mairie de {c}', 'Hôtel de ville de {c}', 'Mairie annexe {x}'],
    dispositifs: [['Aidants Connect', 0.2], ['Conseillers numériques', 0.25]],
    weight: 8,
    publicService: true,
  },
  {
    typologie: ['CCAS'],
    names: ['CCAS de {c}', "Centre communal d'action sociale de {c}"],
    dispositifs: [['Aidants Connect', 0.35], ['Conseillers numériques', 0.3]],
    weight: 5,
    publicService: true,
  },
  {
    typologie: ['ASSO'],
    names: ['Association {x}', '{x} Numérique', 'Les Connectés de {c}', 'Familles Rurales {c}', 'Secours populaire {c}'],
    dispositifs: [['Conseillers numériques', 0.35], ['La Croix Rouge', 0.03]],
    weight: 12,
  },
  {
    typologie: ['ASSO'],
    names: ['Emmaüs Connect {c}', 'Emmaüs Connect – {x}'],
    dispositifs: [['Emmaüs Connect', 1], ['Relais numérique (Emmaüs Connect)', 0.4]],
    weight: 1.5,
  },
  {
    typologie: ['PIMMS'],
    names: ['PIMMS Médiation {c}', 'Point Information Médiation Multi Services {x}'],
    dispositifs: [['Aidants Connect', 0.5], ['Conseillers numériques', 0.4], ['France Services', 0.3]],
    weight: 2.5,
  },
  {
    typologie: ['FABLAB'],
    names: ['Fablab {x}', 'FabLab de {c}', '{x} Lab'],
    dispositifs: [['Grande école du numérique', 0.1]],
    weight: 3,
    payant: true,
  },
  {
    typologie: ['TIERS_LIEUX'],
    names: ['Tiers-lieu {x}', 'La Fabrique {x}', 'Le Hub {x}'],
    dispositifs: [['Conseillers numériques', 0.3]],
    weight: 4,
    payant: true,
  },
  {
    typologie: ['MJC'],
    names: ['MJC {x}', 'Maison des jeunes et de la culture de {c}'],
    dispositifs: [['Promeneurs du net', 0.35], ['Conseillers numériques', 0.3]],
    weight: 3,
  },
  {
    typologie: ['MQ'],
    names: ['Maison de quartier {x}', 'Maison des habitants {x}'],
    dispositifs: [['Conseillers numériques', 0.4]],
    weight: 3,
  },
  {
    typologie: ['PIJ_BIJ'],
    names: ['Point information jeunesse de {c}', 'PIJ {x}'],
    dispositifs: [['Promeneurs du net', 0.4]],
    weight: 2,
    publicService: true,
  },
  {
    typologie: ['LA_POSTE'],
    names: ['La Poste – Espace numérique {x}', 'Bureau de poste de {c}'],
    dispositifs: [['France Services', 0.3]],
    weight: 2,
    publicService: true,
  },
];

/** People and places French public buildings are named after. */
export const NAME_PARTS = [
  'Jules Verne', 'Victor Hugo', 'Louise Michel', 'Simone Veil', 'Jean Jaurès', 'Marie Curie', 'George Sand',
  'Albert Camus', 'Colette', 'Aimé Césaire', 'Olympe de Gouges', 'Jean Moulin', 'Pablo Neruda', 'Léo Lagrange',
  'Nelson Mandela', 'Rosa Parks', 'Jacques Prévert', 'Antoine de Saint-Exupéry', 'Paul Éluard', 'Louis Aragon',
  'Marguerite Duras', 'Boris Vian', 'Gisèle Halimi', 'Joséphine Baker', 'Missak Manouchian', 'Lucie Aubrac',
  'Germaine Tillion', 'Émile Zola', 'Molière', 'Jean de La Fontaine', 'Alexandre Dumas', 'François Mitterrand',
  'les Tilleuls', 'la Source', 'les Genêts', 'le Moulin', 'la Gare', 'le Centre', 'les Halles', 'le Parc',
  'les Coteaux', 'la Vallée', 'le Vieux Bourg', 'les Peupliers', 'la Forge', 'le Lavoir', 'Bellevue',
  'Beaulieu', 'Montplaisir', 'la Roseraie', 'les Acacias', 'Pasteur', 'Saint-Exupéry', 'Arc-en-ciel',
  'Pixel', 'Clic', 'Octet', 'Kilobit', 'Connexions', 'Passerelle', 'Trait d\'union', 'Solidarité', 'Horizon',
];

export const STREET_TYPES = [
  ['rue', 50], ['avenue', 12], ['place', 10], ['boulevard', 6], ['allée', 6], ['chemin', 5], ['impasse', 3],
  ['route', 4], ['quai', 2], ['cours', 2],
] as const;

export const STREET_NAMES = [
  'de la République', 'Jean Jaurès', 'Victor Hugo', 'du Général de Gaulle', 'de la Mairie', 'Pasteur',
  'de la Gare', 'Gambetta', 'Jules Ferry', 'de l\'Église', 'du Maréchal Leclerc', 'Carnot', 'Voltaire',
  'de la Libération', 'du 8 Mai 1945', 'du 11 Novembre', 'des Écoles', 'du Stade', 'de Verdun', 'Émile Zola',
  'Jean Moulin', 'de Paris', 'Nationale', 'des Tilleuls', 'du Moulin', 'de la Paix', 'Aristide Briand',
  'Anatole France', 'Paul Bert', 'des Lilas', 'du Château', 'de la Fontaine', 'du Commerce', 'Louis Pasteur',
  'Georges Clemenceau', 'Salvador Allende', 'Pierre Mendès France', 'des Acacias', 'du Port', 'de Bretagne',
  'de la Liberté', 'Marcel Pagnol', 'Albert Camus', 'Jacques Brel', 'de l\'Hôtel de Ville', 'des Anciens Combattants',
];

export const COMPLEMENTS = ['1er étage', 'Rez-de-chaussée', 'Bâtiment B', 'Entrée par la cour', 'Salle 3', 'Porte 2'];

export const RESUMES = [
  'Accompagnement gratuit aux usages du numérique : démarches en ligne, smartphone, ordinateur.',
  'Des ateliers collectifs et des rendez-vous individuels pour gagner en autonomie avec le numérique.',
  'Accès libre à des ordinateurs, une imprimante et au wifi, avec un médiateur pour vous aider.',
  'Aide aux démarches administratives en ligne (CAF, impôts, ANTS, France Travail) sur rendez-vous.',
  'Ateliers seniors, initiation à la tablette et accompagnement aux démarches en ligne.',
  'Un lieu convivial pour apprendre, créer et partager autour du numérique.',
];

export const SOURCES = ['Hinaura', 'Conseiller Numérique', 'France Services', 'Mednum BFC', 'Hub du Sud', 'Les Assembleurs', 'Fibre64', 'La Mednum'];
