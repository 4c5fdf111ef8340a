// Kysely types of the geocoding cache and of the run's geocoding report (migration
// 0011_geocoding_cache), merged into Database and ImportRunsTable here so the geocoding
// stage keeps its tables with it.
import type { ColumnType } from 'kysely';
import type { GeocodingReport } from './imports.geocoding.ts';

export interface GeocodingCacheTable {
  address_key: string;
  found: boolean;
  latitude: number | null;
  longitude: number | null;
  label: string | null;
  score: number | null;
  type: string | null;
  citycode: string | null;
  geocoded_at: ColumnType<Date, Date | string, Date | string>;
}

declare module '../../db/database.ts' {
  interface Database {
    geocoding_cache: GeocodingCacheTable;
  }
}

declare module './imports.tables.ts' {
  interface ImportRunsTable {
    /** Null for runs before migration 0011 and for failed runs. */
    geocoding: ColumnType<GeocodingReport | null, string | null | undefined, string | null>;
  }
}
