// SQL of the observatory: the registry as the indicators need it, and a version of the
// inputs (places, contours, broadband figures) to know when the cached table is stale.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { PlaceForIndicators } from './observatory.indicators.ts';

export async function listPublishedPlaces(db: Kysely<Database>): Promise<PlaceForIndicators[]> {
  return db
    .selectFrom('lieux')
    .select(['id', 'latitude', 'longitude', 'code_insee', 'code_epci', 'code_departement', 'code_region', 'services', 'horaires'])
    .where('status', '=', 'published')
    .execute();
}

/** Changes whenever a place, a QPV contour or a broadband/fragility figure changes. */
export async function inputsVersion(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ v: string }>`
    SELECT concat_ws('|',
      (SELECT coalesce(max(seq), 0) FROM lieu_changes),
      (SELECT count(*) || '@' || coalesce(max(updated_at)::text, '') FROM lieux),
      (SELECT count(*) || '@' || coalesce(max(loaded_at)::text, '') FROM qpv)
    ) AS v`.execute(db);
  return result.rows[0]!.v;
}
