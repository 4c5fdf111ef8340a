// data·inclusion structures (+ their services) → standard v1 places. A structure is a place;
// its services bring services, fees, publics and access modes. Vocabulary tables below are
// documented in docs/imports.md.
import type { RowError } from './imports.errors.ts';
import { addValues, idOf, scalarText, setField, splitValues, type RawLieu } from './imports.fields.ts';

/** Headers/keys that identify a data·inclusion structures file. */
export const dataInclusionStructureFields = ['siret', 'lien_source', 'horaires_accueil', 'accessibilite_lieu', 'reseaux_porteurs'];

export const thematiquesToServices: Record<string, string> = {
  'acceder-a-des-services-en-ligne': 'Aide aux démarches administratives',
  'acceder-a-une-connexion-internet': 'Accès internet et matériel informatique',
  'acquerir-un-equipement': 'Acquisition de matériel informatique à prix solidaire',
  'maitriser-les-fondamentaux-du-numerique': 'Maîtrise des outils numériques du quotidien',
  // older vocabulary still emitted by the ANCT library (numerique--…)
  'numerique--realiser-des-demarches-administratives-avec-un-accompagnement': 'Aide aux démarches administratives',
  'numerique--devenir-autonome-dans-les-demarches-administratives': 'Aide aux démarches administratives',
  'numerique--prendre-en-main-un-smartphone-ou-une-tablette': 'Maîtrise des outils numériques du quotidien',
  'numerique--prendre-en-main-un-ordinateur': 'Maîtrise des outils numériques du quotidien',
  'numerique--utiliser-le-numerique-au-quotidien': 'Maîtrise des outils numériques du quotidien',
  'numerique--approfondir-ma-culture-numerique': 'Compréhension du monde numérique',
  'numerique--favoriser-mon-insertion-professionnelle': 'Insertion professionnelle via le numérique',
  'numerique--acceder-a-une-connexion-internet': 'Accès internet et matériel informatique',
  'numerique--acceder-a-du-materiel': 'Accès internet et matériel informatique',
  'numerique--sequiper-en-materiel-informatique': 'Acquisition de matériel informatique à prix solidaire',
  'numerique--creer-avec-le-numerique': 'Loisirs et créations numériques',
  'numerique--soutenir-la-parentalite-et-leducation-avec-le-numerique': 'Parentalité et éducation avec le numérique',
  'numerique--promouvoir-la-citoyennete-numerique': 'Compréhension du monde numérique',
};

export const fraisToFraisACharge: Record<string, string> = { gratuit: 'Gratuit', payant: 'Payant', 'gratuit-sous-conditions': 'Gratuit sous condition' };

export const publicsToPublics: Record<string, string> = {
  jeunes: 'Jeunes',
  etudiants: 'Étudiants',
  familles: 'Familles et/ou enfants',
  seniors: 'Seniors',
  femmes: 'Femmes',
};

export const modesMobilisationToModalitesAcces: Record<string, string> = {
  'se-presenter': 'Se présenter',
  telephoner: 'Téléphoner',
  'envoyer-un-courriel': 'Contacter par mail',
  'utiliser-lien-mobilisation': 'Prendre un RDV en ligne',
};

export const reseauxPorteurs: Record<string, ['dispositif_programmes_nationaux' | 'formations_labels', string]> = {
  'conseillers-numeriques': ['dispositif_programmes_nationaux', 'Conseillers numériques'],
  'aidants-connect': ['dispositif_programmes_nationaux', 'Aidants Connect'],
  'france-service': ['dispositif_programmes_nationaux', 'France Services'],
  'france-services': ['dispositif_programmes_nationaux', 'France Services'],
  'grandes-ecoles-du-numerique': ['dispositif_programmes_nationaux', 'Grande école du numérique'],
  'emmaus-connect': ['dispositif_programmes_nationaux', 'Emmaüs Connect'],
  'promeneurs-du-net': ['dispositif_programmes_nationaux', 'Promeneurs du net'],
  'la-croix-rouge': ['dispositif_programmes_nationaux', 'La Croix Rouge'],
  'fabrique-de-territoire': ['formations_labels', 'Fabriques de Territoire'],
};

/** A list held as an array (JSON) or as a `|` / `,` / `;` separated cell (CSV). */
function list(value: unknown): string[] {
  return splitValues(value, /[|,;]/).map((v) => v.toLowerCase());
}

function mapped(values: string[], table: Record<string, string>): string[] {
  return values.flatMap((v) => (table[v] ? [table[v]] : []));
}

const numeriquePrefix = 'numerique--';

/**
 * A data·inclusion thematique → standard service. The current codes come with or without
 * their `numerique--` category prefix (data·inclusion's own files and Maillage's export carry
 * it, some producers drop it), so both spellings are accepted; unknown codes give nothing.
 */
export function thematiqueToService(code: string): string | undefined {
  const value = code.trim().toLowerCase();
  if (thematiquesToServices[value]) return thematiquesToServices[value];
  if (value.startsWith(numeriquePrefix)) return thematiquesToServices[value.slice(numeriquePrefix.length)];
  return thematiquesToServices[numeriquePrefix + value];
}

/** data·inclusion ids are `source--id`; the local part is the structure's id in its source. */
export function dataInclusionId(structure: Record<string, unknown>): string | null {
  return idOf(structure.id);
}

/** The standard's placeholder for an unknown pivot (ANCT's own tools write it, STANDARD.md). */
export const unknownPivot = '00000000000000';

/**
 * `pivot` is required by the standard while data·inclusion's `siret` and `rna` are optional:
 * the SIRET, else the RNA, else the placeholder (read as "unknown": never used to match places).
 */
export function pivotOf(structure: Record<string, unknown>): string {
  for (const key of ['siret', 'rna']) {
    const value = scalarText(structure[key]).trim();
    if (value !== '') return value;
  }
  return unknownPivot;
}

/**
 * What the mapping of a structure assumes: without a SIRET or an RNA its place gets the
 * placeholder pivot, and can never be matched with another by it (the producer should know).
 */
export function dataInclusionWarnings(structure: Record<string, unknown>): Omit<RowError, 'row'>[] {
  if (pivotOf(structure) !== unknownPivot) return [];
  return [{ field: 'siret', value: '', message: `Ni SIRET ni RNA : le lieu reçoit le pivot inconnu « ${unknownPivot} » et ne pourra pas être rapproché d’un autre lieu par son SIRET.` }];
}

export function mapDataInclusionStructure(structure: Record<string, unknown>, services: Record<string, unknown>[]): RawLieu {
  const lieu: RawLieu = {};
  setField(lieu, 'id', structure.id);
  setField(lieu, 'pivot', pivotOf(structure));
  setField(lieu, 'nom', structure.nom);
  for (const f of ['commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'latitude', 'longitude', 'telephone', 'date_maj'] as const) {
    setField(lieu, f, structure[f]);
  }
  setField(lieu, 'courriels', structure.courriel, /[|,;]/);
  setField(lieu, 'site_web', structure.site_web, /[|,;\s]/);
  setField(lieu, 'horaires', structure.horaires_accueil);
  setField(lieu, 'fiche_acces_libre', structure.accessibilite_lieu);
  setField(lieu, 'source', structure.source);
  setField(lieu, 'typologie', list(structure.typologie).map((t) => (t === 'pe' ? 'FT' : t.toUpperCase())));
  const description = scalarText(structure.description ?? structure.presentation_resume).trim();
  if (description.length > 0 && description.length <= 280) setField(lieu, 'presentation_resume', description);
  else setField(lieu, 'presentation_detail', description);
  setField(lieu, 'presentation_detail', structure.presentation_detail);
  for (const reseau of list(structure.reseaux_porteurs)) {
    const target = reseauxPorteurs[reseau];
    if (target) addValues(lieu, target[0], [target[1]]);
  }
  for (const service of services) {
    addValues(lieu, 'services', list(service.thematiques).flatMap((t) => thematiqueToService(t) ?? []));
    addValues(lieu, 'frais_a_charge', mapped(list(service.frais), fraisToFraisACharge));
    addValues(lieu, 'publics_specifiquement_adresses', mapped(list(service.publics), publicsToPublics));
    addValues(lieu, 'modalites_acces', mapped(list(service.modes_mobilisation), modesMobilisationToModalitesAcces));
    const modes = list(service.modes_accueil);
    if (modes.includes('a-distance')) addValues(lieu, 'modalites_accompagnement', ['À distance']);
    if (!lieu.telephone) setField(lieu, 'telephone', service.telephone);
    if (!lieu.courriels) setField(lieu, 'courriels', service.courriel, /[|,;]/);
  }
  return lieu;
}
