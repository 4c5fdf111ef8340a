// Rules and transactions of the registry: every write validates the whole record, then in one
// transaction updates `lieux`, appends a version (what changed, who, the record after) and a
// change-log entry, and notifies search read models. A write that changes nothing writes nothing.
import { randomUUID } from 'node:crypto';
import validator from 'validator';
import type { LieuRow, NewLieuRow } from '../../db/database.ts';
import type { AppDeps } from '../../server/deps.ts';
import type { Territories } from '../territories/territories.types.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors.ts';
import { searchKeys } from '../../lib/text.ts';
import { derivedFields, multiValuedFields, standardFields, toApiV1, type Lieu, type LieuValue } from './lieux.schema.ts';
import { validateLieu, type ValidateLieuOptions } from './lieux.validation.ts';
import * as repo from './lieux.repository.ts';

export type LieuxDeps = Pick<AppDeps, 'db' | 'clock'> & { territories: Territories };

export interface Actor {
  kind: 'cli' | 'source' | 'account' | 'system';
  /** The account id, the source id… (never personal data). */
  id?: string;
}

export interface LieuVersion {
  version: number;
  changed_at: string;
  action: 'create' | 'update' | 'unpublish' | 'republish';
  actor_kind: Actor['kind'];
  actor_id: string | null;
  /** `{ field: { from, to } }` for the fields that changed. */
  changes: Record<string, { from: unknown; to: unknown }>;
  reason: string | null;
  /** The record after this change. */
  snapshot: Record<string, unknown>;
}

/** An error of one record in a batch: `index` is its 0-based position in the input. */
export interface RecordError extends FieldError {
  index: number;
}

/** A batch refused as a whole; `records` tells which record each error belongs to. */
export class LieuxBatchValidationError extends ValidationError {
  constructor(readonly records: RecordError[]) {
    super(
      records.map((e) => ({ field: `[${e.index}].${e.field}`, message: e.message, ...(e.value === undefined ? {} : { value: e.value }) })),
      `Aucun lieu n’a été enregistré : ${new Set(records.map((e) => e.index)).size} lieu(x) contiennent des erreurs.`,
    );
  }
}

/** The columns that carry the record (standard fields and territory codes), compared on update. */
const RECORD_FIELDS = [...standardFields.filter((f) => f !== 'id'), ...derivedFields] as const;
type RecordField = (typeof RECORD_FIELDS)[number];

const unknownLieu = (id: string) => new NotFoundError(`Aucun lieu ne porte l’identifiant « ${id} ».`);

export async function getLieu(deps: Pick<LieuxDeps, 'db'>, id: string): Promise<Lieu> {
  if (!validator.isUUID(id)) throw unknownLieu(id); // a malformed id cannot exist: no cast error
  const row = await repo.findLieuById(deps.db, id.toLowerCase());
  if (!row) throw unknownLieu(id);
  return toApiV1(row);
}

/** For public readers: an unpublished place is gone (410) rather than shown. */
export async function getPublishedLieu(deps: Pick<LieuxDeps, 'db'>, id: string): Promise<Lieu> {
  const lieu = await getLieu(deps, id);
  if (lieu.status !== 'published') throw new DomainError('gone', `Le lieu « ${id} » a été retiré du registre.`, 410);
  return lieu;
}

export async function createLieu(deps: LieuxDeps, raw: Record<string, unknown>, actor: Actor, options?: ValidateLieuOptions): Promise<Lieu> {
  const result = validateLieu(raw, deps.territories, options);
  if (!result.ok) throw new ValidationError(result.errors, 'Le lieu n’a pas été enregistré : certains champs ne sont pas valides.');
  const [created] = await insertAll(deps, [result.value], actor);
  return created!;
}

/** All or nothing: if any record is invalid or already exists, nothing is written. */
export async function createLieux(deps: LieuxDeps, raws: Record<string, unknown>[], actor: Actor, options?: ValidateLieuOptions): Promise<Lieu[]> {
  const values: LieuValue[] = [];
  const errors: RecordError[] = [];
  raws.forEach((raw, index) => {
    const result = validateLieu(raw, deps.territories, options);
    if (result.ok) values.push(result.value);
    else errors.push(...result.errors.map((e) => ({ ...e, index })));
  });
  if (errors.length === 0) {
    const seen = new Map<string, number>();
    values.forEach((value, index) => {
      if (!value.id) return;
      const first = seen.get(value.id);
      if (first !== undefined) {
        errors.push({ index, field: 'id', message: `L’identifiant « ${value.id} » est déjà celui du lieu n° ${first + 1} du même lot.` });
      } else seen.set(value.id, index);
    });
  }
  if (errors.length) throw new LieuxBatchValidationError(errors);
  return insertAll(deps, values, actor);
}

async function insertAll(deps: LieuxDeps, values: LieuValue[], actor: Actor): Promise<Lieu[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const given = values.map((v) => v.id).filter((id): id is string => Boolean(id));
    const taken = await repo.findExistingIds(trx, given);
    if (taken.length) {
      throw new ConflictError(`Un lieu porte déjà l’identifiant « ${taken[0]} » : utilisez « lieux update » pour le modifier.`);
    }
    const created: Lieu[] = [];
    for (const value of values) {
      const row: NewLieuRow = {
        ...recordOf(value),
        id: value.id ?? randomUUID(),
        ...searchKeys(value.nom, value.commune),
        status: 'published',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      const inserted = await repo.insertLieu(trx, row);
      const lieu = toApiV1(inserted);
      // A creation's changes are not stored: versionChanges derives them from the snapshot.
      await repo.insertLieuVersion(trx, versionRow(inserted, 'create', actor, null, now));
      await repo.recordLieuChange(trx, { lieu_id: inserted.id, kind: 'added', changed_at: now });
      created.push(lieu);
    }
    return created;
  });
}

/**
 * Applies a partial record (standard fields; null clears an optional one) and re-validates the
 * whole record. Returns the place unchanged, writing nothing, when no value actually changes.
 */
export async function updateLieu(
  deps: LieuxDeps,
  id: string,
  patch: Record<string, unknown>,
  actor: Actor,
  options?: ValidateLieuOptions,
): Promise<Lieu> {
  if (!validator.isUUID(id)) throw unknownLieu(id);
  if (patch.id !== undefined && patch.id !== null && String(patch.id).toLowerCase() !== id.toLowerCase()) {
    const message = 'L’identifiant d’un lieu ne peut pas être modifié.';
    throw new ValidationError([{ field: 'id', message, value: patch.id }], `Le lieu n’a pas été modifié : ${message}`);
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const current = await repo.findLieuById(trx, id.toLowerCase(), { forUpdate: true });
    if (!current) throw unknownLieu(id);
    const merged: Record<string, unknown> = { ...recordOf(current), ...patch, id: current.id };
    for (const field of derivedFields) delete merged[field];
    const touches = (field: string) => Object.prototype.hasOwnProperty.call(patch, field);
    // Derived values must follow a new commune: its code and, if approximate, its centre.
    if ((touches('commune') || touches('code_postal')) && !touches('code_insee')) merged.code_insee = null;
    if (current.position_approximate && !touches('latitude') && !touches('longitude')) {
      merged.latitude = null;
      merged.longitude = null;
    }
    const result = validateLieu(merged, deps.territories, options);
    if (!result.ok) throw new ValidationError(result.errors, 'Le lieu n’a pas été modifié : certains champs ne sont pas valides.');
    const next = recordOf(result.value);
    let changes = diff(recordOf(current), next);
    if (Object.keys(changes).length === 0) return toApiV1(current);
    // A real change refreshes the standard's update date unless the patch gives one.
    if (!touches('date_maj')) {
      next.date_maj = parisDate(now);
      changes = diff(recordOf(current), next);
    }
    const updated = await repo.updateLieuRow(trx, current.id, {
      ...next,
      ...searchKeys(next.nom, next.commune),
      version: current.version + 1,
      updated_at: now,
    });
    await repo.insertLieuVersion(trx, versionRow(updated, 'update', actor, changes, now));
    // Readers of the change feed never saw an unpublished place; its edits stay silent.
    if (updated.status === 'published') await repo.recordLieuChange(trx, { lieu_id: updated.id, kind: 'updated', changed_at: now });
    return toApiV1(updated);
  });
}

export async function unpublishLieu(deps: Pick<LieuxDeps, 'db' | 'clock'>, id: string, actor: Actor, reason?: string): Promise<Lieu> {
  return setStatus(deps, id, 'unpublished', actor, reason);
}

export async function republishLieu(deps: Pick<LieuxDeps, 'db' | 'clock'>, id: string, actor: Actor, reason?: string): Promise<Lieu> {
  return setStatus(deps, id, 'published', actor, reason);
}

async function setStatus(
  deps: Pick<LieuxDeps, 'db' | 'clock'>,
  id: string,
  status: 'published' | 'unpublished',
  actor: Actor,
  reason?: string,
): Promise<Lieu> {
  if (!validator.isUUID(id)) throw unknownLieu(id);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const current = await repo.findLieuById(trx, id.toLowerCase(), { forUpdate: true });
    if (!current) throw unknownLieu(id);
    if (current.status === status) return toApiV1(current);
    const updated = await repo.updateLieuRow(trx, current.id, { status, version: current.version + 1, updated_at: now });
    const action = status === 'published' ? 'republish' : 'unpublish';
    const changes = { status: { from: current.status, to: status } };
    await repo.insertLieuVersion(trx, { ...versionRow(updated, action, actor, changes, now), reason: reason?.trim() || null });
    await repo.recordLieuChange(trx, { lieu_id: updated.id, kind: status === 'published' ? 'added' : 'removed', changed_at: now });
    return toApiV1(updated);
  });
}

export async function listLieuVersions(deps: Pick<LieuxDeps, 'db'>, id: string): Promise<LieuVersion[]> {
  await getLieu(deps, id); // NotFoundError for an unknown place, rather than an empty history
  const rows = await repo.listVersions(deps.db, id.toLowerCase());
  return rows.map((row) => ({
    version: row.version,
    changed_at: new Date(row.changed_at).toISOString(),
    action: row.action,
    actor_kind: row.actor_kind,
    actor_id: row.actor_id,
    changes: versionChanges(row),
    reason: row.reason,
    snapshot: row.snapshot,
  }));
}

// ---- helpers

type RecordValues = Record<RecordField, unknown> & { nom: string; commune: string };

/** The record columns of a validated value or a row, arrays and flags filled (bulk imports compare with it too). */
export function recordOf(source: LieuValue | LieuRow): RecordValues & Omit<NewLieuRow, 'id' | 'search_tokens' | 'sort_key'> {
  const record: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) record[field] = (source as unknown as Record<string, unknown>)[field] ?? (isArrayField(field) ? [] : null);
  record.position_approximate = Boolean(record.position_approximate);
  return record as RecordValues & Omit<NewLieuRow, 'id' | 'search_tokens' | 'sort_key'>;
}

const ARRAY_FIELDS = new Set<string>(multiValuedFields);
const isArrayField = (field: string) => ARRAY_FIELDS.has(field);

/** The calendar date in France of an instant (YYYY-MM-DD). */
function parisDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function emptyRecord(): Record<string, unknown> {
  return Object.fromEntries(RECORD_FIELDS.map((field) => [field, isArrayField(field) ? [] : field === 'position_approximate' ? false : null]));
}

/** `{ field: { from, to } }` as lieu_versions stores it. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

// The order in which PostgreSQL gives back the keys of a stored jsonb object (shorter first,
// then bytewise): derived changes are listed as stored ones were.
const JSONB_KEY_ORDER = [...RECORD_FIELDS].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));

/**
 * The changes of a stored version, for every reader of the history. A creation's are not
 * stored (NULL since migration 0022): they are every field of its snapshot, from its empty
 * value (what `diff(emptyRecord(), recordOf(row))` gave when they were stored), keys and
 * `{ to, from }` in the order a stored jsonb value reads back, so readers see the same.
 */
export function versionChanges(version: { changes: unknown; snapshot: unknown }): FieldChanges {
  const stored = typeof version.changes === 'string' ? JSON.parse(version.changes) : version.changes;
  if (stored !== null && stored !== undefined) return stored as FieldChanges;
  const snapshot = (typeof version.snapshot === 'string' ? JSON.parse(version.snapshot) : version.snapshot) as Record<string, unknown>;
  const after = recordOf(snapshot as unknown as LieuRow) as Record<string, unknown>;
  const empty = emptyRecord();
  const changes: FieldChanges = {};
  for (const field of JSONB_KEY_ORDER) {
    const from = empty[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { to, from };
  }
  return changes;
}

export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of JSONB_KEY_ORDER) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

function versionRow(
  row: LieuRow,
  action: LieuVersion['action'],
  actor: Actor,
  changes: FieldChanges | null,
  now: Date,
): repo.NewLieuVersion {
  return {
    lieu_id: row.id,
    version: row.version,
    changed_at: now,
    action,
    actor_kind: actor.kind,
    actor_id: actor.id ?? null,
    changes,
    snapshot: toApiV1(row),
  };
}
