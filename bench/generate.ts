// National-scale generator: `count` places of the national standard (the raw shape
// createLieu accepts), spread like the population over real communes, deterministic for a
// given seed. Used by the benchmarks and to draft the demonstration data.
import { normalizeText } from '../src/lib/text.ts';
import { loadReferenceCommunes, type ReferenceCommune } from './communes.ts';
import { Random } from './random.ts';
import {
  COMPLEMENTS, FORMATIONS_LABELS, FRAIS, HORAIRES, MODALITES_ACCES, MODALITES_ACCOMPAGNEMENT, NAME_PARTS,
  PLACE_KINDS, type PlaceKind, PRISE_EN_CHARGE, PUBLICS, RESUMES, SERVICES, SOURCES, STREET_NAMES, STREET_TYPES,
} from './vocabulary.ts';

/** One place as a producer would send it: standard field names, multi-values as arrays. */
export interface StandardLieu {
  id: string;
  pivot: string;
  nom: string;
  commune: string;
  code_postal: string;
  code_insee: string;
  adresse: string;
  complement_adresse?: string;
  latitude: number;
  longitude: number;
  typologie: string[];
  telephone?: string;
  courriels: string[];
  site_web: string[];
  horaires?: string;
  presentation_resume?: string;
  source?: string;
  itinerance: string[];
  date_maj: string;
  services: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  frais_a_charge: string[];
  dispositif_programmes_nationaux: string[];
  formations_labels: string[];
  autres_formations_labels: string[];
  modalites_acces: string[];
  modalites_accompagnement: string[];
  fiche_acces_libre?: string;
  prise_rdv?: string;
}

export interface GenerateOptions {
  /** date_maj values fall within the two years before this day (fixed for determinism). */
  referenceDate?: string;
  /** Folder holding communes/communes-centres-geoapi-2025.json (defaults: see communes.ts). */
  referenceDir?: string;
}

export const DEFAULT_REFERENCE_DATE = '2026-11-01';

/** Cumulative population weights, for drawing a commune as a random inhabitant would. */
class CommuneSampler {
  private readonly cumulative: Float64Array;

  constructor(private readonly communes: ReferenceCommune[]) {
    this.cumulative = new Float64Array(communes.length);
    let total = 0;
    communes.forEach((commune, i) => {
      total += Math.max(commune.population, 30);
      this.cumulative[i] = total;
    });
  }

  draw(random: Random): ReferenceCommune {
    const target = random.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return this.communes[lo]!;
  }
}

export function generateLieux(count: number, seed: number, options: GenerateOptions = {}): StandardLieu[] {
  const communes = loadReferenceCommunes(options.referenceDir);
  const sampler = new CommuneSampler(communes);
  const random = new Random(seed);
  const referenceDay = Date.parse(`${options.referenceDate ?? DEFAULT_REFERENCE_DATE}T00:00:00Z`);
  const usedNames = new Set<string>();
  const lieux: StandardLieu[] = [];
  for (let i = 0; i < count; i++) {
    lieux.push(generateOne(random, sampler.draw(random), referenceDay, usedNames));
  }
  return lieux;
}

/** One plausible place in `commune`; `kind` is drawn by its share unless given. */
export function generateOne(
  random: Random,
  commune: ReferenceCommune,
  referenceDay: number,
  usedNames: Set<string>,
  kind: PlaceKind = random.weighted(PLACE_KINDS.map((k) => [k, k.weight] as const)),
): StandardLieu {
  const nom = uniqueName(random, kind.names, commune, usedNames);
  const slug = normalizeText(nom).replace(/ /g, '-').slice(0, 40).replace(/-+$/, '');
  const position = jitter(random, commune);
  const services = random.subset(SERVICES);
  if (services.length === 0) services.push(SERVICES[1][0]);
  const modalitesAcces = random.subset(MODALITES_ACCES);
  if (modalitesAcces.length === 0) modalitesAcces.push('Se présenter');
  const modalitesAccompagnement = random.subset(MODALITES_ACCOMPAGNEMENT);
  if (modalitesAccompagnement.length === 0) modalitesAccompagnement.push('Accompagnement individuel');
  const frais = kind.payant && random.chance(0.5) ? 'Payant' : kind.publicService ? 'Gratuit' : random.weighted(FRAIS);
  const lieu: StandardLieu = {
    id: random.uuid(),
    pivot: siret(random),
    nom,
    commune: commune.nom,
    code_postal: random.pick(commune.codesPostaux),
    code_insee: commune.code,
    adresse: streetAddress(random),
    latitude: position.latitude,
    longitude: position.longitude,
    typologie: [...kind.typologie],
    courriels: random.chance(0.85) ? [`contact@${slug}.fr`] : [],
    site_web: random.chance(0.6) ? [`https://www.${slug}.fr`] : [],
    itinerance: [random.chance(0.04) ? 'Itinérant' : 'Fixe'],
    date_maj: new Date(referenceDay - random.int(0, 729) * 86_400_000).toISOString().slice(0, 10),
    services,
    publics_specifiquement_adresses: random.subset(PUBLICS),
    prise_en_charge_specifique: random.subset(PRISE_EN_CHARGE),
    frais_a_charge: [frais],
    dispositif_programmes_nationaux: random.subset(kind.dispositifs),
    formations_labels: random.chance(0.1) ? [random.pick(FORMATIONS_LABELS)] : [],
    autres_formations_labels: [],
    modalites_acces: modalitesAcces,
    modalites_accompagnement: modalitesAccompagnement,
  };
  if (random.chance(0.12)) lieu.complement_adresse = random.pick(COMPLEMENTS);
  if (random.chance(0.9)) lieu.telephone = telephone(random, commune);
  if (random.chance(0.93)) lieu.horaires = random.weighted(HORAIRES);
  if (random.chance(0.7)) lieu.presentation_resume = random.pick(RESUMES);
  if (random.chance(0.8)) lieu.source = random.pick(SOURCES);
  if (random.chance(0.1)) lieu.prise_rdv = `https://www.rdv-solidarites.fr/prendre_rdv?departement=${commune.codeDepartement}`;
  if (random.chance(0.08)) lieu.fiche_acces_libre = `https://acceslibre.beta.gouv.fr/app/${commune.codeDepartement}-${slug}/`;
  return lieu;
}

export function uniqueName(random: Random, patterns: string[], commune: ReferenceCommune, usedNames: Set<string>): string {
  const base = random.pick(patterns).replace('{c}', commune.nom).replace('{x}', random.pick(NAME_PARTS));
  const candidates = [
    base,
    base.includes(commune.nom) ? `${base} – ${random.pick(STREET_NAMES)}` : `${base} – ${commune.nom}`,
    `${base} – ${commune.nom} ${random.pick(STREET_NAMES)}`,
  ];
  let name = candidates.find((candidate) => !usedNames.has(normalizeText(candidate)));
  for (let n = 2; !name; n++) {
    const numbered = `${base} – ${commune.nom} (site ${n})`;
    if (!usedNames.has(normalizeText(numbered))) name = numbered;
  }
  usedNames.add(normalizeText(name));
  return name;
}

/** A point uniformly spread in a disc around the commune centre, wider for big towns. */
export function jitter(random: Random, commune: ReferenceCommune): { latitude: number; longitude: number } {
  const radiusKm = Math.min(5, 0.3 + 0.004 * Math.sqrt(commune.population));
  const distance = radiusKm * Math.sqrt(random.next());
  const angle = random.next() * 2 * Math.PI;
  const dLat = (distance * Math.cos(angle)) / 111.32;
  const dLon = (distance * Math.sin(angle)) / (111.32 * Math.cos((commune.latitude * Math.PI) / 180));
  return { latitude: round(commune.latitude + dLat, 6), longitude: round(commune.longitude + dLon, 6) };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function streetAddress(random: Random): string {
  const type = random.weighted(STREET_TYPES);
  const number = type === 'place' || random.chance(0.1) ? '' : `${random.int(1, 120)}${random.chance(0.05) ? ' bis' : ''} `;
  return `${number}${type} ${random.pick(STREET_NAMES)}`.replace(/^./, (c) => c.toUpperCase());
}

/** 14 digits that pass the Luhn check, like a real SIRET. */
export function siret(random: Random): string {
  const body = String(random.pick([2, 3, 4, 5, 7, 8])) + random.digits(12);
  return body + luhnCheckDigit(body);
}

export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

const OVERSEAS_PREFIX: Record<string, string> = { '971': '+590590', '972': '+596596', '973': '+594594', '974': '+262262', '976': '+269269' };
const REGION_DIGIT: Record<string, string> = {
  '11': '1', '24': '2', '28': '2', '52': '2', '53': '2', '27': '3', '32': '3', '44': '3',
  '84': '4', '93': '4', '94': '4', '75': '5', '76': '5',
};

/** A landline of the commune's area (or a mobile), in +33 form as the standard requires. */
function telephone(random: Random, commune: ReferenceCommune): string {
  const overseas = OVERSEAS_PREFIX[commune.codeDepartement];
  if (overseas) return overseas + random.digits(6);
  const first = random.chance(0.15) ? random.pick(['6', '7']) : (REGION_DIGIT[commune.codeRegion] ?? '9');
  return `+33${first}${random.digits(8)}`;
}
