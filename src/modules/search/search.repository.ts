// SQL for search: loading the read model, watching the change log, and the SQL reference
// search — the same semantics as search-engine.ts, straight on PostgreSQL/PGlite. The
// reference is what tests and benchmarks compare the read model against:
// - distance: the same haversine formula as distance.ts, rounded to the metre, with a
//   bounding-box prefilter on the (latitude, longitude) btree index when there is a radius;
// - text: each query word against the search_tokens array (LIKE prefix, or fuzzystrmatch
//   levenshtein <= 1 for words of 4+ characters and tokens of a length within one);
// - enumerated fields with && (overlap: OR within a field), ANDed across fields;
// - "open at": opening_hours cannot run in SQL, so the SQL query returns every candidate in
//   order and isOpenAt (open-filter.ts) filters them in JS before paging.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database, LieuRow } from '../../db/database.ts';
import { encodeCursor } from './cursor.ts';
import { boundingBox } from './distance.ts';
import { openAtChecker } from './open-filter.ts';
import { compareKey } from './read-model.ts';
import { territoireCodes, territoireColumns } from './search.fields.ts';
import { prepareQuery, type PreparedQuery } from './search.query.ts';
import type { SearchItem, SearchQuery, SearchResult } from './search.types.ts';
import { FUZZY_MIN_LENGTH } from './text-match.ts';
import { toApiV1 } from '../lieux/lieux.schema.ts';
import type { QpvFilter, QpvItem } from './qpv-layer.ts';

type Db = Kysely<Database> | Transaction<Database>;

// ---------------------------------------------------------------- read model loading

/** Highest lieu_changes.seq, 0 when the log is empty. */
export async function currentChangeSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('lieu_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

const LOAD_CHUNK = 1000;

/** Every published row (in id order: the read model sorts), read in chunks along the primary key so peak memory stays low. */
export async function forEachPublishedRow(db: Db, visit: (row: LieuRow) => void): Promise<void> {
  let after: string | undefined;
  for (;;) {
    const rows: LieuRow[] = await db
      .selectFrom('lieux')
      .selectAll()
      .where('status', '=', 'published')
      .$if(after !== undefined, (qb) => qb.where('id', '>', after!))
      .orderBy('id')
      .limit(LOAD_CHUNK)
      .execute();
    rows.forEach(visit);
    if (rows.length < LOAD_CHUNK) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Places changed after `seq`: their ids, and the published rows among them. */
export async function changesSince(db: Db, seq: number): Promise<{ ids: string[]; rows: LieuRow[] }> {
  const changed = await db.selectFrom('lieu_changes').select('lieu_id').distinct().where('seq', '>', seq).execute();
  const ids = changed.map((c) => c.lieu_id);
  if (ids.length === 0) return { ids, rows: [] };
  const rows = await db.selectFrom('lieux').selectAll().where('status', '=', 'published').where('id', 'in', ids).execute();
  return { ids, rows };
}

// ---------------------------------------------------------------- SQL reference search

function distanceSql(point: { latitude: number; longitude: number }): RawBuilder<number> {
  const lat = sql`${point.latitude}::float8`;
  const lon = sql`${point.longitude}::float8`;
  return sql<number>`floor(12742017.6::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(latitude - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(latitude)) * power(sin(radians(longitude - ${lon}) / 2), 2)
  ))) + 0.5)`;
}

function conditions(query: PreparedQuery): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`status = 'published'`];
  if (query.point) {
    where.push(sql`latitude IS NOT NULL`);
    if (query.radiusMetres !== undefined) {
      const box = boundingBox(query.point.latitude, query.point.longitude, query.radiusMetres);
      where.push(sql`latitude BETWEEN ${box.minLat}::float8 AND ${box.maxLat}::float8`);
      if (box.minLon !== undefined) where.push(sql`longitude BETWEEN ${box.minLon}::float8 AND ${box.maxLon}::float8`);
    }
  }
  if (query.territoire) {
    const codes = territoireCodes(query.territoire.type, query.territoire.code);
    where.push(sql`${sql.ref(territoireColumns[query.territoire.type])} = ANY(${codes}::text[])`);
  }
  for (const [field, values] of query.filters) where.push(sql`${sql.ref(field)} && ${values}::text[]`);
  if (query.qpv) where.push(...qpvConditions(query.qpv));
  for (const word of query.words) {
    const fuzzy =
      word.length >= FUZZY_MIN_LENGTH
        ? sql` OR (CASE WHEN length(tok) BETWEEN ${word.length - 1} AND ${word.length + 1}
                   THEN levenshtein(tok, ${word}) <= 1 ELSE false END)`
        : sql``;
    where.push(sql`EXISTS (SELECT 1 FROM unnest(search_tokens) AS t(tok) WHERE tok LIKE ${`${word}%`}${fuzzy})`);
  }
  return where;
}

function afterCursor(query: PreparedQuery): RawBuilder<unknown> | undefined {
  const after = query.after;
  if (!after) return undefined;
  const bySortKey = sql`(sort_key COLLATE "C" > ${after.sort_key} OR (sort_key = ${after.sort_key} AND id > ${after.id}::uuid))`;
  if (after.distance === undefined) return bySortKey;
  return sql`(distance > ${after.distance} OR (distance = ${after.distance} AND ${bySortKey}))`;
}

type Candidate = LieuRow & { distance: number | null };

export async function searchLieuxSql(db: Db, query: SearchQuery, now: Date): Promise<SearchResult> {
  const prepared = prepareQuery(query, now);
  const where = sql.join(conditions(prepared), sql` AND `);
  const distance = prepared.point ? distanceSql(prepared.point) : sql`NULL::float8`;
  const inner = sql`SELECT lieux.*, ${distance} AS distance FROM lieux WHERE ${where}`;
  const radius = prepared.radiusMetres !== undefined ? sql`distance <= ${prepared.radiusMetres}::float8` : sql`true`;
  const order = prepared.point ? sql`distance, sort_key COLLATE "C", id` : sql`sort_key COLLATE "C", id`;

  if (prepared.openAt) return searchWithOpenFilter(db, prepared, inner, radius, order);

  const counted = await sql<{ total: number }>`SELECT count(*)::int AS total FROM (${inner}) s WHERE ${radius}`.execute(db);
  const after = afterCursor(prepared) ?? sql`true`;
  const page = await sql<Candidate>`SELECT * FROM (${inner}) s WHERE ${radius} AND ${after}
    ORDER BY ${order} LIMIT ${prepared.limit + 1}`.execute(db);
  return withQpvItems(db, toResult(prepared, counted.rows[0]!.total, page.rows));
}

async function searchWithOpenFilter(
  db: Db,
  prepared: PreparedQuery,
  inner: RawBuilder<unknown>,
  radius: RawBuilder<unknown>,
  order: RawBuilder<unknown>,
): Promise<SearchResult> {
  const candidates = await sql<Pick<Candidate, 'id' | 'sort_key' | 'horaires' | 'latitude' | 'longitude' | 'code_departement' | 'distance'>>`
    SELECT id, sort_key, horaires, latitude, longitude, code_departement, distance
    FROM (${inner}) s WHERE ${radius} ORDER BY ${order}`.execute(db);
  const isOpen = openAtChecker(prepared.openAt!);
  const open = candidates.rows.filter((c) => isOpen(c));
  const after = prepared.after;
  const remaining = after
    ? open.filter((c) =>
        after.distance !== undefined && c.distance !== after.distance
          ? c.distance! > after.distance
          : compareKey(c.sort_key, c.id, after.sort_key, after.id) > 0,
      )
    : open;
  const pageIds = remaining.slice(0, prepared.limit + 1);
  const rows =
    pageIds.length === 0
      ? []
      : await db.selectFrom('lieux').selectAll().where('id', 'in', pageIds.map((c) => c.id)).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const page = pageIds.map((c) => ({ ...byId.get(c.id)!, distance: c.distance }));
  return withQpvItems(db, toResult(prepared, open.length, page));
}

function toResult(prepared: PreparedQuery, total: number, rows: Candidate[]): SearchResult {
  const shown = rows.slice(0, prepared.limit);
  const items: SearchItem[] = shown.map((row) => {
    const item: SearchItem = toApiV1(row);
    if (prepared.point) item.distance = Number(row.distance);
    return item;
  });
  const last = shown[shown.length - 1]!;
  return {
    total,
    items,
    next_cursor:
      rows.length > prepared.limit
        ? encodeCursor({
            ...(prepared.point ? { distance: Number(last.distance) } : {}),
            sort_key: last.sort_key,
            id: last.id,
          })
        : null,
  };
}

// ---------------------------------------------------------------- QPV (lieu_qpv, filled by the qpv module)

function qpvConditions(filter: QpvFilter): RawBuilder<unknown>[] {
  const linked = (extra: RawBuilder<unknown>) =>
    sql`EXISTS (SELECT 1 FROM lieu_qpv lq WHERE lq.lieu_id = lieux.id AND ${extra})`;
  const where: RawBuilder<unknown>[] = [];
  if (filter.dans) where.push(linked(sql`lq.relation = 'dans' AND lq.code_qp = ANY(${filter.dans}::text[])`));
  if (filter.proche) where.push(linked(sql`lq.code_qp = ANY(${filter.proche}::text[])`));
  if (filter.en_qpv !== undefined) where.push(sql`${filter.en_qpv ? sql`` : sql`NOT `}${linked(sql`lq.relation = 'dans'`)}`);
  if (filter.proche_qpv !== undefined) where.push(sql`${filter.proche_qpv ? sql`` : sql`NOT `}${linked(sql`true`)}`);
  return where;
}

/** Adds each item's `qpv` (nearest first, then by code), as the read model does. */
async function withQpvItems(db: Db, result: SearchResult): Promise<SearchResult> {
  if (result.items.length === 0) return result;
  const rows = await db
    .selectFrom('lieu_qpv')
    .innerJoin('qpv', 'qpv.code', 'lieu_qpv.code_qp')
    .select(['lieu_qpv.lieu_id', 'lieu_qpv.code_qp', 'qpv.nom', 'lieu_qpv.relation', 'lieu_qpv.distance_m'])
    .where('lieu_qpv.lieu_id', 'in', result.items.map((item) => item.id))
    .orderBy('lieu_qpv.distance_m')
    .orderBy(sql`lieu_qpv.code_qp COLLATE "C"`)
    .execute();
  const byPlace = new Map<string, QpvItem[]>();
  for (const row of rows) {
    const list = byPlace.get(row.lieu_id) ?? [];
    list.push({ code: row.code_qp, nom: row.nom, relation: row.relation, distance_m: row.distance_m });
    byPlace.set(row.lieu_id, list);
  }
  for (const item of result.items) {
    const qpv = byPlace.get(item.id);
    if (qpv) item.qpv = qpv;
  }
  return result;
}
