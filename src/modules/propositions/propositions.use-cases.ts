// "Proposer un lieu": a signed-in account (any role) proposes a new place. The proposal is
// validated like any write (validateLieu, same French messages as the API), kept unpublished
// in lieu_propositions, and waits in the one moderation queue. Accepting creates the place
// through the lieux create use case, with the proposer as the actor of its first version;
// rejecting keeps the proposal with the reason. The proposer is told by e-mail either way.
import { randomUUID } from 'node:crypto';
import validator from 'validator';
import { DomainError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { inTransaction } from '../../db/join-transaction.ts';
import { ForbiddenError, type AccountPrincipal } from '../accounts/authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { standardFields } from '../lieux/lieux.schema.ts';
import { createLieu, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import { notify } from '../moderation/claims.use-cases.ts';
import { propositionAcceptedEmail, propositionPendingEmail, propositionRejectedEmail } from '../moderation/moderation.emails.ts';
import { similarPlaces, type SimilarPlace } from './propositions.similar.ts';
import './propositions.tables.ts';

export type PropositionDeps = LieuxDeps & { mailer: Mailer; publicUrl: string };

export interface PropositionContext {
  account: AccountPrincipal;
  ip: string | null;
}

/** Pending proposals one account may have at a time: beyond, it waits for the moderators. */
export const PENDING_MAX = 10;
export const COMMENT_MAX = 2000;

export interface PendingProposition {
  id: string;
  nom: string;
  commune: string;
  adresse: string;
  code_postal: string;
  /** The proposer's address (shown to moderators only). */
  email: string;
  created_at: string;
  /** The standard fields as proposed. */
  record: Record<string, unknown>;
  /** Published places of the same commune that may be the same place. */
  similar: SimilarPlace[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** The calendar date in France today (YYYY-MM-DD): a proposal is checked by its author now. */
function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * What is kept of a proposal: the standard fields given (extra keys are left for
 * validateLieu to refuse), `date_maj` today unless given. The registry assigns the id.
 */
export function proposalRecord(raw: Record<string, unknown>, now: Date): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    record[key] = value;
  }
  record.date_maj ??= parisToday(now);
  return record;
}

function invalid(errors: { field: string; message: string }[]): ValidationError {
  return new ValidationError(errors, 'La proposition n’a pas été envoyée : certains champs ne sont pas valides.');
}

export async function proposeLieu(deps: PropositionDeps, raw: unknown, ctx: PropositionContext): Promise<{ id: string; nom: string; notified: boolean }> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid([{ field: '(lieu)', message: 'Un lieu doit être un objet JSON avec les champs du standard.' }]);
  const record = proposalRecord(raw as Record<string, unknown>, deps.clock.now());
  if (record.id !== undefined) {
    throw invalid([{ field: 'id', message: 'Un lieu proposé reçoit son identifiant à sa publication : laissez le champ « id » vide.' }]);
  }
  const result = validateLieu(record, deps.territories);
  if (!result.ok) throw invalid(result.errors);

  const account = await deps.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', ctx.account.id).executeTakeFirstOrThrow();
  if (!account.email_verified_at) throw new ForbiddenError('confirmez d’abord votre adresse e-mail avec le lien reçu par e-mail.');

  const id = randomUUID();
  const kept: Record<string, unknown> = {};
  for (const field of standardFields) if (record[field] !== undefined) kept[field] = record[field];
  await deps.db.transaction().execute(async (trx) => {
    // Locks the account row: two simultaneous submissions cannot both pass the limit.
    await trx.selectFrom('accounts').select('id').where('id', '=', ctx.account.id).forUpdate().execute();
    const pending = await trx.selectFrom('lieu_propositions').select((eb) => eb.fn.countAll<string>().as('n')).where('account_id', '=', ctx.account.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
    if (Number(pending.n) >= PENDING_MAX) {
      throw new DomainError('too_many_pending', `Vous avez déjà ${PENDING_MAX} propositions en attente de modération : attendez qu’elles soient traitées avant d’en envoyer d’autres.`, 429);
    }
    await trx
      .insertInto('lieu_propositions')
      .values({ id, account_id: ctx.account.id, status: 'pending', record: JSON.stringify(kept), nom: result.value.nom, commune: result.value.commune, created_at: deps.clock.now() })
      .execute();
    await recordAudit(trx, deps.clock, { account_id: ctx.account.id, action: 'proposition.create', target_type: 'proposition', target_id: id, ip: ctx.ip });
  });
  const notified = await notify(deps.mailer, account.email, propositionPendingEmail(result.value.nom));
  return { id, nom: result.value.nom, notified };
}

function assertModerator(account: AccountPrincipal): void {
  if (account.role !== 'moderateur' && account.role !== 'administrateur') {
    throw new ForbiddenError('la file de modération est réservée aux modérateurs et aux administrateurs.');
  }
}

/** Pending proposals, oldest first, for the moderation queue (moderators only: the caller checks). */
export async function listPendingPropositions(deps: Pick<PropositionDeps, 'db' | 'territories'>, limit = 100): Promise<PendingProposition[]> {
  const rows = await deps.db
    .selectFrom('lieu_propositions as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select(['p.id', 'p.nom', 'p.commune', 'p.record', 'p.created_at', 'a.email'])
    .where('p.status', '=', 'pending')
    .orderBy('p.created_at', 'asc')
    .limit(limit)
    .execute();
  const items: PendingProposition[] = [];
  for (const r of rows) {
    const record = typeof r.record === 'string' ? (JSON.parse(r.record) as Record<string, unknown>) : r.record;
    const checked = validateLieu(record, deps.territories);
    const similar = checked.ok ? await similarPlaces(deps.db, checked.value) : [];
    items.push({ id: r.id, nom: r.nom, commune: r.commune, adresse: String(record.adresse ?? ''), code_postal: String(record.code_postal ?? ''), email: r.email, created_at: iso(r.created_at), record, similar });
  }
  return items;
}

export type PropositionDecision = 'accept' | 'reject';

/**
 * Accepting publishes the place in the same transaction as the decision (a proposal that no
 * longer validates is refused with its field errors, and stays pending); rejecting requires
 * a reason. Both are audited; the proposer is told by e-mail after the commit.
 */
export async function decideProposition(
  deps: PropositionDeps,
  propositionId: string,
  decision: PropositionDecision,
  rawComment: unknown,
  ctx: PropositionContext,
): Promise<{ notified: boolean; lieu_id: string | null }> {
  assertModerator(ctx.account);
  const comment = typeof rawComment === 'string' ? rawComment.trim() : '';
  if (comment.length > COMMENT_MAX) {
    throw new ValidationError([{ field: 'commentaire', message: `Le commentaire doit faire au plus ${COMMENT_MAX} caractères.` }], 'La décision n’a pas été enregistrée : le commentaire est trop long.');
  }
  if (!comment && decision === 'reject') {
    const message = 'Expliquez à la personne pourquoi sa proposition est refusée.';
    throw new ValidationError([{ field: 'commentaire', message }], 'La décision n’a pas été enregistrée : expliquez à la personne pourquoi sa proposition est refusée.');
  }
  if (!validator.isUUID(propositionId)) throw new NotFoundError(`La proposition « ${propositionId} » n’existe pas.`);
  const id = propositionId.toLowerCase();
  const now = deps.clock.now();
  const outcome = await inTransaction(deps.db, async (trx) => {
    const row = await trx
      .updateTable('lieu_propositions')
      .set({ status: decision === 'accept' ? 'accepted' : 'rejected', decided_at: now, decided_by: ctx.account.id, comment: comment || null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .returning(['account_id', 'record', 'nom'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError('Cette proposition n’existe pas ou a déjà été traitée.');
    let lieuId: string | null = null;
    if (decision === 'accept') {
      const record = typeof row.record === 'string' ? (JSON.parse(row.record) as Record<string, unknown>) : row.record;
      let lieu;
      try {
        // The proposer is the author of the place (its history says so); the moderator published it.
        lieu = await createLieu({ ...deps, db: trx }, record, { kind: 'account', id: row.account_id });
      } catch (error) {
        if (error instanceof ValidationError) throw new ValidationError(error.errors, 'La proposition n’a pas été publiée : certains champs ne sont plus valides (elle reste en attente).');
        throw error;
      }
      lieuId = lieu.id;
      await trx.updateTable('lieu_versions').set({ reason: `Lieu proposé par un compte, publié après modération (proposition ${id}).` }).where('lieu_id', '=', lieu.id).where('version', '=', 1).execute();
      await trx.updateTable('lieu_propositions').set({ lieu_id: lieu.id }).where('id', '=', id).execute();
      await recordAudit(trx, deps.clock, { account_id: ctx.account.id, action: 'lieu.create', target_type: 'lieu', target_id: lieu.id, ip: ctx.ip });
    }
    await recordAudit(trx, deps.clock, { account_id: ctx.account.id, action: `proposition.${decision}`, target_type: 'proposition', target_id: id, ip: ctx.ip });
    const proposer = await trx.selectFrom('accounts').select('email').where('id', '=', row.account_id).executeTakeFirstOrThrow();
    return { lieuId, nom: row.nom, email: proposer.email };
  });
  const email =
    decision === 'accept' ? propositionAcceptedEmail(outcome.nom, `${deps.publicUrl}/lieux/${outcome.lieuId}`, comment || null) : propositionRejectedEmail(outcome.nom, comment || null);
  return { notified: await notify(deps.mailer, outcome.email, email), lieu_id: outcome.lieuId };
}
