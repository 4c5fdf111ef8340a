// Kysely types of the tables of migration 0006 (QPV, place↔QPV links, broadband, fragility).
import type { ColumnType, Generated } from 'kysely';
import type { QpvGeometry, QpvListe } from '../qpv/qpv.geometry.ts';

export interface QpvTable {
  code: string;
  nom: string;
  commune: string | null;
  liste: QpvListe;
  population: number | null;
  bbox: number[];
  geometry: ColumnType<QpvGeometry, string, string>;
  source_file: string;
  loaded_at: Generated<ColumnType<Date, Date | string | undefined, Date | string>>;
}

export interface LieuQpvTable {
  lieu_id: string;
  code_qp: string;
  relation: 'dans' | 'proche';
  distance_m: number;
}

export type BroadbandTerritoryType = 'commune' | 'epci' | 'departement' | 'region';

export interface BroadbandCoverageTable {
  territory_type: BroadbandTerritoryType;
  code: string;
  nom: string | null;
  locaux_raccordables: number | null;
  locaux: number | null;
  taux_ftth: number | null;
  categorie: number | null;
  millesime: string;
  source_file: string;
}

export interface DigitalFragilityTable {
  territory_type: 'commune' | 'epci';
  code: string;
  nom: string | null;
  score_total: number | null;
  score_absence_thd: number | null;
  score_absence_4g: number | null;
  score_pauvrete: number | null;
  score_plus_65_ans: number | null;
  score_non_diplomes: number | null;
  millesime: string;
  source_file: string;
}
