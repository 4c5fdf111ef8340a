// SQL of the conflict rules: loads a place's merge state (its values and every contributor's
// last value per field) and stores the result of imports.merge.ts. Only source contributions
// are stored: account contributions are read from the history (lieu_versions written by an
// account), registry ones are the values nobody else explains, so neither can go stale.
import { sql, type Kysely } from 'kysely';
import type { Database, LieuRow } from '../../db/database.ts';
import { isEmptyValue, mergeFields, type Contribution, type MergeField, type MergeResult, type MergeState, type MergeValue, type Origin } from './imports.merge.ts';
import './imports.merge.tables.ts';
import './imports.tables.ts';
import { replaceProvenance } from './imports.provenance.ts';
import { versionChanges } from '../lieux/lieux.use-cases.ts';

type Db = Kysely<Database>;

const chunk = 5000;
const fieldSet: ReadonlySet<string> = new Set(mergeFields);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunk) out.push(items.slice(i, i + chunk));
  return out;
}

/** The merge state of each place (rows as read from `lieux`), by id. */
export async function loadMergeStates(db: Db, rows: readonly LieuRow[]): Promise<Map<string, MergeState>> {
  const states = new Map<string, MergeState>();
  if (rows.length === 0) return states;
  const ids = rows.map((r) => r.id);
  const stored: { lieu_id: string; field: string; contributor: string; source_id: string | null; value: unknown; given_at: Date }[] = [];
  const legacy: { lieu_id: string; field: string; source_id: string; updated_at: Date }[] = [];
  const edits: { lieu_id: string; actor_id: string | null; changed_at: Date; changes: unknown; snapshot: unknown }[] = [];
  for (const part of chunks(ids)) {
    stored.push(...(await db.selectFrom('lieu_field_contributions').select(['lieu_id', 'field', 'contributor', 'source_id', 'value', 'given_at']).where('lieu_id', 'in', part).execute()));
    legacy.push(...(await db.selectFrom('lieu_field_provenance').select(['lieu_id', 'field', 'source_id', 'updated_at']).where('lieu_id', 'in', part).execute()));
    edits.push(
      ...(await db
        .selectFrom('lieu_versions')
        // The snapshot only where the changes are derived from it (a creation's are not stored).
        .select(['lieu_id', 'actor_id', 'changed_at', 'changes', sql<unknown>`CASE WHEN changes IS NULL THEN snapshot END`.as('snapshot')])
        .where('lieu_id', 'in', part)
        .where('actor_kind', '=', 'account')
        // Merges and splits, even by an account, only move other contributors' values: they
        // are the versions with a reason (an account's own edit has none).
        .where('action', 'in', ['create', 'update'])
        .where('reason', 'is', null)
        .orderBy('version', 'asc')
        .execute()),
    );
  }
  const sourceIds = [...new Set([...stored.map((s) => s.source_id), ...legacy.map((l) => l.source_id)].filter((id): id is string => id !== null))];
  const priorities = new Map<string, number>();
  for (const part of chunks(sourceIds)) {
    for (const s of await db.selectFrom('sources').select(['id', 'priority']).where('id', 'in', part).execute()) priorities.set(s.id, s.priority);
  }
  const sourceOrigin = (id: string): Origin => ({ kind: 'source', id, priority: priorities.get(id) ?? 100 });

  for (const row of rows) {
    const fields: Partial<Record<MergeField, MergeValue>> = {};
    for (const field of mergeFields) fields[field] = ((row as unknown as Record<string, unknown>)[field] ?? null) as MergeValue;
    states.set(row.id, { fields, contributions: {}, position_approximate: row.position_approximate });
  }
  const add = (lieuId: string, field: string, c: Contribution) => {
    const state = states.get(lieuId);
    if (!state || !fieldSet.has(field)) return;
    const list = state.contributions[field as MergeField] ?? [];
    state.contributions[field as MergeField] = [...list.filter((x) => !sameOrigin(x.origin, c.origin)), c];
  };
  for (const s of stored) {
    if (!s.source_id) continue;
    add(s.lieu_id, s.field, { origin: sourceOrigin(s.source_id), value: s.value as MergeValue, at: new Date(s.given_at) });
  }
  // Places imported before contributions existed: the provenance says which source gave the value.
  for (const l of legacy) {
    const state = states.get(l.lieu_id);
    if (!state || !fieldSet.has(l.field) || state.contributions[l.field as MergeField]?.length) continue;
    add(l.lieu_id, l.field, { origin: sourceOrigin(l.source_id), value: state.fields[l.field as MergeField] ?? null, at: new Date(l.updated_at) });
  }
  // A field an account set and nobody changed since is the account's (its edit outranks sources).
  for (const e of edits) {
    const state = states.get(e.lieu_id);
    if (!state || !e.actor_id) continue;
    const changes = versionChanges(e);
    for (const [field, change] of Object.entries(changes)) {
      if (!fieldSet.has(field) || field === 'date_maj') continue;
      // A commune centre derived by validation is nobody's position.
      if (state.position_approximate && (field === 'latitude' || field === 'longitude')) continue;
      const current = state.fields[field as MergeField] ?? null;
      if (JSON.stringify(change.to ?? null) !== JSON.stringify(current)) continue;
      add(e.lieu_id, field, { origin: { kind: 'account', id: e.actor_id }, value: current, at: new Date(e.changed_at) });
    }
  }
  return states;
}

const sameOrigin = (x: Origin, y: Origin) => x.kind === y.kind && (x.kind === 'registry' || x.id === (y as { id: string }).id);

export async function loadMergeState(db: Db, lieuId: string): Promise<MergeState | undefined> {
  const row = await db.selectFrom('lieux').selectAll().where('id', '=', lieuId).executeTakeFirst();
  return row ? (await loadMergeStates(db, [row])).get(lieuId) : undefined;
}

export interface ContributionRow {
  lieu_id: string;
  field: string;
  contributor: string;
  source_id: string;
  value: string;
  given_at: Date;
  run_id: string | null;
}

/**
 * The rows to store for a place's contributions: sources only (see the header), and only
 * values: a source's empty value never decides anything (it cannot erase another's, and
 * clearing its own is the same as giving nothing), so it is not worth a row.
 */
export function contributionRows(lieuId: string, contributions: MergeResult['contributions'], runId: string | null): ContributionRow[] {
  const rows: ContributionRow[] = [];
  for (const field of mergeFields) {
    for (const c of contributions[field] ?? []) {
      if (c.origin.kind !== 'source' || isEmptyValue(c.value)) continue;
      rows.push({ lieu_id: lieuId, field, contributor: `source:${c.origin.id}`, source_id: c.origin.id, value: JSON.stringify(c.value), given_at: c.at, run_id: runId });
    }
  }
  return rows;
}

/** Replaces every stored contribution of these places. */
export async function replaceContributions(db: Db, lieuIds: readonly string[], rows: readonly ContributionRow[]): Promise<void> {
  for (const part of chunks(lieuIds)) await db.deleteFrom('lieu_field_contributions').where('lieu_id', 'in', part).execute();
  for (let i = 0; i < rows.length; i += 1000) await db.insertInto('lieu_field_contributions').values(rows.slice(i, i + 1000)).execute();
}

/**
 * Stores a merge result for one place: its source contributions, and `lieu_field_provenance`
 * (the source that gave each field's current value; no row when an account or nobody did).
 * `runId` is the import run, or the merge, that produced the result.
 */
export async function saveMergeResult(db: Db, lieuId: string, result: Pick<MergeResult, 'contributions' | 'provenance'>, runId: string): Promise<void> {
  await replaceContributions(db, [lieuId], contributionRows(lieuId, result.contributions, runId));
  const provenance = mergeFields.flatMap((field) => {
    const first = result.provenance[field]?.[0];
    if (!first || first.origin.kind !== 'source') return [];
    return [{ lieu_id: lieuId, field, source_id: first.origin.id, run_id: runId, updated_at: first.at }];
  });
  await replaceProvenance(db, [lieuId], provenance);
}
