// SQL of the reports table only.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ReportKind } from './reports.tables.ts';

export interface NewReport {
  id: string;
  lieu_id: string;
  kind: ReportKind;
  message: string;
  email: string | null;
  ip_hash: string;
  created_at: Date;
}

export async function insertReport(db: Kysely<Database>, report: NewReport): Promise<void> {
  await db.insertInto('reports').values(report).execute();
}

export async function countReportsSince(db: Kysely<Database>, ipHash: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip_hash', '=', ipHash)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listReportsOfLieu(db: Kysely<Database>, lieuId: string) {
  return db.selectFrom('reports').selectAll().where('lieu_id', '=', lieuId).orderBy('created_at', 'desc').execute();
}
