// Declarative mapping for any CSV/XLSX: for each standard field, where its value comes from
// (a column, several joined columns, a constant), how to split it, how to turn producers'
// words into enumeration values, and a default. Stored as JSON with the source.
import { normalizeText } from '../../lib/text.ts';
import { ImportFileError } from './imports.errors.ts';
import { addValues, isStandardField, multiValueFields, setField, type RawLieu, type StandardField } from './imports.fields.ts';
import { normalizeHeader } from './imports.table.ts';

export interface FieldMapping {
  /** Source column (as written in the file or normalised). */
  from?: string;
  /** Several source columns joined with `separator` (default: a space), blanks skipped. */
  join?: string[];
  separator?: string;
  /** Splits the cell into several values on this string (multi-value fields). */
  split?: string;
  /** Exact producer value (case and accents ignored) → standard value. */
  values?: Record<string, string>;
  /** Producer keyword found anywhere in the cell → standard value (each match adds one). */
  keywords?: Record<string, string>;
  /** A fixed value for every row. */
  constant?: string | string[];
  /** Used when the cell is empty or nothing matched. */
  default?: string | string[];
}

export interface SourceMapping {
  fields: Partial<Record<StandardField, FieldMapping>>;
}

const allowedKeys = new Set(['from', 'join', 'separator', 'split', 'values', 'keywords', 'constant', 'default']);

/** Checks a mapping read from JSON and returns it in canonical form (string shorthand = `from`). */
export function parseMapping(input: unknown): SourceMapping {
  const fail = (message: string): never => {
    throw new ImportFileError(`Mapping invalide : ${message}`);
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('un objet JSON { "fields": { … } } est attendu.');
  const fieldsInput = (input as { fields?: unknown }).fields;
  if (typeof fieldsInput !== 'object' || fieldsInput === null || Array.isArray(fieldsInput)) fail('la clé « fields » doit être un objet.');
  const fields: SourceMapping['fields'] = {};
  for (const [field, spec] of Object.entries(fieldsInput as Record<string, unknown>)) {
    if (!isStandardField(field)) fail(`« ${field} » n'est pas un champ du standard.`);
    const f = field as StandardField;
    if (typeof spec === 'string') {
      fields[f] = { from: spec };
      continue;
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) fail(`la règle du champ « ${field} » doit être un nom de colonne ou un objet.`);
    const rule = spec as Record<string, unknown>;
    for (const key of Object.keys(rule)) if (!allowedKeys.has(key)) fail(`clé « ${key} » inconnue pour le champ « ${field} ».`);
    if (rule.from === undefined && rule.join === undefined && rule.constant === undefined && rule.default === undefined) {
      fail(`le champ « ${field} » n'indique ni « from », ni « join », ni « constant », ni « default ».`);
    }
    if (rule.from !== undefined && typeof rule.from !== 'string') fail(`« from » du champ « ${field} » doit être un texte.`);
    if (rule.join !== undefined && !(Array.isArray(rule.join) && rule.join.every((c) => typeof c === 'string'))) {
      fail(`« join » du champ « ${field} » doit être une liste de colonnes.`);
    }
    for (const key of ['values', 'keywords'] as const) {
      const table = rule[key];
      if (table !== undefined && (typeof table !== 'object' || table === null || Object.values(table).some((v) => typeof v !== 'string'))) {
        fail(`« ${key} » du champ « ${field} » doit associer des textes à des textes.`);
      }
    }
    fields[f] = rule as FieldMapping;
  }
  if (Object.keys(fields).length === 0) fail('aucun champ n\'est décrit.');
  return { fields };
}

/** Source columns a mapping reads, normalised. */
export function mappingColumns(mapping: SourceMapping): string[] {
  return Object.values(mapping.fields).flatMap((rule) => [...(rule.from ? [rule.from] : []), ...(rule.join ?? [])]).map(normalizeHeader);
}

/** Fails when the file lacks a column the mapping reads. */
export function checkMappingColumns(mapping: SourceMapping, headers: string[]): void {
  const present = new Set(headers);
  const missing = [...new Set(mappingColumns(mapping))].filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new ImportFileError(`Colonnes attendues par le mapping mais absentes du fichier : ${missing.join(', ')}.`);
  }
}

function cell(values: Record<string, string>, column: string): string {
  return (values[normalizeHeader(column)] ?? '').trim();
}

function translate(parts: string[], rule: FieldMapping): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (rule.keywords) {
      const text = ` ${normalizeText(part)} `;
      for (const [keyword, value] of Object.entries(rule.keywords)) {
        if (text.includes(` ${normalizeText(keyword)} `)) out.push(value);
      }
      continue;
    }
    if (rule.values) {
      const key = normalizeText(part);
      const hit = Object.entries(rule.values).find(([k]) => normalizeText(k) === key);
      out.push(hit ? hit[1] : part);
      continue;
    }
    out.push(part);
  }
  return out;
}

export function applyMapping(mapping: SourceMapping, values: Record<string, string>): RawLieu {
  const lieu: RawLieu = {};
  for (const [field, rule] of Object.entries(mapping.fields) as [StandardField, FieldMapping][]) {
    let text = '';
    if (rule.constant !== undefined) text = Array.isArray(rule.constant) ? rule.constant.join('|') : rule.constant;
    else if (rule.join) text = rule.join.map((c) => cell(values, c)).filter((v) => v !== '').join(rule.separator ?? ' ');
    else if (rule.from) text = cell(values, rule.from);
    const parts = text === '' ? [] : rule.split ? text.split(rule.split) : multiValueFields.has(field) && rule.constant !== undefined ? text.split('|') : [text];
    const result = translate(parts.map((p) => p.trim()).filter((p) => p !== ''), rule);
    const chosen = result.length > 0 ? result : rule.default === undefined ? [] : Array.isArray(rule.default) ? rule.default : [rule.default];
    if (multiValueFields.has(field)) addValues(lieu, field, chosen);
    else setField(lieu, field, chosen.join(' '));
  }
  return lieu;
}
