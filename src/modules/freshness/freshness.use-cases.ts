// Freshness campaigns: a manager confirms that a place's information is still right (its
// `date_maj` becomes today, recorded in the history and the audit log, no field changes), and
// managers of places not updated for months get a reminder e-mail with a one-click link.
// The link's token is random (256 bits), stored as its SHA-256, expiring and single use; the
// reminders table also limits e-mails to one per place per interval.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type ColumnType } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Config } from '../../server/config.ts';
import type { Mailer } from '../../lib/mailer.ts';
import type { Logger } from '../../lib/logger.ts';
import { DomainError } from '../../lib/errors.ts';
import { randomToken, sha256 } from '../accounts/accounts.crypto.ts';
import { assertAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';
import type { Role, ScopeKind } from '../accounts/accounts.tables.ts';
import { auditedWrite } from '../audit/audit.use-cases.ts';
import { getLieu, updateLieu, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { freshnessOf, parisDate, staleCutoff, type FreshnessStatus } from './freshness.ts';
import { reminderEmail } from './freshness.emails.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Migration 0018_freshness_reminders. */
export interface FreshnessRemindersTable {
  id: string;
  lieu_id: string;
  account_id: string;
  status: Exclude<FreshnessStatus, 'a_jour'>;
  token_hash: string;
  sent_at: Timestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

type FreshnessDb = Database & { freshness_reminders: FreshnessRemindersTable };
const tables = (db: Kysely<Database>): Kysely<FreshnessDb> => db.withTables<{ freshness_reminders: FreshnessRemindersTable }>();

export type FreshnessDeps = LieuxDeps & {
  config: Pick<Config, 'freshness' | 'publicUrl'>;
  mailer: Mailer;
  logger?: Logger;
};

export interface ConfirmContext {
  account: AccountPrincipal;
  ip: string | null;
}

export const CONFIRM_AUDIT_ACTION = 'lieu.confirm_freshness';

/**
 * "Ces informations sont toujours à jour": the place's date_maj becomes today (France), as a
 * normal update by the account (history, change feed), plus an audit entry of its own.
 */
export async function confirmFreshness(deps: LieuxDeps, lieuId: string, ctx: ConfirmContext): Promise<Lieu> {
  const current = await getLieu(deps, lieuId);
  assertAuthorized(ctx.account, 'lieu.update', current);
  if (current.status !== 'published') throw new DomainError('gone', 'Ce lieu a été retiré du registre : il n’y a rien à confirmer.', 410);
  return auditedWrite(
    deps,
    (db) => updateLieu({ ...deps, db }, current.id, { date_maj: parisDate(deps.clock.now()) }, { kind: 'account', id: ctx.account.id }),
    (lieu) => ({ account_id: ctx.account.id, action: CONFIRM_AUDIT_ACTION, target_type: 'lieu', target_id: lieu.id, ip: ctx.ip }),
  );
}

export interface ReminderTarget {
  lieu_id: string;
  nom: string;
  commune: string;
  date_maj: string;
  account_id: string;
  email: string;
}

const isoDate = (value: unknown): string => (value instanceof Date ? parisDate(value) : String(value).slice(0, 10));

/**
 * Managers (accounts with a verified e-mail and a `lieu:<id>` scope) of published places whose
 * date_maj is at least `staleMonths` old and that got no reminder during the interval.
 */
export async function listReminderTargets(deps: Pick<FreshnessDeps, 'db' | 'clock' | 'config'>): Promise<ReminderTarget[]> {
  const now = deps.clock.now();
  const cutoff = staleCutoff(now, deps.config.freshness.staleMonths);
  const since = new Date(now.getTime() - deps.config.freshness.reminderIntervalDays * 86_400_000);
  const rows = await tables(deps.db)
    .selectFrom('lieux as l')
    .innerJoin('account_scopes as s', (join) => join.on('s.kind', '=', 'lieu').on('s.code', '=', sql<string>`l.id::text`))
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .select(['l.id as lieu_id', 'l.nom', 'l.commune', 'l.date_maj', 'a.id as account_id', 'a.email'])
    .where('l.status', '=', 'published')
    .where('l.date_maj', '<=', cutoff)
    .where('a.email_verified_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('freshness_reminders as r').select('r.id').whereRef('r.lieu_id', '=', 'l.id').where('r.sent_at', '>', since))),
    )
    .orderBy('l.date_maj')
    .orderBy('l.id')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ ...r, date_maj: isoDate(r.date_maj) }));
}

export interface CampaignResult {
  /** E-mails sent. */
  sent: number;
  /** Places reminded. */
  lieux: number;
  /** E-mails that could not be sent (their reminder is not recorded, so the next run retries). */
  failed: number;
}

/** Sends the reminders that are due (`maillage fraicheur rappels`, the daily job). */
export async function sendFreshnessReminders(deps: FreshnessDeps, options: { dryRun?: boolean } = {}): Promise<CampaignResult & { targets: ReminderTarget[] }> {
  const targets = await listReminderTargets(deps);
  const result = { sent: 0, lieux: 0, failed: 0, targets };
  if (options.dryRun) return result;
  const byLieu = new Map<string, ReminderTarget[]>();
  for (const t of targets) byLieu.set(t.lieu_id, [...(byLieu.get(t.lieu_id) ?? []), t]);
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + deps.config.freshness.linkValidityDays * 86_400_000);
  const since = new Date(now.getTime() - deps.config.freshness.reminderIntervalDays * 86_400_000);
  for (const [lieuId, managers] of byLieu) {
    // Claim the place for this interval first (row lock + re-check): two runs at once send once.
    const tokens = await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('lieux').select('id').where('id', '=', lieuId).forUpdate().execute();
      const recent = await tables(trx as unknown as Kysely<Database>)
        .selectFrom('freshness_reminders')
        .select('id')
        .where('lieu_id', '=', lieuId)
        .where('sent_at', '>', since)
        .executeTakeFirst();
      if (recent) return null;
      const issued: { target: ReminderTarget; token: string; id: string }[] = [];
      for (const target of managers) {
        const token = randomToken();
        const id = randomUUID();
        const status = freshnessOf(target.date_maj, now, deps.config.freshness).status === 'ancienne' ? 'ancienne' : 'a_verifier';
        await tables(trx as unknown as Kysely<Database>)
          .insertInto('freshness_reminders')
          .values({ id, lieu_id: lieuId, account_id: target.account_id, status, token_hash: sha256(token), sent_at: now, expires_at: expires })
          .execute();
        issued.push({ target, token, id });
      }
      return issued;
    });
    if (!tokens) continue;
    let placeSent = 0;
    for (const { target, token, id } of tokens) {
      const link = `${deps.config.publicUrl}/fraicheur/confirmer?jeton=${token}`;
      try {
        await deps.mailer.send({ to: target.email, ...reminderEmail({ ...target, link, now, config: deps.config }) });
        result.sent++;
        placeSent++;
      } catch (error) {
        result.failed++;
        // Not sent: forget it, so the next run tries again.
        await tables(deps.db).deleteFrom('freshness_reminders').where('id', '=', id).execute();
        deps.logger?.warn({ lieu: lieuId, error: (error as Error).message }, 'freshness reminder not sent');
      }
    }
    if (placeSent) result.lieux++;
  }
  return result;
}

export class ReminderLinkError extends DomainError {
  constructor(message: string, status = 400) {
    super('invalid_link', message, status);
  }
}

export interface ReminderLink {
  reminderId: string;
  account: AccountPrincipal;
  lieu: Lieu;
}

async function principalOf(db: Kysely<Database>, accountId: string): Promise<AccountPrincipal | null> {
  const account = await db.selectFrom('accounts').select(['id', 'role']).where('id', '=', accountId).executeTakeFirst();
  if (!account) return null;
  const scopes = await db.selectFrom('account_scopes').select(['kind', 'code']).where('account_id', '=', accountId).execute();
  return { id: account.id, role: account.role as Role, scopes: scopes.map((s) => ({ kind: s.kind as ScopeKind, code: s.code })) };
}

/** What the e-mailed link points to, or a French reason why it cannot be used (never a 500). */
export async function openReminderLink(deps: Pick<FreshnessDeps, 'db' | 'clock'>, token: unknown): Promise<ReminderLink> {
  const forged = new ReminderLinkError('Ce lien de confirmation n’est pas valide : vérifiez qu’il a été copié en entier, ou connectez-vous pour confirmer depuis votre espace.');
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw forged;
  const reminder = await tables(deps.db).selectFrom('freshness_reminders').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!reminder) throw forged;
  if (reminder.used_at) {
    throw new ReminderLinkError(`Ce lien a déjà servi : les informations de ce lieu ont été confirmées le ${new Date(reminder.used_at).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}.`, 410);
  }
  if (new Date(reminder.expires_at).getTime() <= deps.clock.now().getTime()) {
    throw new ReminderLinkError('Ce lien de confirmation a expiré : connectez-vous pour confirmer les informations du lieu depuis votre espace.', 410);
  }
  const account = await principalOf(deps.db, reminder.account_id);
  if (!account) throw forged;
  const lieu = await getLieu(deps, reminder.lieu_id);
  return { reminderId: reminder.id, account, lieu };
}

/** The POST behind the link's button: consumes the token, then confirms as its account. */
export async function confirmByReminderLink(deps: LieuxDeps, token: unknown, ip: string | null): Promise<Lieu> {
  const link = await openReminderLink(deps, token);
  assertAuthorized(link.account, 'lieu.update', link.lieu); // still a manager of the place?
  const now = deps.clock.now();
  const claimed = await tables(deps.db)
    .updateTable('freshness_reminders')
    .set({ used_at: now })
    .where('id', '=', link.reminderId)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!claimed) throw new ReminderLinkError('Ce lien a déjà servi.', 410);
  try {
    return await confirmFreshness(deps, link.lieu.id, { account: link.account, ip });
  } catch (error) {
    // Nothing was confirmed: the link stays usable.
    await tables(deps.db).updateTable('freshness_reminders').set({ used_at: null }).where('id', '=', link.reminderId).execute();
    throw error;
  }
}
