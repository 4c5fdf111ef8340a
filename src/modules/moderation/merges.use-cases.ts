// Merges of places seen from the moderation pages: the merges still in force, and "Séparer"
// through the imports module's split use case (which checks the role, writes both places'
// versions and audits `lieu.split`); the moderator's comment joins the pair's comments.
import validator from 'validator';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { inTransaction } from '../../db/join-transaction.ts';
import { assertAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';
import { splitLieuAsAccount, type SplitReport } from '../imports/imports.duplicates.ts';
import '../imports/imports.merge.tables.ts';
import type { ClaimContext } from './claims.use-cases.ts';
import { COMMENT_MAX, type ModerationDeps } from './moderation.use-cases.ts';

export interface ActiveMerge {
  merge_id: string;
  /** The place merged away (unpublished, its URL redirects to the kept one). */
  lieu: { id: string; nom: string; commune: string };
  /** The place it was merged into, which kept its id. */
  merged_into: { id: string; nom: string; commune: string };
  merged_at: string;
}

const select = (deps: Pick<ModerationDeps, 'db'>) =>
  deps.db
    .selectFrom('lieu_merges as m')
    .innerJoin('lieux as b', 'b.id', 'm.lieu_id')
    .innerJoin('lieux as a', 'a.id', 'm.merged_into')
    .select(['m.id', 'm.merged_at', 'b.id as b_id', 'b.nom as b_nom', 'b.commune as b_commune', 'a.id as a_id', 'a.nom as a_nom', 'a.commune as a_commune'])
    .where('m.split_at', 'is', null);

type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
const mergeOf = (r: Row): ActiveMerge => ({
  merge_id: r.id,
  lieu: { id: r.b_id, nom: r.b_nom, commune: r.b_commune },
  merged_into: { id: r.a_id, nom: r.a_nom, commune: r.a_commune },
  merged_at: new Date(r.merged_at).toISOString(),
});

/** Merges in force, newest first. */
export async function listActiveMerges(deps: Pick<ModerationDeps, 'db'>, account: AccountPrincipal, limit = 200): Promise<ActiveMerge[]> {
  assertAuthorized(account, 'lieu.history');
  const rows = await select(deps).orderBy('m.merged_at', 'desc').limit(limit).execute();
  return rows.map(mergeOf);
}

/** The merge in force of a merged place, for the confirmation page. */
export async function getActiveMerge(deps: Pick<ModerationDeps, 'db'>, account: AccountPrincipal, lieuId: string): Promise<ActiveMerge> {
  assertAuthorized(account, 'lieu.history');
  const row = validator.isUUID(lieuId) ? await select(deps).where('m.lieu_id', '=', lieuId.toLowerCase()).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError(`Le lieu « ${lieuId} » n’est fusionné dans aucun autre : il n’y a rien à séparer.`);
  return mergeOf(row);
}

/** Splits a merged place back out, keeping the moderator's comment with the pair. */
export async function splitFromModeration(deps: ModerationDeps, lieuId: string, rawComment: unknown, ctx: ClaimContext): Promise<SplitReport> {
  const comment = typeof rawComment === 'string' ? rawComment.trim() : '';
  if (comment.length > COMMENT_MAX) {
    throw new ValidationError([{ field: 'commentaire', message: `Le commentaire doit faire au plus ${COMMENT_MAX} caractères.` }], 'La séparation n’a pas été faite : le commentaire est trop long.');
  }
  // One transaction: the split and its comment are kept together or not at all.
  return inTransaction(deps.db, async (db) => {
    const report = await splitLieuAsAccount({ ...deps, db }, lieuId, ctx);
    const [x, y] = [report.lieu.id, report.separe.id].sort();
    await db.insertInto('moderation_comments').values({ item_type: 'duplicate', item_id: `${x}:${y}`, account_id: ctx.account.id, decision: 'split', comment: comment || null, at: deps.clock.now() }).execute();
    return report;
  });
}
