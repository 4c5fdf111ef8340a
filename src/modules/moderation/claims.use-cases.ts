// "Je gère ce lieu": a gestionnaire account claims a place. Accepted at once when the account's
// verified e-mail domain is the place's website or e-mail domain (claims.domains.ts), which
// adds the place to the account's scope; otherwise the claim waits in the moderation queue.
import { randomUUID } from 'node:crypto';
import validator from 'validator';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { ForbiddenError, roleLabels, type AccountPrincipal } from '../accounts/authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { getPublishedLieu, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { checkClaimDomain } from './claims.domains.ts';
import { claimAcceptedEmail, claimPendingEmail } from './moderation.emails.ts';
import './moderation.tables.ts';

export type ClaimDeps = Pick<LieuxDeps, 'db' | 'clock'> & { mailer: Mailer; publicUrl: string };

export interface ClaimContext {
  account: AccountPrincipal;
  ip: string | null;
}

export interface ClaimResult {
  id: string;
  status: 'accepted' | 'pending';
  lieu: { id: string; nom: string; commune: string };
  /** Why the claim was not accepted at once. */
  reason: string | null;
}

export const CLAIM_MESSAGE_MAX = 2000;

/** Sends a notification; a mail server that fails must not undo a decision already stored. */
export async function notify(mailer: Mailer, to: string, email: { subject: string; text: string }): Promise<boolean> {
  try {
    await mailer.send({ to, ...email });
    return true;
  } catch {
    return false;
  }
}

export async function claimLieu(deps: ClaimDeps, lieuId: string, rawMessage: unknown, ctx: ClaimContext): Promise<ClaimResult> {
  const { account } = ctx;
  if (account.role !== 'gestionnaire') {
    const already = account.role === 'moderateur' || account.role === 'administrateur' || account.role === 'agent_territorial' ? ' Votre compte peut déjà modifier les lieux de son périmètre.' : '';
    throw new ForbiddenError(`seuls les comptes gestionnaire de lieu revendiquent un lieu ; votre compte est un compte ${roleLabels[account.role]}.${already}`);
  }
  if (!validator.isUUID(lieuId)) throw new NotFoundError(`Aucun lieu ne porte l’identifiant « ${lieuId} ».`);
  const message = typeof rawMessage === 'string' ? rawMessage.trim() : '';
  if (message.length > CLAIM_MESSAGE_MAX) {
    throw new ValidationError([{ field: 'message', message: `Le message doit faire au plus ${CLAIM_MESSAGE_MAX} caractères.` }], 'La demande n’a pas été envoyée : le message est trop long.');
  }
  const lieu = await getPublishedLieu(deps, lieuId.toLowerCase());
  if (account.scopes.some((s) => s.kind === 'lieu' && s.code === lieu.id)) throw new ConflictError('Vous gérez déjà ce lieu.');
  const row = await deps.db.selectFrom('accounts').select(['email', 'email_verified_at']).where('id', '=', account.id).executeTakeFirstOrThrow();
  if (!row.email_verified_at) throw new ForbiddenError('confirmez d’abord votre adresse e-mail avec le lien reçu par e-mail.');

  const check = checkClaimDomain(row.email, lieu);
  const id = randomUUID();
  const now = deps.clock.now();
  const alreadyPending = () => new ConflictError('Votre demande pour ce lieu est déjà en attente de modération.');
  await deps.db.transaction().execute(async (trx) => {
    const pending = await trx.selectFrom('lieu_claims').select('id').where('lieu_id', '=', lieu.id).where('account_id', '=', account.id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw alreadyPending();
    try {
      await trx
        .insertInto('lieu_claims')
        .values({ id, lieu_id: lieu.id, account_id: account.id, status: check.automatic ? 'accepted' : 'pending', automatic: check.automatic, message: message || null, created_at: now, decided_at: check.automatic ? now : null })
        .execute();
    } catch (error) {
      // Two simultaneous claims: the unique index of pending claims stops the second one.
      if ((error as { code?: string }).code === '23505') throw alreadyPending();
      throw error;
    }
    if (check.automatic) {
      await trx.insertInto('account_scopes').values({ account_id: account.id, kind: 'lieu', code: lieu.id }).onConflict((oc) => oc.doNothing()).execute();
    }
    await recordAudit(trx, deps.clock, { account_id: account.id, action: check.automatic ? 'claim.accept' : 'claim.create', target_type: 'claim', target_id: id, ip: ctx.ip });
  });
  await notify(deps.mailer, row.email, check.automatic ? claimAcceptedEmail(lieu.nom, `${deps.publicUrl}/lieux/${lieu.id}`, null, true) : claimPendingEmail(lieu.nom));
  return { id, status: check.automatic ? 'accepted' : 'pending', lieu: { id: lieu.id, nom: lieu.nom, commune: lieu.commune }, reason: check.automatic ? null : check.reason };
}
