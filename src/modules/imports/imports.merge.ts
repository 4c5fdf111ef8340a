// Per-field conflict rules of the federated registry (pure, no database). A place's value of
// each field is computed from the last value every contributor gave for it: sources (with
// their priority), accounts (managers, moderators), and "registry" values of unknown origin
// (demo data, CLI writes, places older than provenance). The rules and why: docs/imports.md
// ("Conflict rules").
//
// How to call it (import apply stage, place merge):
//
//   import { mergeIncoming, emptyState } from './imports.merge.ts';
//   import { loadMergeState, saveMergeResult } from './imports.merge.repository.ts';
//   const state = link ? await loadMergeState(db, lieuId) : emptyState();
//   const result = mergeIncoming(state, {
//     origin: { kind: 'source', id: source.id, priority: source.priority },
//     at: now,                      // when the source gave these values (run time)
//     record: input,                // the validated record; absent or null = the source gives nothing
//   });
//   // result.fields: every merge field, to write (createLieu / updateLieu with only result.changed);
//   // result.changed: fields whose value changed; result.conflicts: source values refused
//   // because an account edited the field (show them, never apply them silently);
//   // then saveMergeResult(db, lieuId, result, runId) stores contributions and provenance.
//
// In bulk (the planned apply stage): `loadMergeStates(db, currentRows)` gives a Map of states
// by place id (one query per table for all places); after planning, `contributionRows(lieuId,
// result.contributions, runId)` for each place and ONE `replaceContributions(db, lieuIds, rows)`;
// lieu_field_provenance gets, per field, `result.provenance[field][0]` when it is a source.
// A new place: `mergeIncoming(emptyState(), …)`. Account edits need no call: they are read back
// from lieu_versions by loadMergeStates. Merge/split of places: imports.duplicates.ts.
//
// mergeIncoming never throws and never mutates its arguments.

/** The standard fields a place's value is merged on (every standard field but `id`). */
export const mergeFields = [
  'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'latitude',
  'longitude', 'typologie', 'telephone', 'courriels', 'site_web', 'horaires', 'presentation_resume',
  'presentation_detail', 'source', 'itinerance', 'structure_parente', 'date_maj', 'services',
  'publics_specifiquement_adresses', 'prise_en_charge_specifique', 'frais_a_charge',
  'dispositif_programmes_nationaux', 'formations_labels', 'autres_formations_labels', 'modalites_acces',
  'modalites_accompagnement', 'fiche_acces_libre', 'prise_rdv',
] as const; // prettier-ignore

export type MergeField = (typeof mergeFields)[number];

/** Every multi-valued field of STANDARD.md: unioned across sources. */
export const listFields: ReadonlySet<MergeField> = new Set<MergeField>([
  'typologie', 'courriels', 'site_web', 'itinerance', 'services', 'publics_specifiquement_adresses',
  'prise_en_charge_specifique', 'frais_a_charge', 'dispositif_programmes_nationaux', 'formations_labels',
  'autres_formations_labels', 'modalites_acces', 'modalites_accompagnement',
]); // prettier-ignore

/**
 * Fields that only make sense together: they all come from the contributor that wins the
 * group, so an address never mixes one source's street with another's commune.
 */
export const fieldGroups: readonly (readonly MergeField[])[] = [
  ['adresse', 'code_postal', 'commune', 'code_insee'],
  ['latitude', 'longitude'],
];

export type MergeValue = string | number | string[] | null;
export type MergeRecord = Partial<Record<MergeField, MergeValue>>;

export type Origin =
  | { kind: 'source'; id: string; priority: number }
  /** A signed-in person (manager, moderator…): outranks every source. */
  | { kind: 'account'; id: string }
  /** A value whose contributor is unknown: ranks like a source of priority 0. */
  | { kind: 'registry' };

/** The last value one contributor gave for one field (empty values are kept: they clear). */
export interface Contribution {
  origin: Origin;
  value: MergeValue;
  /** When the contributor gave this value (kept while the value does not change). */
  at: Date;
}

export type Contributions = Partial<Record<MergeField, Contribution[]>>;

export interface MergeState {
  /** The place's current values (absent = empty). */
  fields: MergeRecord;
  contributions: Contributions;
  /** The current position is the commune centre, not the place's: it is nobody's value. */
  position_approximate?: boolean;
}

export interface Incoming {
  origin: Origin;
  at: Date;
  record: MergeRecord;
  /**
   * true for a patch (an account edit): only the fields present in `record` are given.
   * false (default, a source's whole record): an absent field means the contributor gives nothing.
   */
  partial?: boolean;
  /**
   * The record's position is its commune centre (validation's fallback): it counts as no
   * position, so it never beats a source that knows where the building is.
   */
  position_approximate?: boolean;
}

/** A source value refused because an account edited the field: to show, never to apply silently. */
export interface MergeConflict {
  field: MergeField;
  /** The value kept (the account's). */
  kept: MergeValue;
  /** What the source gives. */
  incoming: MergeValue;
  account: string;
  edited_at: Date;
}

export interface MergeResult {
  /** Every merge field's new value. */
  fields: Record<MergeField, MergeValue>;
  contributions: Contributions;
  /** Fields whose value differs from the state's, in mergeFields order. */
  changed: MergeField[];
  /** Who gave each field's value: one origin for a single value, every contributor kept in a list. */
  provenance: Partial<Record<MergeField, { origin: Origin; at: Date }[]>>;
  conflicts: MergeConflict[];
}

export function emptyState(): MergeState {
  return { fields: {}, contributions: {} };
}

export function originKey(origin: Origin): string {
  return origin.kind === 'registry' ? 'registry' : `${origin.kind}:${origin.id}`;
}

export function isEmptyValue(value: MergeValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'string' && value.trim() === '';
}

/** `00000000000000` and other all-same-digit pivots say nothing: any real pivot beats them. */
export function isPlaceholderPivot(value: MergeValue | undefined): boolean {
  return typeof value === 'string' && /^(\d)\1+$/.test(value.replace(/\s/g, ''));
}

/** Equal values (lists in the same order); runs for every field of every imported record. */
function same(x: MergeValue | undefined, y: MergeValue | undefined): boolean {
  const a = x ?? null;
  const b = y ?? null;
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sort key, best first: accounts (latest edit first), then sources by priority, then recency. */
function compareContributions(x: Contribution, y: Contribution): number {
  const accountX = x.origin.kind === 'account' ? 1 : 0;
  const accountY = y.origin.kind === 'account' ? 1 : 0;
  if (accountX !== accountY) return accountY - accountX;
  const priority = (c: Contribution) => (c.origin.kind === 'source' ? c.origin.priority : 0);
  if (priority(x) !== priority(y)) return priority(y) - priority(x);
  if (x.at.getTime() !== y.at.getTime()) return y.at.getTime() - x.at.getTime();
  return originKey(x.origin) < originKey(y.origin) ? -1 : originKey(x.origin) > originKey(y.origin) ? 1 : 0;
}

/** A contribution that may decide a field: an account's (even empty: a deliberate clear), or a non-empty value. */
const counts = (c: Contribution) => c.origin.kind === 'account' || !isEmptyValue(c.value);

/** The contributor whose value a scalar field (or a group) takes, or undefined when nobody gives one. */
function winnerOf(contributions: Contribution[], field: MergeField): Contribution | undefined {
  const ranked = contributions.filter(counts).sort(compareContributions);
  if (field === 'pivot') return ranked.find((c) => c.origin.kind === 'account' || !isPlaceholderPivot(c.value)) ?? ranked[0];
  if (field === 'date_maj') {
    // The record as a whole was last updated at the latest date any contributor states.
    return ranked.filter((c) => !isEmptyValue(c.value)).sort((x, y) => String(y.value).localeCompare(String(x.value)))[0];
  }
  return ranked[0];
}

function listValue(contributions: Contribution[]): { value: string[]; from: Contribution[] } {
  const ranked = [...contributions].sort(compareContributions);
  const account = ranked.find((c) => c.origin.kind === 'account');
  // A person curated this list: sources add nothing to it any more (conflicts tell what they give).
  if (account) return { value: asList(account.value), from: [account] };
  const value: string[] = [];
  const from: Contribution[] = [];
  for (const c of ranked) {
    const fresh = asList(c.value).filter((v) => !value.includes(v));
    if (asList(c.value).length > 0) from.push(c);
    value.push(...fresh);
  }
  return { value, from };
}

const asList = (value: MergeValue | undefined): string[] => (Array.isArray(value) ? value : isEmptyValue(value) ? [] : [String(value)]);

/** Replaces (or adds) one contributor's value of a field; an unchanged value keeps its date. */
function withContribution(list: Contribution[] | undefined, next: Contribution): Contribution[] {
  const key = originKey(next.origin);
  const previous = (list ?? []).find((c) => originKey(c.origin) === key);
  const kept = (list ?? []).filter((c) => originKey(c.origin) !== key);
  const at = previous && same(previous.value, next.value) ? previous.at : next.at;
  return [...kept, { origin: next.origin, value: next.value, at }];
}

/**
 * Values already in the place that no contributor accounts for (a place created by the CLI,
 * demo data, rows older than provenance) become a "registry" contribution, so they are neither
 * lost nor allowed to outrank a real source.
 */
function withRegistryValues(state: MergeState): Contributions {
  const contributions: Contributions = { ...state.contributions };
  for (const field of mergeFields) {
    const value = state.fields[field];
    if (isEmptyValue(value) || (state.position_approximate && positionFields.has(field))) continue;
    const list = contributions[field] ?? [];
    const explained = listFields.has(field)
      ? asList(value).every((v) => list.some((c) => asList(c.value).includes(v)))
      : list.some((c) => same(c.value, value));
    if (!explained && !list.some((c) => c.origin.kind === 'registry')) {
      contributions[field] = [...list, { origin: { kind: 'registry' }, value: value ?? null, at: new Date(0) }];
    }
  }
  return contributions;
}

/**
 * Recomputes every field from the contributions. With `approximate`, the current position is
 * a commune centre: a result without any position is not a change (validation derives the
 * centre again).
 */
export function resolve(contributions: Contributions, current: MergeRecord = {}, approximate = false): Omit<MergeResult, 'conflicts'> {
  const fields = {} as Record<MergeField, MergeValue>;
  const provenance: MergeResult['provenance'] = {};
  for (const field of mergeFields) {
    if (grouped.has(field)) continue;
    const list = contributions[field] ?? [];
    if (listFields.has(field)) {
      const { value, from } = listValue(list);
      fields[field] = value;
      if (from.length) provenance[field] = from.map((c) => ({ origin: c.origin, at: c.at }));
    } else {
      const winner = winnerOf(list, field);
      fields[field] = winner ? winner.value : null;
      if (winner) provenance[field] = [{ origin: winner.origin, at: winner.at }];
    }
  }
  for (const group of fieldGroups) {
    const candidates = group.flatMap((field) => contributions[field] ?? []).filter(counts).sort(compareContributions);
    const winner = candidates[0];
    for (const field of group) {
      if (!winner) {
        fields[field] = null;
        continue;
      }
      const own = (contributions[field] ?? []).find((c) => originKey(c.origin) === originKey(winner.origin));
      // A patch touching part of a group keeps the other parts as they are.
      fields[field] = own ? own.value : (current[field] ?? null);
      provenance[field] = [{ origin: winner.origin, at: own?.at ?? winner.at }];
    }
  }
  const keepsCentre = approximate && fields.latitude === null;
  const changed = mergeFields.filter((f) => !(keepsCentre && positionFields.has(f)) && !same(normalised(f, current[f]), fields[f]));
  return { fields, contributions, changed, provenance };
}

const grouped: ReadonlySet<MergeField> = new Set(fieldGroups.flat());
const positionFields: ReadonlySet<MergeField> = new Set<MergeField>(['latitude', 'longitude']);

const normalised = (field: MergeField, value: MergeValue | undefined): MergeValue => (listFields.has(field) ? asList(value) : (value ?? null));

/** Applies one contributor's record to a place. */
export function mergeIncoming(state: MergeState, incoming: Incoming): MergeResult {
  const contributions = withRegistryValues(state); // a fresh object: ours to fill
  const given = mergeFields.filter((f) => !incoming.partial || Object.prototype.hasOwnProperty.call(incoming.record, f));
  for (const field of given) {
    const value = incoming.position_approximate && positionFields.has(field) ? null : normalised(field, incoming.record[field]);
    contributions[field] = withContribution(contributions[field], { origin: incoming.origin, value, at: incoming.at });
  }
  const resolved = resolve(contributions, state.fields, state.position_approximate);
  const conflicts: MergeConflict[] = [];
  if (incoming.origin.kind !== 'account') {
    for (const field of given) {
      // date_maj is the latest date anyone states, whoever gave it.
      if (field === 'date_maj') continue;
      const value = normalised(field, incoming.record[field]);
      if (isEmptyValue(value) || (incoming.position_approximate && positionFields.has(field))) continue;
      const holder = resolved.provenance[field]?.[0];
      if (holder?.origin.kind !== 'account') continue;
      const kept = resolved.fields[field];
      const refused = listFields.has(field) ? asList(value).some((v) => !asList(kept).includes(v)) : !same(value, kept);
      if (refused) conflicts.push({ field, kept, incoming: value, account: holder.origin.id, edited_at: holder.at });
    }
  }
  return { ...resolved, conflicts };
}

/** Between two values of one contributor (B's over A's): A's unless empty, a placeholder pivot, or older. */
function betterSameOrigin(field: MergeField, mine: Contribution, theirs: Contribution): boolean {
  if (isEmptyValue(theirs.value)) return false;
  if (isEmptyValue(mine.value)) return true;
  if (field === 'pivot' && isPlaceholderPivot(mine.value) !== isPlaceholderPivot(theirs.value)) return isPlaceholderPivot(mine.value);
  return theirs.at > mine.at;
}

/**
 * Combines two places' contributions (merge of B into A): each contributor keeps its latest
 * value per field, then the same rules decide. `a` is the place kept, whose values are the
 * "current" ones for change detection.
 */
export function combineStates(a: MergeState, b: MergeState): MergeResult {
  const ca = withRegistryValues(a);
  const cb = withRegistryValues(b);
  const contributions: Contributions = {};
  for (const field of mergeFields) {
    let list = ca[field] ?? [];
    for (const c of cb[field] ?? []) {
      const mine = list.find((x) => originKey(x.origin) === originKey(c.origin));
      // One contributor listed in both places (two registry values, one source twice): newest wins, lists unioned.
      if (!mine) list = [...list, c];
      else if (listFields.has(field)) list = list.map((x) => (x === mine ? { ...x, value: [...new Set([...asList(x.value), ...asList(c.value)])], at: x.at > c.at ? x.at : c.at } : x));
      else if (betterSameOrigin(field, mine, c)) list = list.map((x) => (x === mine ? c : x));
    }
    if (list.length) contributions[field] = list;
  }
  return { ...resolve(contributions, a.fields, a.position_approximate), conflicts: [] };
}
