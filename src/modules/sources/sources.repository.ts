// SQL of sources and their runs: Kysely queries only. `db` may be a transaction.
import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ImportRunsTable, SourcesTable } from '../imports/imports.tables.ts';
import '../imports/imports.tables.ts';

type Db = Kysely<Database>;
export type SourceRow = Selectable<SourcesTable>;
export type ImportRunRow = Selectable<ImportRunsTable>;

export async function insertSource(db: Db, row: Insertable<SourcesTable>): Promise<SourceRow> {
  return db.insertInto('sources').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSourceByName(db: Db, name: string, options: { forUpdate?: boolean } = {}): Promise<SourceRow | undefined> {
  let query = db.selectFrom('sources').selectAll().where('name', '=', name);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listSources(db: Db): Promise<(SourceRow & { places: number; last_run_at: Date | null })[]> {
  return db
    .selectFrom('sources')
    .selectAll('sources')
    .select((eb) => [
      eb
        .selectFrom('lieu_sources')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('lieu_sources.source_id', '=', 'sources.id')
        .where('lieu_sources.removed_at', 'is', null)
        .as('places'),
      eb.selectFrom('import_runs').select((e) => e.fn.max('started_at').as('m')).whereRef('import_runs.source_id', '=', 'sources.id').as('last_run_at'),
    ])
    .orderBy('name')
    .execute() as Promise<(SourceRow & { places: number; last_run_at: Date | null })[]>;
}

export async function listRuns(db: Db, sourceId: string, limit: number): Promise<ImportRunRow[]> {
  return db.selectFrom('import_runs').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc').limit(limit).execute();
}

export async function findSourceById(db: Db, id: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Scheduled sources with a location whose next sync is due at `now`, or not computed yet. */
export async function listDueSources(db: Db, now: Date): Promise<SourceRow[]> {
  return db
    .selectFrom('sources')
    .selectAll()
    .where('schedule', 'is not', null)
    .where('location', 'is not', null)
    .where((eb) => eb.or([eb('next_sync_at', 'is', null), eb('next_sync_at', '<=', now)]))
    .orderBy('name')
    .execute();
}

/** Compare-and-set of the next due time: true for the one caller that moved it. */
export async function advanceNextSync(db: Db, id: string, expected: Date | null, next: Date): Promise<boolean> {
  let query = db.updateTable('sources').set({ next_sync_at: next }).where('id', '=', id);
  query = expected === null ? query.where('next_sync_at', 'is', null) : query.where('next_sync_at', '=', expected);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findRunOfSource(db: Db, sourceId: string, runId: string): Promise<ImportRunRow | undefined> {
  return db.selectFrom('import_runs').selectAll().where('source_id', '=', sourceId).where('id', '=', runId).executeTakeFirst();
}

/** A sync whose every row was rejected: its run counts as failed, with the reason. */
export async function markRunFailed(db: Db, runId: string, error: string): Promise<void> {
  await db.updateTable('import_runs').set({ status: 'failed', error }).where('id', '=', runId).execute();
}

/** Rewrites the reason of the failed run a sync just left (runImport records the bare reason). */
export async function annotateFailedRun(db: Db, sourceId: string, since: Date, reason: string, error: string): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ error })
    .where('source_id', '=', sourceId)
    .where('status', '=', 'failed')
    .where('started_at', '>=', since)
    .where('error', '=', reason)
    .execute();
}
