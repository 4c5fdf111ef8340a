// What an import run writes, computed in memory (no database here). Two steps:
//  1. prepareRecords: per record, its key and content hash; an unchanged row (same hash, still
//     linked) stops there; otherwise positions are checked and the record is validated and
//     enriched ONCE (territory codes, commune centre) from the in-memory territories.
//  2. createPlanner: given the current rows of the places concerned, decides for each accepted
//     record: update its linked place (republishing it if it comes back), attach it to a place
//     of another source it strongly duplicates (merge), or create a place; the values of an
//     existing place follow the conflict rules (imports.merge.ts); and lists every row to
//     write: places, versions, change-log entries, links, provenance, contributions, raw rows.
// The rules are those of the lieux use cases (history, change log, "nothing changes → nothing
// written"), applied to whole sets so the SQL stage can write them in bulk.
import { hash, randomUUID } from 'node:crypto';
import type { LieuRow } from '../../db/database.ts';
import { normalizeText, searchKeys } from '../../lib/text.ts';
import { diff, recordOf } from '../lieux/lieux.use-cases.ts';
import type { LieuValue } from '../lieux/lieux.schema.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import type { Territories } from '../territories/territories.types.ts';
import type { Source } from '../sources/sources.use-cases.ts';
import type { ChangeWrite, ImportRowWrite, LinkWrite, VersionWrite } from './imports.bulk-write.ts';
import type { SourceFields } from './imports.provenance.ts';
import { checkPosition, type GeocodedPosition } from './imports.coordinates.ts';
import type { DedupIndex } from './imports.dedup-index.ts';
import { isRealPivot, type DedupRecord, type PairScore } from './imports.dedup.ts';
import { emptyState, mergeFields, mergeIncoming, type MergeRecord, type MergeResult, type MergeState, type MergeValue } from './imports.merge.ts';
import { contributionRows, type ContributionRow } from './imports.merge.repository.ts';
import type { RowError } from './imports.errors.ts';
import { conflictOf, type ConflictWrite } from './imports.conflicts.ts';
import { standardFields, type RawLieu, type SourceRecord } from './imports.fields.ts';

export type Problem = RowError & { severity: 'error' | 'warning' };

export interface LinkState {
  lieu_id: string;
  removed_at: Date | null;
}

export interface PlanContext {
  source: Source;
  format: string;
  territories: Territories;
  now: Date;
  /** Raw rows of the source's previous runs, by record key. */
  previousRows: Map<string, { hash: string; lieu_id: string | null }>;
  /** The source's links, by record key. */
  links: Map<string, LinkState>;
  /** Positions geocoded before the transaction (imports.geocoding.ts), by record row. */
  geocoded?: ReadonlyMap<number, GeocodedPosition>;
}

export interface PreparedRecord {
  /** The record's row in the file (its row and raw values only: the mapped record is let go once validated). */
  record: Pick<SourceRecord, 'row'>;
  /** The raw row as JSON, stored in import_rows (a string takes far less memory than the parsed row). */
  rawJson: string;
  key: string;
  hash: string;
  link: LinkState | undefined;
  /**
   * The id of the place the record creates, if it creates one (no link, or its linked place is
   * gone, and no merge). Drawn early so that its duplicate pairs, scored before planning, name that place.
   */
  newId: string;
  /** Validated and enriched once; written as is (every standard field, absent ones empty). */
  value: LieuValue;
}

/** What preparing a file's chunks accumulates (each chunk's accepted records are returned, not kept). */
export interface Prepared {
  /** Keys of rows skipped because their content hash is unchanged. */
  unchangedKeys: string[];
  /** Raw rows of rejected records (stored without a place). */
  rejectedRows: ImportRowWrite[];
  seen: Set<string>;
  problems: Problem[];
  rejected: number;
  warnings: number;
}

/** The record's key in its source: its own id, or its normalised name and postal code. */
export function recordKey(record: SourceRecord): string {
  if (record.externalId) return record.externalId;
  return `nom:${normalizeText(String(record.lieu.nom ?? ''))}|${String(record.lieu.code_postal ?? '')}`;
}

export function contentHash(record: SourceRecord, format: string, source: Source): string {
  return hashOfRaw(JSON.stringify(record.raw), format, source);
}

/** contentHash from the raw row's JSON: the same text as JSON.stringify([format, mapping, raw]). */
function hashOfRaw(rawJson: string, format: string, source: Source): string {
  // The mapping and format are part of the content: a new mapping must re-map every row.
  return hash('sha256', `${hashPrefix(format, source.mapping ?? null)}${rawJson}]`, 'base64url');
}

/** `[format,mapping,` as JSON, computed once per run rather than once per row (a mapping can be long). */
let lastPrefix: { format: string; mapping: unknown; text: string } | undefined;
function hashPrefix(format: string, mapping: unknown): string {
  if (lastPrefix?.format !== format || lastPrefix.mapping !== mapping) {
    lastPrefix = { format, mapping, text: `[${JSON.stringify(format)},${JSON.stringify(mapping)},` };
  }
  return lastPrefix.text;
}

/** Every standard field but `id`, in order, all null. */
const emptyRecord: Readonly<Record<string, null>> = Object.fromEntries(standardFields.filter((f) => f !== 'id').map((f) => [f, null]));

/** Every standard field, absent ones as null, so an update clears what the source no longer gives. */
function fullRecord(lieu: RawLieu): Record<string, unknown> {
  // A copy of the all-null record (one allocation, one shape), then the fields the record has.
  const record: Record<string, unknown> = { ...emptyRecord };
  for (const field in lieu) if (Object.hasOwn(emptyRecord, field)) record[field] = lieu[field as keyof RawLieu] ?? null;
  return record;
}

/**
 * Prepares a file's records chunk by chunk, in file order: each call returns the chunk's
 * accepted records; keys seen, unchanged keys, problems and counts accumulate in `prepared`
 * (the caller holds one chunk's records at a time). `total`: the file's
 * usable records, for progress.
 */
export function createPreparer(ctx: PlanContext, total: number, onProgress?: (done: number, total: number) => void) {
  const prepared: Prepared = { unchangedKeys: [], rejectedRows: [], seen: new Set(), problems: [], rejected: 0, warnings: 0 };
  let done = 0;
  const prepareOne = (record: SourceRecord, accepted: PreparedRecord[]) => {
    const key = recordKey(record);
    if (prepared.seen.has(key)) {
      prepared.problems.push({ row: record.row, field: 'nom', value: key, severity: 'error', message: 'Ce lieu (même nom et même code postal, sans identifiant) apparaît deux fois dans le fichier.' });
      prepared.rejected++;
      return;
    }
    prepared.seen.add(key);
    const rawJson = JSON.stringify(record.raw);
    const hash = hashOfRaw(rawJson, ctx.format, ctx.source);
    const previous = ctx.previousRows.get(key);
    const link = ctx.links.get(key);
    if (previous && previous.hash === hash && previous.lieu_id && link && link.lieu_id === previous.lieu_id && link.removed_at === null) {
      prepared.unchangedKeys.push(key);
      return;
    }
    const checked = checkPosition(record.lieu, ctx.territories, record.row, ctx.geocoded?.get(record.row));
    const warnings = record.warnings ? [...record.warnings, ...checked.warnings] : checked.warnings;
    for (const warning of warnings) prepared.problems.push({ ...warning, severity: 'warning' });
    prepared.warnings += warnings.length;
    const validation = validateLieu(fullRecord(checked.lieu), ctx.territories, { ignoreUnknownFields: true });
    if (validation.ok) {
      // Placed at its commune centre because the geocoder could not answer: a hash that will not
      // match, so the next run processes the row again (and geocodes it) even if the file is unchanged.
      const pending = ctx.geocoded?.get(record.row)?.status === 'unavailable';
      accepted.push({ record: { row: record.row }, rawJson, key, hash: pending ? `${hash}:a-geocoder` : hash, link, newId: randomUUID(), value: validation.value });
    } else {
      prepared.rejected++;
      for (const e of validation.errors) {
        prepared.problems.push({ row: record.row, field: e.field, value: e.value === undefined ? undefined : String(e.value), message: e.message, severity: 'error' });
      }
      prepared.rejectedRows.push({ external_id: key, content_hash: hash, raw: rawJson, lieu_id: null });
    }
  };
  return {
    prepared,
    prepare(records: readonly SourceRecord[]): PreparedRecord[] {
      const accepted: PreparedRecord[] = [];
      for (const record of records) {
        prepareOne(record, accepted);
        onProgress?.(++done, total);
      }
      return accepted;
    },
    /** The rejected rows prepared since the last call (written chunk by chunk). */
    takeRejectedRows(): ImportRowWrite[] {
      return prepared.rejectedRows.splice(0);
    },
  };
}

/** The shape the duplicate scorer reads, from a validated value or a row. */
export function dedupRecordOf(id: string, value: LieuValue | LieuRow): DedupRecord {
  return {
    id,
    nom: value.nom,
    adresse: value.adresse,
    code_insee: value.code_insee,
    latitude: value.latitude,
    longitude: value.longitude,
    position_approximate: value.position_approximate,
    pivot: value.pivot,
    telephone: value.telephone,
    courriels: value.courriels,
  };
}

export interface MergeTargets {
  /** Record key → the existing place it is attached to. */
  targets: Map<string, string>;
  /**
   * Record key → its scored pairs (not "distinct") with the existing places, reused by the
   * duplicates stage. `record.id` is the record's newId: if it creates its place, the pairs,
   * the record and its features are the place's own.
   */
  pairs: Map<string, { record: DedupRecord; scores: PairScore[] }>;
}

/** What findMergeTargets reads of the registry's places: a DedupIndex, or several. */
export type ScoringIndex = Pick<DedupIndex, 'scoreAgainst' | 'get'>;

/**
 * For each new record (no link in this source), the existing place it strongly duplicates,
 * if any: decision "merge" from the scorer, never two different real SIRETs, never a place
 * this source lists under another key of the same file, and each place claimed once
 * (`claimed` carries the places taken by earlier chunks of the run).
 */
export function findMergeTargets(records: readonly PreparedRecord[], index: ScoringIndex, excluded: ReadonlySet<string>, claimed = new Set<string>()): MergeTargets {
  const targets = new Map<string, string>();
  const pairs: MergeTargets['pairs'] = new Map();
  for (const r of records) {
    if (r.link) continue;
    const incoming = dedupRecordOf(r.newId, r.value);
    const scores = index.scoreAgainst(incoming);
    pairs.set(r.key, { record: incoming, scores });
    let best: { id: string; score: number } | null = null;
    for (const pair of scores) {
      const other = pair.a === incoming.id ? pair.b : pair.a;
      if (pair.decision !== 'merge' || excluded.has(other) || claimed.has(other)) continue;
      const candidate = index.get(other);
      if (candidate && isRealPivot(candidate.pivot) && isRealPivot(incoming.pivot) && candidate.pivot !== incoming.pivot) continue;
      if (!best || pair.score > best.score) best = { id: other, score: pair.score };
    }
    if (best) {
      targets.set(r.key, best.id);
      claimed.add(best.id);
    }
  }
  return { targets, pairs };
}

export interface ApplyPlan {
  inserts: LieuRow[];
  /** Final state of each updated place (one entry per place). */
  updates: LieuRow[];
  versions: VersionWrite[];
  changes: ChangeWrite[];
  links: LinkWrite[];
  provenance: SourceFields[];
  importRows: ImportRowWrite[];
  /** Places whose standard fields this run set or changed (scored for duplicates). */
  touched: Set<string>;
  /** Places whose values the conflict rules decided: their stored contributions and provenance are replaced. */
  ruledPlaces: string[];
  contributions: ContributionRow[];
  ruledProvenance: RuledProvenance[];
  /** Source values refused because an account edited the field (shown to the producer). */
  warnings: Problem[];
  /** The same refusals, stored for the place's manager (imports.conflicts.ts). */
  conflicts: ConflictWrite[];
  stats: { new: number; updated: number; unchanged: number; merged: number };
}

type StandardRecord = Record<string, unknown>;

/** Standard fields that differ (on creation: the ones given), for provenance and the run stats. */
function changedFields(before: StandardRecord | null, after: StandardRecord): string[] {
  return standardFields.filter((f) => f !== 'id' && JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after[f] ?? null) && (before !== null || !isEmpty(after[f])));
}

/** changedFields(null, record) without serialising: the standard fields a new place is given. */
function givenFields(record: StandardRecord): string[] {
  return standardFields.filter((f) => f !== 'id' && !isEmpty(record[f]));
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

/** The merge fields of a validated value, as the conflict rules read them. */
function mergeRecordOf(value: LieuValue): MergeRecord {
  const record: MergeRecord = {};
  for (const field of mergeFields) record[field] = ((value as unknown as Record<string, unknown>)[field] ?? null) as MergeValue;
  return record;
}

const sameValue = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

export interface RuledProvenance {
  lieu_id: string;
  field: string;
  source_id: string;
  updated_at: Date;
}

/** What one chunk of records needs from the registry: its places' rows and conflict-rule state. */
export interface ChunkPlaces {
  /** Current rows of the places the chunk's records are linked to or merged into. */
  currentRows: ReadonlyMap<string, LieuRow>;
  /** Record key → the existing place it is attached to (findMergeTargets). */
  mergeTargets: ReadonlyMap<string, string>;
  /** The conflict-rule state (imports.merge.ts) of every place in `currentRows`. */
  states: ReadonlyMap<string, MergeState>;
}

/**
 * Plans a run chunk by chunk. A place already written by an earlier chunk builds on that
 * write, not on the row read for a later chunk. A new place has no other contributor: the
 * rules would give the record itself, so they are not run.
 */
export function createPlanner(ctx: PlanContext & { sourceName: string }): (accepted: readonly PreparedRecord[], places: ChunkPlaces) => ApplyPlan {
  const working = new Map<string, LieuRow>(); // a place written twice in one run builds on its first write
  const workingStates = new Map<string, MergeState>();
  return (accepted, { currentRows, mergeTargets, states }) => {
    for (const [id, row] of currentRows) if (!working.has(id)) working.set(id, row);
    for (const [id, state] of states) if (!workingStates.has(id)) workingStates.set(id, state);
    const plan: ApplyPlan = {
      inserts: [], updates: [], versions: [], changes: [], links: [], provenance: [], importRows: [], touched: new Set(),
      contributions: [], ruledPlaces: [], ruledProvenance: [], warnings: [], conflicts: [], stats: { new: 0, updated: 0, unchanged: 0, merged: 0 },
    }; // prettier-ignore
    const updated = new Map<string, LieuRow>();
    const provenance = new Map<string, string[]>(); // a place's fields given in this chunk
    const ruled = new Map<string, MergeResult>();
    const { now } = ctx;
    const origin = { kind: 'source' as const, id: ctx.source.id, priority: ctx.source.priority };

    /**
     * The place's values once this record is applied with the conflict rules (source priority,
     * recency, list union, account edits kept): the record itself in the usual case (validated
     * once); a combination with other contributors' values is validated again, and a
     * combination that is not valid leaves the place as it is.
     */
    const ruledValue = (current: LieuRow, r: PreparedRecord): LieuValue | null => {
      const state = workingStates.get(current.id) ?? emptyState();
      const result = mergeIncoming(state, { origin, at: now, record: mergeRecordOf(r.value), position_approximate: r.value.position_approximate });
      for (const conflict of result.conflicts) {
        plan.conflicts.push(conflictOf(current.id, conflict));
        plan.warnings.push({
          row: r.record.row,
          field: conflict.field,
          value: Array.isArray(conflict.incoming) ? conflict.incoming.join('|') : String(conflict.incoming ?? ''),
          severity: 'warning',
          message: `Valeur non appliquée : un gestionnaire du lieu a modifié « ${conflict.field} » le ${conflict.edited_at.toISOString().slice(0, 10)}, sa valeur est conservée.`,
        });
      }
      const given = r.value as unknown as Record<string, unknown>;
      const asGiven = mergeFields.every((f) => sameValue(result.fields[f], given[f]) || ((f === 'latitude' || f === 'longitude') && r.value.position_approximate && result.fields[f] === null));
      let value: LieuValue | null = r.value;
      if (!asGiven) {
        const validation = validateLieu({ ...result.fields }, ctx.territories, { ignoreUnknownFields: true });
        value = validation.ok ? validation.value : null;
      }
      if (value) {
        ruled.set(current.id, result);
        workingStates.set(current.id, { fields: result.fields, contributions: result.contributions, position_approximate: value.position_approximate });
      }
      return value;
    };

    const update = (current: LieuRow, next: StandardRecord & ReturnType<typeof recordOf>): { row: LieuRow; fields: string[] } => {
      const changes = diff(recordOf(current) as unknown as StandardRecord, next as unknown as StandardRecord);
      const fields = changedFields(recordOf(current) as unknown as StandardRecord, next as unknown as StandardRecord);
      if (Object.keys(changes).length === 0) return { row: current, fields };
      const row = { ...current, ...next, ...searchKeys(next.nom, next.commune), version: current.version + 1, updated_at: now } as LieuRow;
      plan.versions.push({ row, action: 'update', changes, reason: null });
      // Readers of the change feed never saw an unpublished place; its edits stay silent.
      if (row.status === 'published') plan.changes.push({ lieu_id: row.id, kind: 'updated' });
      working.set(row.id, row);
      updated.set(row.id, row);
      return { row, fields };
    };

    for (const r of accepted) {
      let lieuId: string;
      let fields: string[];
      const target = r.link ? working.get(r.link.lieu_id) : undefined;
      const mergeInto = !target ? mergeTargets.get(r.key) : undefined;
      if (target && r.link) {
        let current = target;
        const comesBack = current.status === 'unpublished' && r.link.removed_at !== null;
        if (comesBack) {
          current = { ...current, status: 'published', version: current.version + 1, updated_at: now };
          plan.versions.push({ row: current, action: 'republish', changes: { status: { from: 'unpublished', to: 'published' } }, reason: `De nouveau présent dans la source « ${ctx.sourceName} ».` });
          plan.changes.push({ lieu_id: current.id, kind: 'added' });
          working.set(current.id, current);
          updated.set(current.id, current);
        }
        const value = ruledValue(current, r);
        lieuId = current.id;
        fields = value ? update(current, recordOf(value) as StandardRecord & ReturnType<typeof recordOf>).fields : [];
        if (fields.length > 0 || comesBack) plan.stats.updated++;
        else plan.stats.unchanged++;
      } else if (mergeInto && working.has(mergeInto)) {
        const current = working.get(mergeInto)!;
        const value = ruledValue(current, r);
        fields = value ? update(current, recordOf(value) as StandardRecord & ReturnType<typeof recordOf>).fields : [];
        lieuId = current.id;
        plan.stats.merged++;
      } else {
        const record = recordOf(r.value);
        const row: LieuRow = {
          ...(record as unknown as Omit<LieuRow, 'id' | 'search_tokens' | 'sort_key' | 'status' | 'version' | 'created_at' | 'updated_at'>),
          id: r.newId,
          ...searchKeys(r.value.nom, r.value.commune),
          status: 'published',
          version: 1,
          created_at: now,
          updated_at: now,
        };
        plan.inserts.push(row);
        plan.versions.push({ row, action: 'create', changes: null, reason: null });
        plan.changes.push({ lieu_id: row.id, kind: 'added' });
        lieuId = row.id;
        fields = givenFields(record as unknown as StandardRecord);
        plan.stats.new++;
      }
      if (fields.length > 0) plan.touched.add(lieuId);
      if (fields.length > 0 && !ruled.has(lieuId)) {
        // Usually one record per place: its own list, no set (a union only when two records gave the place fields).
        const earlier = provenance.get(lieuId);
        provenance.set(lieuId, earlier ? [...new Set([...earlier, ...fields])] : fields);
      }
      plan.links.push({ external_id: r.key, lieu_id: lieuId });
      plan.importRows.push({ external_id: r.key, content_hash: r.hash, raw: r.rawJson, lieu_id: lieuId });
    }
    plan.updates = [...updated.values()];
    plan.provenance = [...provenance].map(([lieu_id, fields]) => ({ lieu_id, fields }));
    // Places the rules decided: their contributions and provenance are replaced, as a merge does.
    for (const [lieuId, result] of ruled) {
      plan.ruledPlaces.push(lieuId);
      plan.contributions.push(...contributionRows(lieuId, result.contributions, null));
      for (const field of mergeFields) {
        const first = result.provenance[field]?.[0];
        if (first?.origin.kind === 'source') plan.ruledProvenance.push({ lieu_id: lieuId, field, source_id: first.origin.id, updated_at: first.at });
      }
    }
    return plan;
  };
}
