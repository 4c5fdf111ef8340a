// The standard's values said in plain words for residents (the standard's wording is
// written for professionals). Unknown values are shown as they are.

const services: Record<string, string> = {
  'Aide aux démarches administratives': 'Être aidé pour faire ses démarches en ligne (CAF, impôts, retraite, santé…)',
  'Maîtrise des outils numériques du quotidien': 'Apprendre à se servir d’un ordinateur, d’un téléphone ou d’une tablette',
  'Insertion professionnelle via le numérique': 'Chercher un emploi ou une formation avec le numérique (CV, candidatures)',
  'Utilisation sécurisée du numérique': 'Se protéger en ligne : arnaques, mots de passe, données personnelles',
  'Parentalité et éducation avec le numérique': 'Accompagner ses enfants dans leurs usages du numérique',
  'Loisirs et créations numériques': 'Découvrir des loisirs et créer avec le numérique (photo, vidéo, jeux…)',
  'Compréhension du monde numérique': 'Comprendre le numérique et ses enjeux',
  'Accès internet et matériel informatique': 'Utiliser sur place un ordinateur, une imprimante ou internet',
  'Acquisition de matériel informatique à prix solidaire': 'Acheter un ordinateur ou un téléphone à petit prix',
};

const publics: Record<string, string> = {
  Jeunes: 'les jeunes',
  Étudiants: 'les étudiants',
  'Familles et/ou enfants': 'les familles et les enfants',
  Seniors: 'les seniors',
  Femmes: 'les femmes',
};

const priseEnCharge: Record<string, string> = {
  Surdité: 'personnes sourdes ou malentendantes',
  'Handicaps moteurs': 'personnes en situation de handicap moteur',
  'Handicaps mentaux': 'personnes en situation de handicap mental',
  Illettrisme: 'personnes qui ont des difficultés à lire ou à écrire',
  'Langues étrangères (anglais)': 'personnes qui parlent anglais',
  'Langues étrangères (autres)': 'personnes qui parlent d’autres langues',
  'Déficience visuelle': 'personnes aveugles ou malvoyantes',
};

const acces: Record<string, string> = {
  'Se présenter': 'Vous pouvez venir sans rendez-vous.',
  Téléphoner: 'Appelez avant de venir.',
  'Contacter par mail': 'Écrivez un courriel avant de venir.',
  'Prendre un RDV en ligne': 'Prenez rendez-vous en ligne.',
  "Ce lieu n'accueille pas de public": 'Ce lieu n’accueille pas de public.',
  'Envoyer un mail avec une fiche de prescription':
    'Un professionnel (travailleur social, conseiller…) doit vous orienter vers ce lieu par courriel.',
};

const accompagnement: Record<string, string> = {
  'En autonomie': 'Seul, avec du matériel à disposition',
  'Accompagnement individuel': 'Avec une personne qui vous aide, en tête-à-tête',
  'Dans un atelier collectif': 'En atelier, en petit groupe',
  'À distance': 'À distance (téléphone ou visio)',
};

const frais: Record<string, string> = {
  Gratuit: 'Gratuit',
  'Gratuit sous condition': 'Gratuit sous conditions (renseignez-vous auprès du lieu)',
  Payant: 'Payant',
};

const say = (dict: Record<string, string>) => (value: string) => dict[value] ?? value;

export const serviceInWords = say(services);
export const publicInWords = say(publics);
export const priseEnChargeInWords = say(priseEnCharge);
export const accesInWords = say(acces);
export const accompagnementInWords = say(accompagnement);
export const fraisInWords = say(frais);

/** Short service names for filters and result cards. */
export const serviceShort: Record<string, string> = {
  'Aide aux démarches administratives': 'Démarches en ligne',
  'Maîtrise des outils numériques du quotidien': 'Ordinateur, téléphone, tablette',
  'Insertion professionnelle via le numérique': 'Emploi et formation',
  'Utilisation sécurisée du numérique': 'Sécurité en ligne',
  'Parentalité et éducation avec le numérique': 'Parents et enfants',
  'Loisirs et créations numériques': 'Loisirs et création',
  'Compréhension du monde numérique': 'Comprendre le numérique',
  'Accès internet et matériel informatique': 'Accès à internet et au matériel',
  'Acquisition de matériel informatique à prix solidaire': 'Matériel à prix solidaire',
};

/** "+33123456789" → "01 23 45 67 89"; other formats are shown as given. */
export function phoneForDisplay(phone: string): string {
  const m = /^\+33(\d{9})$/.exec(phone.replace(/[\s.]/g, ''));
  if (!m) return phone;
  return `0${m[1]}`.replace(/(\d{2})(?=\d)/g, '$1 ');
}

/** "2026-01-11" → "11 janvier 2026". */
export function dateInWords(isoDate: string): string {
  const d = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(d);
}

/** Human list: "a, b et c". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}
