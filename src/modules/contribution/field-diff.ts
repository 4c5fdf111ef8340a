// The field-level diff people read (edit confirmation, history): one entry per standard field
// that changed, in the standard's order, with its French label; a list says which items were
// added and removed rather than repeating both lists.
import { multiValuedFields, standardFields } from '../lieux/lieux.schema.ts';
import { labelOf } from './field-labels.ts';

export type FieldDiff =
  | { field: string; label: string; list: false; from: string | null; to: string | null }
  | { field: string; label: string; list: true; added: string[]; removed: string[] };

const listFields = new Set<string>(multiValuedFields);

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === null || value === undefined || value === '' ? [] : [String(value)]);

/** A single value as shown: null when empty. */
export const shown = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length ? value.join(', ') : null;
  const text = String(value);
  return text.trim() === '' ? null : text;
};

/** `changes` as lieu_versions stores it: `{ field: { from, to } }`; derived fields are left out. */
export function fieldDiff(changes: Record<string, { from: unknown; to: unknown }>): FieldDiff[] {
  const entries: FieldDiff[] = [];
  for (const field of standardFields) {
    const change = changes[field];
    if (!change || field === 'id') continue;
    if (listFields.has(field)) {
      const before = asList(change.from);
      const after = asList(change.to);
      const added = after.filter((v) => !before.includes(v));
      const removed = before.filter((v) => !after.includes(v));
      // Same items in another order: nothing a reader would call a change.
      if (added.length || removed.length) entries.push({ field, label: labelOf(field), list: true, added, removed });
    } else {
      entries.push({ field, label: labelOf(field), list: false, from: shown(change.from), to: shown(change.to) });
    }
  }
  return entries;
}
