// The review queue of likely duplicates, and reversible merges of places (docs/imports.md,
// "Merge and split"). Merge B into A: A keeps its id and takes the combined values (conflict
// rules of imports.merge.ts); B is unpublished and points to A (lieu_merges.merged_into) so
// its URL redirects; B's source links, raw rows, contributions and provenance move to A. A
// split puts everything back. Each is ONE transaction writing versions on both places, the
// change log and the notification through the lieux use cases.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import validator from 'validator';
import type { Database, LieuRow } from '../../db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { ForbiddenError, type AccountPrincipal } from '../accounts/authorize.ts';
import { auditedWrite } from '../audit/audit.use-cases.ts';
import { joinTransaction } from '../../db/join-transaction.ts';
import { toApiV1, type Lieu } from '../lieux/lieux.schema.ts';
import * as lieuxRepo from '../lieux/lieux.repository.ts';
import { findMergedInto } from '../lieux/lieux.merged.ts';
import { republishLieu, unpublishLieu, updateLieu, type Actor, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { isRealPivot, scorePair, type PairScore } from './imports.dedup.ts';
import { combineStates, mergeFields, type MergeField } from './imports.merge.ts';
import { contributionRows, loadMergeStates, replaceContributions, type ContributionRow } from './imports.merge.repository.ts';
import './imports.merge.tables.ts';
import './imports.tables.ts';
import { replaceProvenance } from './imports.provenance.ts';

export type DuplicatesDeps = LieuxDeps;

export type DuplicateStatus = 'pending' | 'confirmed' | 'rejected';

export interface DuplicatePlace {
  id: string;
  nom: string;
  adresse: string;
  commune: string;
  pivot: string;
}

export interface DuplicatePair {
  lieu_a: DuplicatePlace;
  lieu_b: DuplicatePlace;
  score: number;
  decision: 'merge' | 'review';
  signals: PairScore['signals'];
  reason: string | null;
  status: DuplicateStatus;
  found_at: string;
}

export interface MergeReport {
  merge_id: string;
  /** The place kept (A), after the merge. */
  lieu: Lieu;
  /** The place merged away (B), now unpublished. */
  fusionne: string;
  champs_modifies: MergeField[];
}

export interface SplitReport {
  merge_id: string;
  lieu: Lieu;
  separe: Lieu;
  /** Fields of A edited after the merge and therefore kept on A. */
  champs_conserves: MergeField[];
}

interface Undo {
  links: { source_id: string; external_id: string }[];
  kept_contributions: ContributionRow[];
  merged_contributions: ContributionRow[];
  kept_provenance: ProvenanceRow[];
  merged_provenance: ProvenanceRow[];
}

interface ProvenanceRow {
  lieu_id: string;
  field: string;
  source_id: string;
  run_id: string;
  updated_at: string;
}

const unknownLieu = (id: string) => new NotFoundError(`Aucun lieu ne porte l’identifiant « ${id} ».`);

function checkId(id: string, field: string): string {
  if (!validator.isUUID(id)) throw new ValidationError([{ field, message: `« ${field} » doit être l’identifiant (UUID) d’un lieu.`, value: id }], `L’identifiant « ${id} » n’est pas celui d’un lieu.`);
  return id.toLowerCase();
}

const orderedPair = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

const dedupRecord = (row: LieuRow) => ({
  id: row.id,
  nom: row.nom,
  adresse: row.adresse,
  code_insee: row.code_insee,
  latitude: row.latitude,
  longitude: row.longitude,
  position_approximate: row.position_approximate,
  pivot: row.pivot,
  telephone: row.telephone,
  courriels: row.courriels,
});

/** The review queue: pairs with both places still published and not merged, best score first. */
export async function listDuplicates(deps: Pick<DuplicatesDeps, 'db'>, options: { status?: DuplicateStatus; limit?: number; pair?: [string, string] } = {}): Promise<DuplicatePair[]> {
  const status = options.status ?? 'pending';
  const rows = await deps.db
    .selectFrom('lieu_duplicates as d')
    .innerJoin('lieux as a', 'a.id', 'd.lieu_a')
    .innerJoin('lieux as b', 'b.id', 'd.lieu_b')
    .select(['d.score', 'd.decision', 'd.signals', 'd.reason', 'd.status', 'd.found_at'])
    .select(['a.id as a_id', 'a.nom as a_nom', 'a.adresse as a_adresse', 'a.commune as a_commune', 'a.pivot as a_pivot'])
    .select(['b.id as b_id', 'b.nom as b_nom', 'b.adresse as b_adresse', 'b.commune as b_commune', 'b.pivot as b_pivot'])
    .where('d.status', '=', status)
    .$if(status === 'pending', (q) => q.where('a.status', '=', 'published').where('b.status', '=', 'published'))
    .$if(options.pair !== undefined, (q) => q.where('d.lieu_a', '=', options.pair![0]).where('d.lieu_b', '=', options.pair![1]))
    .orderBy('d.score', 'desc')
    .orderBy('d.found_at', 'asc')
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 1000))
    .execute();
  return rows.map((r) => ({
    lieu_a: { id: r.a_id, nom: r.a_nom, adresse: r.a_adresse, commune: r.a_commune, pivot: r.a_pivot },
    lieu_b: { id: r.b_id, nom: r.b_nom, adresse: r.b_adresse, commune: r.b_commune, pivot: r.b_pivot },
    score: r.score,
    decision: r.decision,
    signals: (typeof r.signals === 'string' ? JSON.parse(r.signals) : r.signals) as PairScore['signals'],
    reason: r.reason,
    status: r.status,
    found_at: new Date(r.found_at).toISOString(),
  }));
}

/** Records a pair's status, scoring it now when no import proposed it. */
async function setPairStatus(db: Kysely<Database>, x: LieuRow, y: LieuRow, status: DuplicateStatus, now: Date): Promise<void> {
  const [first, second] = x.id < y.id ? [x, y] : [y, x];
  const existing = await db.selectFrom('lieu_duplicates').select('status').where('lieu_a', '=', first.id).where('lieu_b', '=', second.id).executeTakeFirst();
  if (existing) {
    await db.updateTable('lieu_duplicates').set({ status }).where('lieu_a', '=', first.id).where('lieu_b', '=', second.id).execute();
    return;
  }
  const score = scorePair(dedupRecord(first), dedupRecord(second));
  await db
    .insertInto('lieu_duplicates')
    .values({ lieu_a: first.id, lieu_b: second.id, score: score.score, decision: score.decision === 'merge' ? 'merge' : 'review', signals: JSON.stringify(score.signals), reason: score.reason ?? null, status, found_run_id: null, found_at: now })
    .execute();
}

/** A and B are different places: the pair is never proposed again (later runs keep the status). */
export async function rejectDuplicate(deps: DuplicatesDeps, idA: string, idB: string): Promise<DuplicatePair> {
  const [a, b] = orderedPair(checkId(idA, 'lieu_a'), checkId(idB, 'lieu_b'));
  if (a === b) throw new ValidationError([{ field: 'lieu_b', message: 'Les deux lieux doivent être différents.' }], 'Un lieu ne peut pas être le doublon de lui-même.');
  await deps.db.transaction().execute(async (trx) => {
    const rowA = await lieuxRepo.findLieuById(trx, a);
    const rowB = await lieuxRepo.findLieuById(trx, b);
    if (!rowA) throw unknownLieu(a);
    if (!rowB) throw unknownLieu(b);
    await setPairStatus(trx, rowA, rowB, 'rejected', deps.clock.now());
  });
  const [pair] = await listDuplicates(deps, { status: 'rejected', pair: [a, b] });
  return pair!;
}

async function activeMergeOf(db: Kysely<Database>, lieuId: string) {
  return db.selectFrom('lieu_merges').selectAll().where('lieu_id', '=', lieuId).where('split_at', 'is', null).executeTakeFirst();
}

async function storedContributions(db: Kysely<Database>, lieuId: string): Promise<ContributionRow[]> {
  const rows = await db.selectFrom('lieu_field_contributions').selectAll().where('lieu_id', '=', lieuId).execute();
  return rows
    .filter((r) => r.source_id !== null)
    .map((r) => ({ lieu_id: r.lieu_id, field: r.field, contributor: r.contributor, source_id: r.source_id!, value: JSON.stringify(r.value), given_at: new Date(r.given_at), run_id: r.run_id }));
}

async function storedProvenance(db: Kysely<Database>, lieuId: string): Promise<ProvenanceRow[]> {
  const rows = await db.selectFrom('lieu_field_provenance').selectAll().where('lieu_id', '=', lieuId).execute();
  return rows.map((r) => ({ ...r, updated_at: new Date(r.updated_at).toISOString() }));
}

async function writeProvenance(db: Kysely<Database>, lieuId: string, rows: ProvenanceRow[]): Promise<void> {
  await replaceProvenance(db, [lieuId], rows.map((r) => ({ ...r, lieu_id: lieuId, updated_at: new Date(r.updated_at) })));
}

/**
 * Adds a version to a place when a merge or split changed no value of it, so its history
 * still tells what happened; or sets the reason of the version the use case just wrote.
 */
async function noteVersion(db: Kysely<Database>, lieuId: string, versionBefore: number, actor: Actor, reason: string, now: Date): Promise<void> {
  const row = await lieuxRepo.findLieuById(db, lieuId, { forUpdate: true });
  if (!row) throw unknownLieu(lieuId);
  if (row.version > versionBefore) {
    await db.updateTable('lieu_versions').set({ reason }).where('lieu_id', '=', lieuId).where('version', '=', row.version).where('reason', 'is', null).execute();
    return;
  }
  const updated = await lieuxRepo.updateLieuRow(db, lieuId, { version: row.version + 1, updated_at: now });
  await lieuxRepo.insertLieuVersion(db, { lieu_id: lieuId, version: updated.version, changed_at: now, action: 'update', actor_kind: actor.kind, actor_id: actor.id ?? null, changes: {}, snapshot: toApiV1(updated), reason });
  if (updated.status === 'published') await lieuxRepo.recordLieuChange(db, { lieu_id: lieuId, kind: 'updated', changed_at: now });
}

async function lockedPlace(db: Kysely<Database>, id: string): Promise<LieuRow> {
  const row = await lieuxRepo.findLieuById(db, id, { forUpdate: true });
  if (!row) throw unknownLieu(id);
  return row;
}

/**
 * Merges B into A. Refused when either is already merged, and when both carry different real
 * SIRET/RNA unless `force` (an operator who checked: they are one place after all).
 */
export async function mergeLieux(deps: DuplicatesDeps, keptId: string, mergedId: string, actor: Actor, options: { force?: boolean } = {}): Promise<MergeReport> {
  const aId = checkId(keptId, 'lieu_conserve');
  const bId = checkId(mergedId, 'lieu_fusionne');
  if (aId === bId) throw new ValidationError([{ field: 'lieu_fusionne', message: 'Les deux lieux doivent être différents.' }], 'Un lieu ne peut pas être fusionné avec lui-même.');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const db = joinTransaction(trx);
    const lieuxDeps = { ...deps, db };
    const [first, second] = orderedPair(aId, bId); // lock in one order: two merges cannot deadlock
    await lockedPlace(db, first);
    await lockedPlace(db, second);
    const a = await lockedPlace(db, aId);
    const b = await lockedPlace(db, bId);
    for (const row of [a, b]) {
      const merge = await activeMergeOf(db, row.id);
      if (merge) throw new ConflictError(`Le lieu « ${row.nom} » (${row.id}) est déjà fusionné dans le lieu ${merge.merged_into} : séparez-le d’abord.`);
    }
    if (a.status !== 'published') throw new ConflictError(`Le lieu conservé « ${a.nom} » est retiré du registre : republiez-le d’abord, ou conservez l’autre lieu.`);
    if (isRealPivot(a.pivot) && isRealPivot(b.pivot) && a.pivot !== b.pivot && !options.force) {
      throw new ConflictError(`Les deux lieux ont des SIRET/RNA différents (${a.pivot} et ${b.pivot}) : ils ne sont jamais fusionnés sans confirmation explicite (option « forcer »).`);
    }
    const states = await loadMergeStates(db, [a, b]);
    const result = combineStates(states.get(a.id)!, states.get(b.id)!);
    const undo: Undo = {
      links: await db.selectFrom('lieu_sources').select(['source_id', 'external_id']).where('lieu_id', '=', b.id).execute(),
      kept_contributions: await storedContributions(db, a.id),
      merged_contributions: await storedContributions(db, b.id),
      kept_provenance: await storedProvenance(db, a.id),
      merged_provenance: await storedProvenance(db, b.id),
    };
    const mergeId = randomUUID();
    const patch: Record<string, unknown> = {};
    for (const field of result.changed) patch[field] = result.fields[field];
    if (result.changed.length) await updateLieu(lieuxDeps, a.id, patch, actor, { ignoreUnknownFields: true });
    await noteVersion(db, a.id, a.version, actor, `Fusion du lieu « ${b.nom} » (${b.id}) dans ce lieu.`, now);
    const bReason = `Fusionné dans le lieu « ${a.nom} » (${a.id}).`;
    if (b.status === 'published') await unpublishLieu(lieuxDeps, b.id, actor, bReason);
    else await noteVersion(db, b.id, b.version, actor, bReason, now);

    await db.updateTable('lieu_sources').set({ lieu_id: a.id }).where('lieu_id', '=', b.id).execute();
    await db.updateTable('import_rows').set({ lieu_id: a.id }).where('lieu_id', '=', b.id).execute();
    await replaceContributions(db, [a.id, b.id], contributionRows(a.id, result.contributions, mergeId));
    const provenance = mergeFields.flatMap((field) => {
      const first = result.provenance[field]?.[0];
      return first?.origin.kind === 'source' ? [{ lieu_id: a.id, field, source_id: first.origin.id, run_id: mergeId, updated_at: first.at.toISOString() }] : [];
    });
    await writeProvenance(db, a.id, provenance);
    await writeProvenance(db, b.id, []);
    await setPairStatus(db, a, b, 'confirmed', now);

    const after = await lockedPlace(db, a.id);
    await db
      .insertInto('lieu_merges')
      .values({
        id: mergeId,
        lieu_id: b.id,
        merged_into: a.id,
        lieu_version_before: b.version,
        merged_into_version_before: a.version,
        merged_into_version_after: after.version,
        undo: JSON.stringify(undo),
        actor_kind: actor.kind,
        actor_id: actor.id ?? null,
        merged_at: now,
      })
      .execute();
    return { merge_id: mergeId, lieu: toApiV1(after), fusionne: b.id, champs_modifies: result.changed };
  });
}

/** Confirms a pair of the review queue: merges the second place into the first. */
export async function confirmDuplicate(deps: DuplicatesDeps, keptId: string, mergedId: string, actor: Actor, options: { force?: boolean } = {}): Promise<MergeReport> {
  return mergeLieux(deps, keptId, mergedId, actor, options);
}

async function snapshotAt(db: Kysely<Database>, lieuId: string, version: number): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('lieu_versions').select('snapshot').where('lieu_id', '=', lieuId).where('version', '=', version).executeTakeFirst();
  if (!row) throw new ConflictError(`L’historique du lieu ${lieuId} ne contient plus sa version ${version} : la séparation est impossible.`);
  return (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as Record<string, unknown>;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/**
 * The values that bring a place back to a snapshot, except the fields edited since `after`
 * (a snapshot taken just after the merge): those edits are kept.
 */
function restorePatch(current: Lieu, before: Record<string, unknown>, after: Record<string, unknown> | null): { patch: Record<string, unknown>; kept: MergeField[] } {
  const patch: Record<string, unknown> = {};
  const kept: MergeField[] = [];
  for (const field of mergeFields) {
    const now = (current as unknown as Record<string, unknown>)[field];
    if (after && !same(now, after[field])) {
      if (!same(now, before[field])) kept.push(field);
      continue;
    }
    if (!same(now, before[field])) patch[field] = before[field] ?? null;
  }
  // A commune centre is restored by letting validation derive it again, not as a real position.
  if (before.position_approximate === true && ('latitude' in patch || 'longitude' in patch || 'commune' in patch)) {
    patch.latitude = null;
    patch.longitude = null;
  }
  if (!kept.includes('date_maj')) patch.date_maj = before.date_maj; // updateLieu would otherwise stamp today
  return { patch, kept };
}

/**
 * Undoes the merge of place `mergedId` (B): B comes back as it was before the merge (and is
 * published again if it was), A gets back its pre-merge values except the fields edited since
 * the merge, which keep their new value. Links, raw rows, contributions and provenance that came
 * from B go back to B; the pair is marked rejected so it is never proposed again.
 */
export async function splitLieu(deps: DuplicatesDeps, mergedId: string, actor: Actor): Promise<SplitReport> {
  const bId = checkId(mergedId, 'lieu');
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const db = joinTransaction(trx);
    const lieuxDeps = { ...deps, db };
    const merge = await db.selectFrom('lieu_merges').selectAll().where('lieu_id', '=', bId).where('split_at', 'is', null).forUpdate().executeTakeFirst();
    if (!merge) {
      await lockedPlace(db, bId);
      throw new ConflictError(`Le lieu ${bId} n’est fusionné dans aucun autre : il n’y a rien à séparer.`);
    }
    const undo = (typeof merge.undo === 'string' ? JSON.parse(merge.undo) : merge.undo) as Undo;
    const [first, second] = orderedPair(merge.merged_into, bId);
    await lockedPlace(db, first);
    await lockedPlace(db, second);
    const a = await lockedPlace(db, merge.merged_into);
    const b = await lockedPlace(db, bId);

    // A: its values before the merge, except what was edited after it.
    const aBefore = await snapshotAt(db, a.id, merge.merged_into_version_before);
    const aAfter = await snapshotAt(db, a.id, merge.merged_into_version_after);
    const restoreA = restorePatch(toApiV1(a), aBefore, aAfter);
    await updateLieu(lieuxDeps, a.id, restoreA.patch, actor, { ignoreUnknownFields: true });
    await noteVersion(db, a.id, a.version, actor, `Séparation du lieu « ${b.nom} » (${b.id}), fusionné par erreur.`, now);

    // B: exactly as before the merge (nothing writes to a merged place, but be safe).
    const bBefore = await snapshotAt(db, b.id, merge.lieu_version_before);
    const restoreB = restorePatch(toApiV1(b), bBefore, null);
    const bReason = `Séparé du lieu « ${a.nom} » (${a.id}).`;
    const bVersion = b.version;
    await updateLieu(lieuxDeps, b.id, restoreB.patch, actor, { ignoreUnknownFields: true });
    if (bBefore.status === 'published') await republishLieu(lieuxDeps, b.id, actor, bReason);
    await noteVersion(db, b.id, bVersion, actor, bReason, now);

    // Links and raw rows that came from B go back to B.
    for (const link of undo.links) {
      await db.updateTable('lieu_sources').set({ lieu_id: b.id }).where('source_id', '=', link.source_id).where('external_id', '=', link.external_id).where('lieu_id', '=', a.id).execute();
      await db.updateTable('import_rows').set({ lieu_id: b.id }).where('source_id', '=', link.source_id).where('external_id', '=', link.external_id).where('lieu_id', '=', a.id).execute();
    }
    // Contributions: B gets its own back, updated by what its sources sent since; A keeps the rest.
    const key = (r: { field: string; contributor: string }) => `${r.field}|${r.contributor}`;
    const keptKeys = new Set(undo.kept_contributions.map(key));
    const mergedKeys = new Set(undo.merged_contributions.map(key));
    const current = await storedContributions(db, a.id);
    const forB = new Map(undo.merged_contributions.map((r) => [key(r), { ...r, given_at: new Date(r.given_at), lieu_id: b.id }]));
    const forA: ContributionRow[] = [];
    for (const row of current) {
      if (mergedKeys.has(key(row)) && !keptKeys.has(key(row))) forB.set(key(row), { ...row, lieu_id: b.id });
      else forA.push(row);
    }
    await replaceContributions(db, [a.id, b.id], [...forA, ...forB.values()]);
    const aProvenance = await storedProvenance(db, a.id);
    const keptFields = new Set<string>(restoreA.kept);
    await writeProvenance(db, a.id, [...undo.kept_provenance.filter((p) => !keptFields.has(p.field)), ...aProvenance.filter((p) => keptFields.has(p.field))]);
    await writeProvenance(db, b.id, undo.merged_provenance);
    await setPairStatus(db, a, b, 'rejected', now);
    await db.updateTable('lieu_merges').set({ split_at: now, split_actor_kind: actor.kind, split_actor_id: actor.id ?? null }).where('id', '=', merge.id).execute();
    return {
      merge_id: merge.id,
      lieu: toApiV1(await lockedPlace(db, a.id)),
      separe: toApiV1(await lockedPlace(db, b.id)),
      champs_conserves: restoreA.kept,
    };
  });
}

/** Where a merged place now lives (following merges of merges), or null when it is not merged. */
export async function mergedInto(deps: Pick<DuplicatesDeps, 'db'>, id: string): Promise<string | null> {
  return findMergedInto(deps.db, id);
}

// ---- The same actions for signed-in accounts (API): moderators and administrators only,
// recorded in the audit log.

export interface ReviewContext {
  account: AccountPrincipal;
  ip: string | null;
}

function assertReviewer(account: AccountPrincipal): Actor {
  if (account.role !== 'moderateur' && account.role !== 'administrateur') {
    throw new ForbiddenError('La revue des doublons, les fusions et les séparations de lieux sont réservées aux modérateurs et aux administrateurs.');
  }
  return { kind: 'account', id: account.id };
}

export async function listDuplicatesAsAccount(deps: DuplicatesDeps, ctx: ReviewContext, options: { status?: DuplicateStatus; limit?: number } = {}): Promise<DuplicatePair[]> {
  assertReviewer(ctx.account);
  return listDuplicates(deps, options);
}

export async function mergeLieuxAsAccount(deps: DuplicatesDeps, keptId: string, mergedId: string, ctx: ReviewContext, options: { force?: boolean } = {}): Promise<MergeReport> {
  const actor = assertReviewer(ctx.account);
  return auditedWrite(
    deps,
    (db) => mergeLieux({ ...deps, db }, keptId, mergedId, actor, options),
    (report) => ({ account_id: ctx.account.id, action: 'lieu.merge', target_type: 'lieu', target_id: report.fusionne, ip: ctx.ip }),
  );
}

export async function splitLieuAsAccount(deps: DuplicatesDeps, mergedId: string, ctx: ReviewContext): Promise<SplitReport> {
  const actor = assertReviewer(ctx.account);
  return auditedWrite(
    deps,
    (db) => splitLieu({ ...deps, db }, mergedId, actor),
    (report) => ({ account_id: ctx.account.id, action: 'lieu.split', target_type: 'lieu', target_id: report.separe.id, ip: ctx.ip }),
  );
}

export async function rejectDuplicateAsAccount(deps: DuplicatesDeps, idA: string, idB: string, ctx: ReviewContext): Promise<DuplicatePair> {
  assertReviewer(ctx.account);
  return auditedWrite(
    deps,
    (db) => rejectDuplicate({ ...deps, db }, idA, idB),
    (pair) => ({ account_id: ctx.account.id, action: 'doublon.reject', target_type: 'lieu', target_id: pair.lieu_b.id, ip: ctx.ip }),
  );
}
