// The place edit form as data: which standard fields it shows and how (text, lines, checkboxes
// of the standard's enumerations), the values of a place as the form shows them, and the
// patch a submitted form makes: only the fields whose value differs from the place's, so an
// untouched field is never recorded as the account's edit (nor a commune-centre position).
import { enumerations, type EnumeratedField, type Lieu, type StandardField } from '../lieux/lieux.schema.ts';
import { fieldLabels } from './field-labels.ts';

export type FormKind = 'text' | 'textarea' | 'lines' | 'codes' | 'checkboxes' | 'number' | 'tel' | 'url';

export interface FormField {
  field: StandardField;
  label: string;
  kind: FormKind;
  hint?: string;
  required?: boolean;
  options?: readonly string[];
}

export interface FormSection {
  title: string;
  fields: FormField[];
}

const f = (field: StandardField, kind: FormKind, extra: Omit<FormField, 'field' | 'label' | 'kind'> = {}): FormField => ({
  field,
  label: fieldLabels[field],
  kind,
  ...extra,
});
const choices = (field: EnumeratedField, extra: Omit<FormField, 'field' | 'label' | 'kind'> = {}) => f(field, 'checkboxes', { options: enumerations[field], ...extra });

/** Every standard field a person may edit; `id`, `code_insee` (derived from the commune) and `date_maj` (set on save) are not. */
export const formSections: FormSection[] = [
  {
    title: 'Le lieu',
    fields: [
      f('nom', 'text', { required: true }),
      f('pivot', 'text', { required: true, hint: 'SIRET (14 chiffres) ou numéro RNA de la structure qui porte le lieu.' }),
      f('typologie', 'codes', { hint: 'Codes de la typologie du standard, séparés par des virgules (par exemple : EPN, BIB, MUNI).' }),
      f('structure_parente', 'text'),
      f('presentation_resume', 'textarea', { hint: '280 caractères au plus.' }),
      f('presentation_detail', 'textarea'),
    ],
  },
  {
    title: 'Adresse et position',
    fields: [
      f('adresse', 'text', { required: true, hint: 'Par exemple : 2 rue Bauzonnet.' }),
      f('complement_adresse', 'text'),
      f('code_postal', 'text', { required: true }),
      f('commune', 'text', { required: true }),
      f('latitude', 'number', { hint: 'En degrés décimaux, par exemple : 47.092.' }),
      f('longitude', 'number', { hint: 'En degrés décimaux, par exemple : 5.49.' }),
      choices('itinerance'),
    ],
  },
  {
    title: 'Horaires et accès',
    fields: [
      f('horaires', 'text', { hint: 'Syntaxe OpenStreetMap, par exemple : Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off' }),
      choices('modalites_acces'),
      f('prise_rdv', 'url', { hint: 'Adresse de la page de prise de rendez-vous, https://…' }),
      choices('frais_a_charge'),
      f('fiche_acces_libre', 'url', { hint: 'Adresse de la fiche du lieu sur acceslibre.beta.gouv.fr.' }),
    ],
  },
  {
    title: 'Contact',
    fields: [
      f('telephone', 'tel', { hint: 'Par exemple : 03 84 00 00 00.' }),
      f('courriels', 'lines', { hint: 'Une adresse par ligne.' }),
      f('site_web', 'lines', { hint: 'Une adresse par ligne, https://…' }),
    ],
  },
  {
    title: 'Services et publics',
    fields: [
      choices('services'),
      choices('modalites_accompagnement'),
      choices('publics_specifiquement_adresses'),
      choices('prise_en_charge_specifique'),
    ],
  },
  {
    title: 'Dispositifs, formations et labels',
    fields: [choices('dispositif_programmes_nationaux'), choices('formations_labels'), f('autres_formations_labels', 'lines', { hint: 'Un label par ligne.' }), f('source', 'text')],
  },
];

export const formFields: FormField[] = formSections.flatMap((s) => s.fields);

/** A submitted form: one string per name, or several for checkboxes (and repeated hidden inputs). */
export type FormValues = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? ''));
const many = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : value ? [value] : []);

/** The form's values for a place, as its controls show them. */
export function formValuesOf(lieu: Lieu): FormValues {
  const values: FormValues = {};
  const record = lieu as unknown as Record<string, unknown>;
  for (const { field, kind } of formFields) {
    const value = record[field];
    if (kind === 'checkboxes') values[field] = Array.isArray(value) ? value.map(String) : [];
    else if (kind === 'lines') values[field] = Array.isArray(value) ? value.join('\n') : '';
    else if (kind === 'codes') values[field] = Array.isArray(value) ? value.join(', ') : '';
    else values[field] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/** What one control submitted, as a value of the standard (not yet validated). */
function parsed(field: FormField, raw: string | string[] | undefined): string | string[] | null {
  switch (field.kind) {
    case 'checkboxes':
      return [...new Set(many(raw).map((v) => v.trim()).filter(Boolean))];
    case 'lines':
      return one(raw).split(/\r?\n/).map((v) => v.trim()).filter(Boolean);
    case 'codes':
      return one(raw).split(/[\s,;|]+/).map((v) => v.trim()).filter(Boolean);
    default: {
      const text = one(raw).trim();
      return text === '' ? null : text;
    }
  }
}

function sameValue(field: FormField, next: string | string[] | null, current: unknown): boolean {
  if (Array.isArray(next)) {
    const before = Array.isArray(current) ? current.map(String) : [];
    // Checkboxes follow the enumeration's order: the same set is the same value.
    if (field.kind === 'checkboxes') return next.length === before.length && next.every((v) => before.includes(v));
    return JSON.stringify(next) === JSON.stringify(before);
  }
  if (next === null) return current === null || current === undefined || current === '';
  if (field.kind === 'number') return typeof current === 'number' && Number(next.replace(',', '.')) === current;
  return next === current;
}

/** The fields a submitted form changes, with their new values (validated later by the use case). */
export function patchOf(lieu: Lieu, form: FormValues): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const record = lieu as unknown as Record<string, unknown>;
  for (const field of formFields) {
    const next = parsed(field, form[field.field]);
    if (sameValue(field, next, record[field.field])) continue;
    patch[field.field] = field.kind === 'number' && typeof next === 'string' ? next.replace(',', '.') : next;
  }
  return patch;
}

/** Only the form's own names survive (the rest of a posted body is ignored). */
export function formValuesFrom(body: FormValues): FormValues {
  const values: FormValues = {};
  for (const { field, kind } of formFields) values[field] = kind === 'checkboxes' ? many(body[field]) : one(body[field]);
  return values;
}
