// The moderation queue (moderators and administrators only): pending claims, open public
// error reports and uncertain duplicate pairs, and the decisions on each. Every decision keeps
// the moderator's comment (moderation_comments), is audited, and the person concerned is told
// by e-mail (the claimant; the reporter only if they left an address). Duplicates go through
// the review use cases of the imports module (merge, reject), never reimplemented here.
import validator from 'validator';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { ForbiddenError, type AccountPrincipal } from '../accounts/authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { listDuplicates, mergeLieuxAsAccount, rejectDuplicateAsAccount, type DuplicatePair, type DuplicatesDeps } from '../imports/imports.duplicates.ts';
import { REPORT_KINDS } from '../reports/reports.schema.ts';
import '../reports/reports.tables.ts';
import { checkClaimDomain } from './claims.domains.ts';
import { notify, type ClaimContext, type ClaimDeps } from './claims.use-cases.ts';
import { claimAcceptedEmail, claimRejectedEmail, reportDecidedEmail } from './moderation.emails.ts';
import type { ModerationItemType } from './moderation.tables.ts';
import { listPendingPropositions, type PendingProposition } from '../propositions/propositions.use-cases.ts';

export type ModerationDeps = DuplicatesDeps & ClaimDeps;

export interface PendingClaim {
  id: string;
  lieu: { id: string; nom: string; commune: string; site_web: string[]; courriels: string[] };
  email: string;
  message: string | null;
  created_at: string;
  /** Why it was not accepted automatically. */
  reason: string;
}

export interface OpenReport {
  id: string;
  lieu: { id: string; nom: string; commune: string };
  kind: string;
  message: string;
  /** The reporter left an address: they will be told of the decision (the address is not shown). */
  reply_expected: boolean;
  created_at: string;
}

export interface ModerationQueue {
  /** New places proposed by accounts (src/modules/propositions). */
  propositions: PendingProposition[];
  claims: PendingClaim[];
  reports: OpenReport[];
  duplicates: DuplicatePair[];
}

export const COMMENT_MAX = 2000;

function assertModerator(account: AccountPrincipal): void {
  if (account.role !== 'moderateur' && account.role !== 'administrateur') {
    throw new ForbiddenError('la file de modération est réservée aux modérateurs et aux administrateurs.');
  }
}

function checkComment(raw: unknown, required: string | null): string | null {
  const comment = typeof raw === 'string' ? raw.trim() : '';
  if (comment.length > COMMENT_MAX) throw new ValidationError([{ field: 'commentaire', message: `Le commentaire doit faire au plus ${COMMENT_MAX} caractères.` }], 'La décision n’a pas été enregistrée : le commentaire est trop long.');
  if (!comment && required) throw new ValidationError([{ field: 'commentaire', message: required }], `La décision n’a pas été enregistrée : ${required.charAt(0).toLowerCase()}${required.slice(1)}`);
  return comment || null;
}

function checkUuid(raw: string, what: string): string {
  if (!validator.isUUID(raw)) throw new NotFoundError(`${what} « ${raw} » n’existe pas.`);
  return raw.toLowerCase();
}

const iso = (d: Date) => new Date(d).toISOString();

export async function listModerationQueue(deps: ModerationDeps, account: AccountPrincipal, limit = 100): Promise<ModerationQueue> {
  assertModerator(account);
  const claimRows = await deps.db
    .selectFrom('lieu_claims as c')
    .innerJoin('lieux as l', 'l.id', 'c.lieu_id')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.id', 'c.message', 'c.created_at', 'a.email', 'l.id as lieu_id', 'l.nom', 'l.commune', 'l.site_web', 'l.courriels'])
    .where('c.status', '=', 'pending')
    .orderBy('c.created_at', 'asc')
    .limit(limit)
    .execute();
  const reportRows = await deps.db
    .selectFrom('reports as r')
    .innerJoin('lieux as l', 'l.id', 'r.lieu_id')
    .select(['r.id', 'r.kind', 'r.message', 'r.email', 'r.created_at', 'l.id as lieu_id', 'l.nom', 'l.commune'])
    .where('r.status', '=', 'open')
    .orderBy('r.created_at', 'asc')
    .limit(limit)
    .execute();
  // Nothing is merged automatically yet: every pending pair needs a person.
  const duplicates = await listDuplicates(deps, { status: 'pending', limit });
  const propositions = await listPendingPropositions(deps, limit);
  return {
    propositions,
    claims: claimRows.map((r) => {
      const check = checkClaimDomain(r.email, r);
      return {
        id: r.id,
        lieu: { id: r.lieu_id, nom: r.nom, commune: r.commune, site_web: r.site_web, courriels: r.courriels },
        email: r.email,
        message: r.message,
        created_at: iso(r.created_at),
        reason: check.automatic ? 'Le domaine correspond désormais à celui du lieu.' : check.reason,
      };
    }),
    reports: reportRows.map((r) => ({
      id: r.id,
      lieu: { id: r.lieu_id, nom: r.nom, commune: r.commune },
      kind: REPORT_KINDS.find((k) => k.value === r.kind)?.label ?? r.kind,
      message: r.message,
      reply_expected: r.email !== null,
      created_at: iso(r.created_at),
    })),
    duplicates,
  };
}

async function recordComment(deps: ModerationDeps, itemType: ModerationItemType, itemId: string, accountId: string, decision: string, comment: string | null) {
  await deps.db.insertInto('moderation_comments').values({ item_type: itemType, item_id: itemId, account_id: accountId, decision, comment, at: deps.clock.now() }).execute();
}

export type ClaimDecision = 'accept' | 'reject';

export async function decideClaim(deps: ModerationDeps, claimId: string, decision: ClaimDecision, rawComment: unknown, ctx: ClaimContext): Promise<{ notified: boolean }> {
  assertModerator(ctx.account);
  const comment = checkComment(rawComment, decision === 'reject' ? 'Expliquez au demandeur pourquoi sa demande est refusée.' : null);
  const id = checkUuid(claimId, 'La demande');
  const now = deps.clock.now();
  const claim = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('lieu_claims')
      .set({ status: decision === 'accept' ? 'accepted' : 'rejected', decided_at: now, decided_by: ctx.account.id })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning(['lieu_id', 'account_id'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Cette demande n’existe pas ou a déjà été traitée.');
    if (decision === 'accept') {
      await trx.insertInto('account_scopes').values({ account_id: row.account_id, kind: 'lieu', code: row.lieu_id }).onConflict((oc) => oc.doNothing()).execute();
    }
    await trx.insertInto('moderation_comments').values({ item_type: 'claim', item_id: id, account_id: ctx.account.id, decision, comment, at: now }).execute();
    await recordAudit(trx, deps.clock, { account_id: ctx.account.id, action: `claim.${decision}`, target_type: 'claim', target_id: id, ip: ctx.ip });
    const lieu = await trx.selectFrom('lieux').select(['id', 'nom']).where('id', '=', row.lieu_id).executeTakeFirstOrThrow();
    const account = await trx.selectFrom('accounts').select('email').where('id', '=', row.account_id).executeTakeFirstOrThrow();
    return { lieu, email: account.email };
  });
  const email = decision === 'accept' ? claimAcceptedEmail(claim.lieu.nom, `${deps.publicUrl}/lieux/${claim.lieu.id}`, comment, false) : claimRejectedEmail(claim.lieu.nom, comment);
  return { notified: await notify(deps.mailer, claim.email, email) };
}

export type ReportDecision = 'resolved' | 'rejected';

export async function decideReport(deps: ModerationDeps, reportId: string, decision: ReportDecision, rawComment: unknown, ctx: ClaimContext): Promise<{ notified: boolean }> {
  assertModerator(ctx.account);
  const comment = checkComment(rawComment, null);
  const id = checkUuid(reportId, 'Le signalement');
  const report = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('reports').set({ status: decision }).where('id', '=', id).where('status', '=', 'open').returning(['lieu_id', 'email']).executeTakeFirst();
    if (!row) throw new NotFoundError('Ce signalement n’existe pas ou a déjà été traité.');
    await trx.insertInto('moderation_comments').values({ item_type: 'report', item_id: id, account_id: ctx.account.id, decision, comment, at: deps.clock.now() }).execute();
    await recordAudit(trx, deps.clock, { account_id: ctx.account.id, action: `report.${decision === 'resolved' ? 'resolve' : 'reject'}`, target_type: 'report', target_id: id, ip: ctx.ip });
    const lieu = await trx.selectFrom('lieux').select('nom').where('id', '=', row.lieu_id).executeTakeFirstOrThrow();
    return { nom: lieu.nom, email: row.email };
  });
  if (!report.email) return { notified: false };
  return { notified: await notify(deps.mailer, report.email, reportDecidedEmail(report.nom, decision === 'resolved', comment)) };
}

export interface DuplicateDecisionInput {
  lieu_a: string;
  lieu_b: string;
  decision: 'merge' | 'reject';
  /** For a merge: which place keeps its id (the other is merged into it). */
  kept?: 'a' | 'b';
  comment?: unknown;
}

/** Merge or reject a pair through the review use cases (which audit), then keep the comment. */
export async function decideDuplicate(deps: ModerationDeps, input: DuplicateDecisionInput, ctx: ClaimContext): Promise<void> {
  assertModerator(ctx.account);
  const comment = checkComment(input.comment, null);
  if (input.decision === 'merge') {
    const [kept, merged] = input.kept === 'b' ? [input.lieu_b, input.lieu_a] : [input.lieu_a, input.lieu_b];
    await mergeLieuxAsAccount(deps, kept, merged, ctx);
  } else {
    await rejectDuplicateAsAccount(deps, input.lieu_a, input.lieu_b, ctx);
  }
  const [x, y] = [input.lieu_a.toLowerCase(), input.lieu_b.toLowerCase()].sort();
  await recordComment(deps, 'duplicate', `${x}:${y}`, ctx.account.id, input.decision, comment);
}
