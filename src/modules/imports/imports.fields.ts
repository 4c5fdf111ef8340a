// The standard v1 field names as the readers produce them, and helpers shared by the format
// adapters. Validation and normalisation of values belong to lieux.schema.ts, not here.
import type { RowError } from './imports.errors.ts';

export const standardFields = [
  'id', 'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse',
  'latitude', 'longitude', 'typologie', 'telephone', 'courriels', 'site_web', 'horaires',
  'presentation_resume', 'presentation_detail', 'source', 'itinerance', 'structure_parente', 'date_maj',
  'services', 'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge',
  'dispositif_programmes_nationaux', 'formations_labels', 'autres_formations_labels', 'modalites_acces',
  'modalites_accompagnement', 'fiche_acces_libre', 'prise_rdv',
] as const;

export type StandardField = (typeof standardFields)[number];

/** Fields holding several values (`|`-separated in v1 CSV, arrays in JSON and in the registry). */
export const multiValueFields: ReadonlySet<string> = new Set<StandardField>([
  'typologie', 'courriels', 'site_web', 'itinerance', 'services', 'publics_specifiquement_adresses',
  'prise_en_charge_specifique', 'frais_a_charge', 'dispositif_programmes_nationaux', 'formations_labels',
  'autres_formations_labels', 'modalites_acces', 'modalites_accompagnement',
]);

const standardSet: ReadonlySet<string> = new Set(standardFields);

export function isStandardField(name: string): name is StandardField {
  return standardSet.has(name);
}

/** A place as read from a source, keyed by standard names, before validation. */
export type RawLieu = Partial<Record<StandardField, string | string[]>>;

/** One usable record of a source file. */
export interface SourceRecord {
  /** Line (CSV) or 1-based position (JSON) in the file, for error reports. */
  row: number;
  /** The record's id in its source (standard `id`, data·inclusion id…), when it has one. */
  externalId: string | null;
  /** The row exactly as read, stored with its content hash. */
  raw: Record<string, unknown>;
  lieu: RawLieu;
  /** What the mapping had to assume for this record (e.g. an unknown pivot), reported as warnings. */
  warnings?: RowError[];
}

/** Splits a multi-value cell; arrays are kept; blanks removed; duplicates kept once. */
export function splitValues(value: unknown, separator: string | RegExp): string[] {
  if (typeof value === 'string' && typeof separator === 'string' && separator !== '' && !value.includes(separator)) {
    // One value, the usual case: no array, set or copy to make.
    const single = value.trim();
    return single === '' ? [] : [single];
  }
  const parts = Array.isArray(value) ? value.map(scalarText) : scalarText(value).split(separator);
  if (parts.length > 16) return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))];
  const values: string[] = [];
  for (const part of parts) {
    const trimmed = part.trim();
    if (trimmed !== '' && !values.includes(trimmed)) values.push(trimmed);
  }
  return values;
}

/** A cell as text: numbers and booleans as written, null/undefined as ''. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Copies a value into the record, skipping blanks, splitting multi-value fields. */
export function setField(lieu: RawLieu, field: StandardField, value: unknown, separator: string | RegExp = '|'): void {
  if (multiValueFields.has(field)) {
    const values = splitValues(value, separator);
    if (values.length > 0) {
      const current = lieu[field] as string[] | undefined;
      lieu[field] = current === undefined ? values : [...new Set([...current, ...values])];
    }
    return;
  }
  const text = (typeof value === 'string' ? value : Array.isArray(value) ? value.map(scalarText).join(', ') : scalarText(value)).trim();
  if (text !== '') lieu[field] = text;
}

/** Adds values to a multi-value field, keeping order and dropping duplicates. */
export function addValues(lieu: RawLieu, field: StandardField, values: string[]): void {
  if (values.length === 0) return;
  lieu[field] = [...new Set([...((lieu[field] as string[] | undefined) ?? []), ...values])];
}

export function idOf(value: unknown): string | null {
  const text = scalarText(value).trim();
  return text === '' ? null : text;
}
