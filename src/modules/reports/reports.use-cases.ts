// Storing a public report: validated, rate-limited per IP (hashed), bots dropped silently.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { DomainError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import { countReportsSince, insertReport, listReportsOfLieu } from './reports.repository.ts';
import { REPORT_WINDOW_MS, REPORTS_PER_WINDOW, validateReport, type ReportForm } from './reports.schema.ts';

export class TooManyReportsError extends DomainError {
  constructor() {
    super('too_many_reports', 'Vous avez envoyé beaucoup de signalements en peu de temps. Réessayez dans une heure.', 429);
  }
}

/** A salted hash, so the table never holds an IP address. */
export function hashIp(ip: string): string {
  return createHash('sha256').update(`maillage-reports:${ip}`).digest('hex');
}

export type CreateReportResult = { stored: true; id: string } | { stored: false; reason: 'honeypot' };

export async function createReport(
  deps: { db: Kysely<Database>; clock: Clock },
  lieuId: string,
  form: ReportForm,
  ip: string,
): Promise<CreateReportResult> {
  // A filled honeypot is a bot: answer as if all went well, store nothing.
  if (form.site && form.site.trim() !== '') return { stored: false, reason: 'honeypot' };
  const checked = validateReport(form);
  if (!checked.ok) throw new ValidationError(checked.errors, 'Le signalement n’a pas pu être envoyé : corrigez les champs indiqués.');
  const now = deps.clock.now();
  const ipHash = hashIp(ip);
  if ((await countReportsSince(deps.db, ipHash, new Date(now.getTime() - REPORT_WINDOW_MS))) >= REPORTS_PER_WINDOW) {
    throw new TooManyReportsError();
  }
  const id = randomUUID();
  try {
    await insertReport(deps.db, { id, lieu_id: lieuId, ...checked.value, ip_hash: ipHash, created_at: now });
  } catch (error) {
    // Foreign key or uuid syntax: the place does not exist.
    if (['23503', '22P02'].includes((error as { code?: string }).code ?? '')) throw new NotFoundError('Ce lieu n’existe pas.');
    throw error;
  }
  return { stored: true, id };
}

export async function reportsOfLieu(deps: { db: Kysely<Database> }, lieuId: string) {
  return listReportsOfLieu(deps.db, lieuId);
}
