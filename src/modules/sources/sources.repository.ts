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
