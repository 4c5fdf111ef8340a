// Completeness of a place: the weighted share of the standard's useful optional fields that are
// filled. Required fields (nom, adresse…) are always there, so they do not count. Weights say
// what helps a resident most: when it is open, how to reach it, what it offers, for whom.
import type { Lieu } from '../lieux/lieux.schema.ts';

export interface CompletenessItem {
  /** Standard field names that together make this item (any one filled is enough). */
  fields: string[];
  label: string;
  weight: number;
}

/** Documented in docs/accounts.md ("Fraîcheur et complétude"); the weights add up to 100. */
export const completenessItems: CompletenessItem[] = [
  { fields: ['horaires'], label: 'Horaires d’ouverture', weight: 15 },
  { fields: ['services'], label: 'Services proposés', weight: 15 },
  { fields: ['telephone', 'courriels'], label: 'Téléphone ou adresse e-mail', weight: 10 },
  { fields: ['latitude'], label: 'Position sur la carte', weight: 8 },
  { fields: ['presentation_resume'], label: 'Présentation courte', weight: 8 },
  { fields: ['modalites_acces'], label: 'Modalités d’accès', weight: 8 },
  { fields: ['frais_a_charge'], label: 'Frais à charge (gratuit, payant…)', weight: 8 },
  { fields: ['site_web'], label: 'Site web', weight: 5 },
  { fields: ['modalites_accompagnement'], label: 'Modalités d’accompagnement', weight: 5 },
  { fields: ['publics_specifiquement_adresses'], label: 'Publics spécifiquement adressés', weight: 4 },
  { fields: ['typologie'], label: 'Typologie du lieu', weight: 4 },
  { fields: ['fiche_acces_libre'], label: 'Fiche d’accessibilité (acceslibre)', weight: 4 },
  { fields: ['prise_rdv'], label: 'Lien de prise de rendez-vous', weight: 3 },
  { fields: ['presentation_detail'], label: 'Présentation détaillée', weight: 3 },
];

export interface Completeness {
  /** 0 to 100, rounded. */
  score: number;
  /** What to fill in, heaviest first. */
  missing: { label: string; fields: string[]; weight: number }[];
}

function filled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

export function completenessOf(lieu: Partial<Lieu>): Completeness {
  const record = lieu as Record<string, unknown>;
  const total = completenessItems.reduce((sum, item) => sum + item.weight, 0);
  let got = 0;
  const missing: Completeness['missing'] = [];
  for (const item of completenessItems) {
    if (item.fields.some((field) => filled(record[field]))) got += item.weight;
    else missing.push({ label: item.label, fields: item.fields, weight: item.weight });
  }
  missing.sort((a, b) => b.weight - a.weight);
  return { score: Math.round((100 * got) / total), missing };
}
