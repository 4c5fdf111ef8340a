// Kysely table types, one interface per table, columns as in the migrations.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ReportsTable } from '../modules/reports/reports.tables.ts';
import type { ProConnectFlowsTable, ProConnectLinksTable, ProConnectSessionsTable } from '../modules/accounts/proconnect.tables.ts';
import type { AccountsTable, AccountScopesTable, AccountTokensTable, AuditLogTable, SessionsTable } from '../modules/accounts/accounts.tables.ts';
import type { BroadbandCoverageTable, DigitalFragilityTable, LieuQpvTable, QpvTable } from '../modules/observatory/observatory.tables.ts';

// Already optional on insert (the column has a default): do not wrap it in Generated<>,
// which would make Kysely type selected values as the ColumnType itself.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface LieuxTable {
  id: string;
  pivot: string;
  nom: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  adresse: string;
  complement_adresse: string | null;
  latitude: number | null;
  longitude: number | null;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  site_web: string[];
  horaires: string | null;
  presentation_resume: string | null;
  presentation_detail: string | null;
  source: string | null;
  itinerance: string[];
  structure_parente: string | null;
  date_maj: string;
  services: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  frais_a_charge: string[];
  dispositif_programmes_nationaux: string[];
  formations_labels: string[];
  autres_formations_labels: string[];
  modalites_acces: string[];
  modalites_accompagnement: string[];
  fiche_acces_libre: string | null;
  prise_rdv: string | null;
  code_epci: string | null;
  code_departement: string | null;
  code_region: string | null;
  position_approximate: Generated<boolean>;
  search_tokens: string[];
  sort_key: string;
  status: Generated<'published' | 'unpublished'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LieuVersionsTable {
  lieu_id: string;
  version: number;
  changed_at: Timestamp;
  action: 'create' | 'update' | 'unpublish' | 'republish';
  actor_kind: 'source' | 'account' | 'cli' | 'system';
  actor_id: string | null;
  /** Null for a creation (since migration 0022): derived from the snapshot when read (versionChanges). */
  changes: ColumnType<Record<string, { from: unknown; to: unknown }> | null, string | null, string | null>;
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface LieuChangesTable {
  seq: Generated<number>;
  lieu_id: string;
  kind: 'added' | 'updated' | 'removed';
  changed_at: Timestamp;
}

export interface Database {
  lieux: LieuxTable;
  lieu_versions: LieuVersionsTable;
  lieu_changes: LieuChangesTable;
  reports: ReportsTable;
  qpv: QpvTable;
  lieu_qpv: LieuQpvTable;
  broadband_coverage: BroadbandCoverageTable;
  digital_fragility: DigitalFragilityTable;
  accounts: AccountsTable;
  account_scopes: AccountScopesTable;
  sessions: SessionsTable;
  account_tokens: AccountTokensTable;
  audit_log: AuditLogTable;
  proconnect_links: ProConnectLinksTable;
  proconnect_flows: ProConnectFlowsTable;
  proconnect_sessions: ProConnectSessionsTable;
}

export type LieuRow = Selectable<LieuxTable>;
export type NewLieuRow = Insertable<LieuxTable>;
export type LieuRowUpdate = Updateable<LieuxTable>;
