// SQL for QPV contours and the computed place↔QPV links.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { BBox, QpvMatch, QpvShape } from './qpv.geometry.ts';
import type { QpvItem } from './qpv.schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function upsertQpvShapes(db: Db, shapes: readonly QpvShape[], sourceFile: string): Promise<void> {
  for (const shape of shapes) {
    const row = {
      code: shape.code,
      nom: shape.nom,
      commune: shape.commune,
      liste: shape.liste,
      population: shape.population,
      bbox: shape.bbox,
      geometry: JSON.stringify(shape.geometry),
      source_file: sourceFile,
    };
    await db
      .insertInto('qpv')
      .values(row)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          nom: row.nom,
          commune: row.commune,
          liste: row.liste,
          population: row.population,
          bbox: row.bbox,
          geometry: row.geometry,
          source_file: row.source_file,
          loaded_at: sql`now()`,
        }),
      )
      .execute();
  }
}

export async function listQpvShapes(db: Db): Promise<QpvShape[]> {
  const rows = await db.selectFrom('qpv').selectAll().orderBy('code').execute();
  return rows.map((r) => ({
    code: r.code,
    nom: r.nom,
    commune: r.commune,
    liste: r.liste,
    population: r.population,
    bbox: r.bbox as BBox,
    geometry: r.geometry,
  }));
}

/** A cheap fingerprint of the contours: changes when any file is (re)loaded. */
export async function qpvVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('qpv')
    .select([sql<number>`count(*)`.as('n'), sql<string | null>`max(loaded_at)::text`.as('last')])
    .executeTakeFirstOrThrow();
  return `${row.n}@${row.last ?? ''}`;
}

export interface PlacePosition {
  id: string;
  latitude: number | null;
  longitude: number | null;
  status: 'published' | 'unpublished';
}

export async function listPlacePositions(db: Db, ids?: readonly string[]): Promise<PlacePosition[]> {
  if (ids && ids.length === 0) return [];
  let query = db.selectFrom('lieux').select(['id', 'latitude', 'longitude', 'status']);
  if (ids) query = query.where('id', 'in', ids);
  return query.execute();
}

export async function existingPlaceIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('lieux').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Replaces the links of the given places (all places when `ids` is undefined). */
export async function replaceLieuQpv(
  db: Db,
  ids: readonly string[] | undefined,
  links: readonly (QpvMatch & { lieu_id: string })[],
): Promise<void> {
  if (ids === undefined) await db.deleteFrom('lieu_qpv').execute();
  else if (ids.length > 0) {
    for (let i = 0; i < ids.length; i += 5000) await db.deleteFrom('lieu_qpv').where('lieu_id', 'in', ids.slice(i, i + 5000)).execute();
  }
  for (let i = 0; i < links.length; i += 5000) {
    const chunk = links.slice(i, i + 5000);
    await db.insertInto('lieu_qpv').values(chunk.map((l) => ({ ...l }))).execute();
  }
}

export async function lieuQpvFor(db: Db, lieuId: string): Promise<QpvMatch[]> {
  return db
    .selectFrom('lieu_qpv')
    .select(['code_qp', 'relation', 'distance_m'])
    .where('lieu_id', '=', lieuId)
    .orderBy('distance_m')
    .orderBy('code_qp')
    .execute();
}

export async function maxChangeSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('lieu_changes').select(sql<number | null>`max(seq)`.as('seq')).executeTakeFirstOrThrow();
  return row.seq ?? 0;
}

export async function changedPlaceIdsSince(db: Db, seq: number): Promise<{ ids: string[]; seq: number }> {
  const rows = await db.selectFrom('lieu_changes').select(['seq', 'lieu_id']).where('seq', '>', seq).orderBy('seq').execute();
  return { ids: [...new Set(rows.map((r) => r.lieu_id))], seq: rows.length ? rows[rows.length - 1]!.seq : seq };
}

/** The QPVs of one place with their names, nearest first (the `qpv` field of the place API). */
export async function qpvItemsOfPlace(db: Db, lieuId: string): Promise<QpvItem[]> {
  const rows = await db
    .selectFrom('lieu_qpv')
    .innerJoin('qpv', 'qpv.code', 'lieu_qpv.code_qp')
    .select(['lieu_qpv.code_qp', 'qpv.nom', 'lieu_qpv.relation', 'lieu_qpv.distance_m'])
    .where('lieu_qpv.lieu_id', '=', lieuId)
    .orderBy('lieu_qpv.distance_m')
    .orderBy(sql`lieu_qpv.code_qp COLLATE "C"`)
    .execute();
  return rows.map((r) => ({ code: r.code_qp, nom: r.nom, relation: r.relation, distance_m: r.distance_m }));
}
