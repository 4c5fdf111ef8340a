// Retention periods of personal data (docs/accounts.md, « Durées de conservation »), applied by
// `maillage accounts purge` (to run daily, e.g. from cron).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';

/** Audit entries and handled public reports are kept this long. */
export const RETENTION_DAYS = 365;

export interface PurgeReport {
  sessions: number;
  jetons: number;
  journal_audit: number;
  signalements: number;
}

const count = (result: { numDeletedRows: bigint }[]) => Number(result.reduce((sum, r) => sum + r.numDeletedRows, 0n));

export async function purgeExpiredPersonalData(deps: { db: Kysely<Database>; clock: Clock }): Promise<PurgeReport> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
  return deps.db.transaction().execute(async (trx) => ({
    sessions: count(await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute()),
    jetons: count(await trx.deleteFrom('account_tokens').where('expires_at', '<=', now).execute()),
    journal_audit: count(await trx.deleteFrom('audit_log').where('at', '<', cutoff).execute()),
    // An open report is still waiting for the moderators: it stays until handled.
    signalements: count(await trx.deleteFrom('reports').where('status', '!=', 'open').where('created_at', '<', cutoff).execute()),
  }));
}
