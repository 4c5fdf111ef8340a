// SQL of import runs: loading what a run compares against, the removal lifecycle, run rows
// and errors. Kysely only; `db` may be a transaction. Bulk writes: imports.bulk-write.ts.
import { sql, type Kysely, type Selectable, type Insertable } from 'kysely';
import type { Database, LieuRow } from '../../db/database.ts';
import type { ImportErrorsTable, ImportRunsTable, LieuSourcesTable } from './imports.tables.ts';

type Db = Kysely<Database>;

export async function lockSource(db: Db, sourceId: string): Promise<void> {
  await db.selectFrom('sources').select('id').where('id', '=', sourceId).forUpdate().execute();
}

export async function loadImportRows(db: Db, sourceId: string): Promise<Map<string, { hash: string; lieu_id: string | null }>> {
  const rows = await db.selectFrom('import_rows').select(['external_id', 'content_hash', 'lieu_id']).where('source_id', '=', sourceId).execute();
  return new Map(rows.map((r) => [r.external_id, { hash: r.content_hash, lieu_id: r.lieu_id }]));
}

export async function loadLinks(db: Db, sourceId: string): Promise<Map<string, Selectable<LieuSourcesTable>>> {
  const rows = await db.selectFrom('lieu_sources').selectAll().where('source_id', '=', sourceId).execute();
  return new Map(rows.map((r) => [r.external_id, r]));
}

/** Rows seen again unchanged: only the run that saw them last changes. */
export async function touchImportRows(db: Db, sourceId: string, externalIds: string[], runId: string): Promise<void> {
  for (const chunk of chunks(externalIds)) {
    await db.updateTable('import_rows').set({ last_run_id: runId }).where('source_id', '=', sourceId).where('external_id', '=', anyText(chunk)).execute();
  }
}

/** Links seen in this feed: last seen now, and no longer removed. */
export async function markLinksSeen(db: Db, sourceId: string, externalIds: string[], now: Date): Promise<void> {
  for (const chunk of chunks(externalIds)) {
    await db.updateTable('lieu_sources').set({ last_seen_at: now, removed_at: null }).where('source_id', '=', sourceId).where('external_id', '=', anyText(chunk)).execute();
  }
}

/** Links of this source absent from its latest feed get removed_at; returns their places. */
export async function markMissingLinksRemoved(db: Db, sourceId: string, seen: Set<string>, now: Date): Promise<string[]> {
  const current = await db.selectFrom('lieu_sources').select(['external_id', 'lieu_id']).where('source_id', '=', sourceId).where('removed_at', 'is', null).execute();
  const missing = current.filter((l) => !seen.has(l.external_id));
  for (const chunk of chunks(missing.map((l) => l.external_id))) {
    await db.updateTable('lieu_sources').set({ removed_at: now }).where('source_id', '=', sourceId).where('external_id', '=', anyText(chunk)).execute();
  }
  return missing.map((l) => l.lieu_id);
}

/** Published places that some source listed, that no source lists any more, for at least the grace period. */
export async function findOrphanedPlaces(db: Db, removedBefore: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('lieu_sources as ls')
    .innerJoin('lieux', 'lieux.id', 'ls.lieu_id')
    .select('ls.lieu_id')
    .where('lieux.status', '=', 'published')
    .groupBy('ls.lieu_id')
    .having(sql<boolean>`bool_and(ls.removed_at is not null) and max(ls.removed_at) <= ${removedBefore}`)
    .execute();
  return rows.map((r) => r.lieu_id);
}

export async function insertRun(db: Db, run: Insertable<ImportRunsTable>): Promise<void> {
  await db.insertInto('import_runs').values(run).execute();
}

export async function insertErrors(db: Db, errors: Insertable<ImportErrorsTable>[]): Promise<void> {
  for (let i = 0; i < errors.length; i += 2000) await db.insertInto('import_errors').values(errors.slice(i, i + 2000)).execute();
}

export async function findRun(db: Db, runId: string): Promise<Selectable<ImportRunsTable> | undefined> {
  return db.selectFrom('import_runs').selectAll().where('id', '=', runId).executeTakeFirst();
}

export async function listErrors(db: Db, runId: string): Promise<Selectable<ImportErrorsTable>[]> {
  return db.selectFrom('import_errors').selectAll().where('run_id', '=', runId).orderBy('row').orderBy('id').execute();
}

export async function provenanceOf(db: Db, lieuId: string) {
  return db
    .selectFrom('lieu_field_provenance as p')
    .innerJoin('sources', 'sources.id', 'p.source_id')
    .select(['p.field', 'sources.name as source', 'p.run_id', 'p.updated_at'])
    .where('p.lieu_id', '=', lieuId)
    .orderBy('p.field')
    .execute();
}

export async function sourcesOf(db: Db, lieuId: string) {
  return db
    .selectFrom('lieu_sources as ls')
    .innerJoin('sources', 'sources.id', 'ls.source_id')
    .select(['sources.name as source', 'ls.external_id', 'ls.first_seen_at', 'ls.last_seen_at', 'ls.removed_at'])
    .where('ls.lieu_id', '=', lieuId)
    .orderBy('sources.name')
    .execute();
}

/** Published places of these départements, in the shape the duplicate scorer reads. */
export async function dedupRecordsOf(db: Db, departements: string[]) {
  if (departements.length === 0) return [];
  return db
    .selectFrom('lieux')
    .select(['id', 'nom', 'adresse', 'code_insee', 'latitude', 'longitude', 'position_approximate', 'pivot', 'telephone', 'courriels'])
    .where('status', '=', 'published')
    .where('code_departement', 'in', departements)
    .execute();
}

/** Whole rows of these places (the current state the import compares against), by id. */
export async function loadLieux(db: Db, ids: string[]): Promise<Map<string, LieuRow>> {
  const found = new Map<string, LieuRow>();
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('lieux').selectAll().where('id', '=', sql<string>`any(${chunk}::uuid[])`).execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

// One array parameter per statement: no limit on the number of values, one plan.
const chunkLength = 10_000;

function chunks<T>(values: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += chunkLength) result.push(values.slice(i, i + chunkLength));
  return result;
}

const anyText = (values: string[]) => sql<string>`any(${values}::text[])`;
