// A place's history for moderators, and "revert to a version": the values of version N become
// the place's values again through updateLieu, so the revert is a NEW version (reason "Retour à
// la version N"), a change-feed entry and a read-model update like any edit. History is never
// rewritten. The accounts whose later edits are undone are told by e-mail.
import type { Kysely } from 'kysely';
import validator from 'validator';
import type { Database, LieuRow } from '../../db/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { assertAuthorized, roleLabels, type AccountPrincipal } from '../accounts/authorize.ts';
import { DELETED_ACCOUNT_ACTOR } from '../accounts/account-data.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import { auditedWrite } from '../audit/audit.use-cases.ts';
import { toApiV1, type Lieu } from '../lieux/lieux.schema.ts';
import * as lieuxRepo from '../lieux/lieux.repository.ts';
import { updateLieu, versionChanges, type LieuVersion } from '../lieux/lieux.use-cases.ts';
import { mergeFields } from '../imports/imports.merge.ts';
import '../imports/imports.tables.ts';
import '../imports/imports.merge.tables.ts';
import { notify, type ClaimContext } from './claims.use-cases.ts';
import type { ModerationDeps } from './moderation.use-cases.ts';
import { COMMENT_MAX } from './moderation.use-cases.ts';
import { revertedEmail } from './history.emails.ts';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  version: number;
  changed_at: string;
  action: LieuVersion['action'];
  /** Who: an account's role and short id, a source's name, the command line or Maillage itself; never an e-mail. */
  actor: string;
  reason: string | null;
  changes: FieldChange[];
}

export interface LieuHistory {
  lieu: Lieu;
  /** Newest first. */
  versions: HistoryEntry[];
  /** Set when the place is merged into another: no revert until it is split. */
  merged_into: { id: string; nom: string } | null;
}

export interface RevertPreview {
  lieu: Lieu;
  /** The place's version now: the confirmation is refused if it changed in between. */
  current_version: number;
  target: HistoryEntry;
  /** From the current value to the value version N had, for the fields a revert would change. */
  changes: FieldChange[];
  /** Why the revert cannot be done (already in that state, merged place), or null. */
  blocked: string | null;
  /** Said when the publication status of version N differs from the current one (it is kept). */
  status_note: string | null;
}

export interface RevertResult {
  lieu: Lieu;
  /** The version the place was brought back to. */
  reverted_to: number;
  /** The new version written by the revert. */
  version: number;
  /** How many of the accounts whose edits were undone got the e-mail. */
  notified: number;
}

const unknownLieu = (id: string) => new NotFoundError(`Aucun lieu ne porte l’identifiant « ${id} ».`);

function checkLieuId(id: string): string {
  if (!validator.isUUID(id)) throw unknownLieu(id);
  return id.toLowerCase();
}

function checkVersion(raw: unknown, lieuId: string): number {
  const text = String(raw ?? '');
  const version = /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(version)) throw new NotFoundError(`Le lieu ${lieuId} n’a pas de version « ${text} ».`);
  return version;
}

function checkComment(raw: unknown): string | null {
  const comment = typeof raw === 'string' ? raw.trim() : '';
  if (comment.length > COMMENT_MAX) {
    throw new ValidationError([{ field: 'commentaire', message: `Le commentaire doit faire au plus ${COMMENT_MAX} caractères.` }], 'Le lieu n’a pas été modifié : le commentaire est trop long.');
  }
  return comment || null;
}

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;
const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/** Labels of the actors of some versions, without personal data. */
async function actorLabels(db: Kysely<Database>, rows: { actor_kind: string; actor_id: string | null }[]): Promise<(row: { actor_kind: string; actor_id: string | null }) => string> {
  const accountIds = [...new Set(rows.filter((r) => r.actor_kind === 'account' && r.actor_id && validator.isUUID(r.actor_id)).map((r) => r.actor_id!))];
  const sourceIds = [...new Set(rows.filter((r) => r.actor_kind === 'source' && r.actor_id && validator.isUUID(r.actor_id)).map((r) => r.actor_id!))];
  const roles = new Map<string, Role>(accountIds.length ? (await db.selectFrom('accounts').select(['id', 'role']).where('id', 'in', accountIds).execute()).map((a) => [a.id, a.role]) : []);
  const sources = new Map<string, string>(sourceIds.length ? (await db.selectFrom('sources').select(['id', 'name']).where('id', 'in', sourceIds).execute()).map((s) => [s.id, s.name]) : []);
  return (row) => {
    switch (row.actor_kind) {
      case 'account': {
        const role = row.actor_id ? roles.get(row.actor_id) : undefined;
        if (!role || row.actor_id === DELETED_ACCOUNT_ACTOR) return 'Compte supprimé';
        return `Compte ${roleLabels[role]} n° ${row.actor_id!.slice(0, 8)}`;
      }
      case 'source':
        return `Source « ${(row.actor_id && sources.get(row.actor_id)) ?? 'supprimée'} »`;
      case 'cli':
        return 'Ligne de commande (exploitation)';
      default:
        return 'Maillage (traitement automatique)';
    }
  };
}

function entryOf(
  row: { version: number; changed_at: Date; action: LieuVersion['action']; reason: string | null; changes: unknown; snapshot: unknown; actor_kind: string; actor_id: string | null },
  label: (r: typeof row) => string,
): HistoryEntry {
  const changes = versionChanges(row);
  return {
    version: row.version,
    changed_at: new Date(row.changed_at).toISOString(),
    action: row.action,
    actor: label(row),
    reason: row.reason,
    changes: Object.entries(changes).map(([field, c]) => ({ field, from: c.from, to: c.to })),
  };
}

async function activeMerge(db: Kysely<Database>, lieuId: string): Promise<{ id: string; nom: string } | null> {
  const row = await db
    .selectFrom('lieu_merges as m')
    .innerJoin('lieux as l', 'l.id', 'm.merged_into')
    .select(['l.id', 'l.nom'])
    .where('m.lieu_id', '=', lieuId)
    .where('m.split_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

const mergedRefusal = (into: { id: string; nom: string }) =>
  `Ce lieu est fusionné dans le lieu « ${into.nom} » (${into.id}) : séparez-le d’abord (Modération › Fusions de lieux) avant de revenir à une de ses versions.`;

export async function getLieuHistory(deps: Pick<ModerationDeps, 'db'>, account: AccountPrincipal, rawId: string): Promise<LieuHistory> {
  assertAuthorized(account, 'lieu.history');
  const id = checkLieuId(rawId);
  const row = await lieuxRepo.findLieuById(deps.db, id);
  if (!row) throw unknownLieu(rawId);
  const rows = await lieuxRepo.listVersions(deps.db, id);
  const label = await actorLabels(deps.db, rows);
  return { lieu: toApiV1(row), versions: rows.map((r) => entryOf(r, label)).reverse(), merged_into: await activeMerge(deps.db, id) };
}

/**
 * The values that bring the place back to a snapshot: every standard field that differs (the
 * standard's date_maj too, so the revert does not stamp today's date). The publication status is
 * not part of it: retiring or republishing a place stays an explicit action.
 */
function revertPatch(current: Lieu, snapshot: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  const now = current as unknown as Record<string, unknown>;
  for (const field of mergeFields) if (!same(now[field], snapshot[field])) patch[field] = snapshot[field] ?? null;
  if (Object.keys(patch).length === 0) return patch;
  // A commune centre is not a real position: validation derives it again from the commune.
  if (snapshot.position_approximate === true) {
    patch.latitude = null;
    patch.longitude = null;
  }
  patch.date_maj = snapshot.date_maj;
  return patch;
}

async function targetVersion(db: Kysely<Database>, lieu: LieuRow, version: number) {
  const row = await db.selectFrom('lieu_versions').selectAll().where('lieu_id', '=', lieu.id).where('version', '=', version).executeTakeFirst();
  if (!row) throw new NotFoundError(`Le lieu « ${lieu.nom} » n’a pas de version ${version} (sa version actuelle est la ${lieu.version}).`);
  return row;
}

const alreadyThere = (version: number, current: number) =>
  version === current ? `La version ${version} est la version actuelle du lieu : il n’y a rien à rétablir.` : `Le lieu est déjà dans l’état de la version ${version} : il n’y a rien à rétablir.`;

/** What a revert to version N would change, for the confirmation step; writes nothing. */
export async function previewRevert(deps: Pick<ModerationDeps, 'db'>, account: AccountPrincipal, rawId: string, rawVersion: unknown): Promise<RevertPreview> {
  assertAuthorized(account, 'lieu.revert');
  const id = checkLieuId(rawId);
  const row = await lieuxRepo.findLieuById(deps.db, id);
  if (!row) throw unknownLieu(rawId);
  const version = checkVersion(rawVersion, id);
  const target = await targetVersion(deps.db, row, version);
  const lieu = toApiV1(row);
  const patch = revertPatch(lieu, parse(target.snapshot));
  const changes = Object.entries(patch)
    .filter(([field, to]) => !same((lieu as unknown as Record<string, unknown>)[field], to))
    .map(([field, to]) => ({ field, from: (lieu as unknown as Record<string, unknown>)[field] ?? null, to }));
  const merged = await activeMerge(deps.db, id);
  const blocked = merged ? mergedRefusal(merged) : changes.length === 0 ? alreadyThere(version, row.version) : null;
  const label = await actorLabels(deps.db, [target]);
  const snapshot = parse<Record<string, unknown>>(target.snapshot);
  const status_note =
    snapshot.status === row.status || !snapshot.status
      ? null
      : row.status === 'published'
        ? `À la version ${version}, le lieu était retiré du registre : seules ses informations sont rétablies, il reste publié.`
        : `À la version ${version}, le lieu était publié : seules ses informations sont rétablies, il reste retiré du registre (republiez-le séparément si besoin).`;
  return { lieu, current_version: row.version, target: entryOf(target, label), changes, blocked, status_note };
}

export interface RevertInput {
  comment?: unknown;
  /** The place's version shown on the confirmation page: refused if the place changed since. */
  expectedVersion?: unknown;
}

/**
 * Brings a place back to the values of one of its versions, as a new version whose reason is
 * « Retour à la version N » (with the moderator's comment). Moderators and administrators only;
 * audited (`lieu.revert`). Refused with a French message when there is nothing to change, when
 * the place is merged into another, or when the place changed since the confirmation.
 */
export async function revertLieuToVersion(deps: ModerationDeps, rawId: string, rawVersion: unknown, input: RevertInput, ctx: ClaimContext): Promise<RevertResult> {
  assertAuthorized(ctx.account, 'lieu.revert');
  const id = checkLieuId(rawId);
  const version = checkVersion(rawVersion, id);
  const comment = checkComment(input.comment);
  const expected = input.expectedVersion === undefined || input.expectedVersion === '' ? null : Number(input.expectedVersion);
  const actor = { kind: 'account' as const, id: ctx.account.id };
  const result = await auditedWrite(
    deps,
    async (db) => {
      const current = await lieuxRepo.findLieuById(db, id, { forUpdate: true });
      if (!current) throw unknownLieu(rawId);
      const target = await targetVersion(db, current, version);
      const merged = await activeMerge(db, id);
      if (merged) throw new ConflictError(mergedRefusal(merged));
      if (expected !== null && expected !== current.version) {
        throw new ConflictError(`Le lieu a été modifié depuis l’affichage de la confirmation (il est maintenant à la version ${current.version}) : vérifiez de nouveau les différences avant de revenir à la version ${version}.`);
      }
      const patch = revertPatch(toApiV1(current), parse(target.snapshot));
      if (Object.keys(patch).length === 0) throw new ConflictError(alreadyThere(version, current.version));
      try {
        await updateLieu({ ...deps, db }, id, patch, actor, { ignoreUnknownFields: true });
      } catch (error) {
        // A version written under older rules may no longer be valid: say so, field by field.
        if (!(error instanceof ValidationError)) throw error;
        throw new ValidationError(error.errors, `La version ${version} ne peut pas être rétablie : certains de ses champs ne sont plus valides.`);
      }
      const after = await lieuxRepo.findLieuById(db, id);
      if (!after || after.version === current.version) throw new ConflictError(alreadyThere(version, current.version));
      const reason = `Retour à la version ${version}${comment ? ` : ${comment}` : ''}`;
      await db.updateTable('lieu_versions').set({ reason }).where('lieu_id', '=', id).where('version', '=', after.version).execute();
      // The accounts whose edits (after version N) are undone, except the moderator.
      const undone = await db
        .selectFrom('lieu_versions')
        .select('actor_id')
        .distinct()
        .where('lieu_id', '=', id)
        .where('version', '>', version)
        .where('version', '<', after.version)
        .where('actor_kind', '=', 'account')
        .execute();
      const accountIds = undone.map((r) => r.actor_id).filter((a): a is string => !!a && validator.isUUID(a) && a !== ctx.account.id);
      const emails = accountIds.length ? (await db.selectFrom('accounts').select('email').where('id', 'in', accountIds).where('email_verified_at', 'is not', null).execute()).map((a) => a.email) : [];
      return { lieu: toApiV1(after), version: after.version, emails };
    },
    (r) => ({ account_id: ctx.account.id, action: 'lieu.revert', target_type: 'lieu', target_id: r.lieu.id, ip: ctx.ip }),
  );
  let notified = 0;
  for (const email of result.emails) {
    if (await notify(deps.mailer, email, revertedEmail(result.lieu.nom, `${deps.publicUrl}/lieux/${result.lieu.id}`, version, comment))) notified++;
  }
  return { lieu: result.lieu, reverted_to: version, version: result.version, notified };
}
