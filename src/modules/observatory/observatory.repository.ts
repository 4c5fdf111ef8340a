// SQL of the observatory: the registry as the indicators need it, and the versions of the
// inputs (places, contours) to know when the cached table is stale.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { PlaceForIndicators } from './observatory.indicators.ts';

// The whole registry comes back as ONE text value (tab-separated lines): tens of thousands of
// rows cost seconds through PGlite's wire emulation, one large value costs a fraction of that.
function parseLines(text: string | null): PlaceForIndicators[] {
  if (!text) return [];
  return text.split('\n').map((line) => {
    const [id, lat, lon, insee, epci, dep, reg, services, horaires] = line.split('\t');
    const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);
    return {
      id: id!,
      latitude: lat ? Number(lat) : null,
      longitude: lon ? Number(lon) : null,
      code_insee: orNull(insee),
      code_epci: orNull(epci),
      code_departement: orNull(dep),
      code_region: orNull(reg),
      services: services ? services.split('|') : [],
      horaires: orNull(horaires),
    };
  });
}

// concat_ws skips NULLs, which would shift columns: empty strings keep every column in place.
const NULL_SAFE = sql`concat_ws(E'\t', id, coalesce(latitude::text, ''), coalesce(longitude::text, ''), coalesce(code_insee, ''),
  coalesce(code_epci, ''), coalesce(code_departement, ''), coalesce(code_region, ''), array_to_string(services, '|'),
  coalesce(translate(horaires, E'\t\n\r', '   '), ''))`;

export async function listPublishedPlaces(db: Kysely<Database>, ids?: readonly string[]): Promise<PlaceForIndicators[]> {
  if (ids && ids.length === 0) return [];
  const filter = ids ? sql`AND id = ANY(${[...ids]}::uuid[])` : sql``;
  const result = await sql<{ lines: string | null }>`
    SELECT string_agg(${NULL_SAFE}, E'\n') AS lines FROM lieux WHERE status = 'published' ${filter}`.execute(db);
  return parseLines(result.rows[0]?.lines ?? null);
}

export interface InputsVersion {
  /** Last lieu_changes sequence number. */
  seq: number;
  /** Count and last update of places: catches writes that bypass the change log. */
  lieux: string;
  qpv: string;
}

export async function inputsVersion(db: Kysely<Database>): Promise<InputsVersion> {
  const result = await sql<InputsVersion>`
    SELECT (SELECT coalesce(max(seq), 0) FROM lieu_changes) AS seq,
      (SELECT count(*) || '@' || coalesce(max(updated_at)::text, '') FROM lieux) AS lieux,
      (SELECT count(*) || '@' || coalesce(max(loaded_at)::text, '') FROM qpv) AS qpv`.execute(db);
  const row = result.rows[0]!;
  return { seq: Number(row.seq), lieux: row.lieux, qpv: row.qpv };
}

export async function changedPlaceIds(db: Kysely<Database>, afterSeq: number): Promise<string[]> {
  const rows = await db.selectFrom('lieu_changes').select('lieu_id').distinct().where('seq', '>', afterSeq).execute();
  return rows.map((r) => r.lieu_id);
}
