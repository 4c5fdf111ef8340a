// Kysely type of the reports table (migration 0004_reports).
import type { ColumnType, Generated } from 'kysely';

export type ReportKind = 'horaires' | 'coordonnees' | 'adresse' | 'services' | 'ferme' | 'autre';
export type ReportStatus = 'open' | 'resolved' | 'rejected';

export interface ReportsTable {
  id: string;
  lieu_id: string;
  kind: ReportKind;
  message: string;
  email: string | null;
  ip_hash: string;
  status: Generated<ReportStatus>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
