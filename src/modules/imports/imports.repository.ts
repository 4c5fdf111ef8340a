// SQL of import runs, raw rows, errors, source links and provenance. Kysely only; `db` may be
// a transaction.
import { sql, type Kysely, type Selectable, type Insertable } from 'kysely';
import type { Database } from '../../db/database.ts';
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

export async function upsertImportRow(
  db: Db,
  row: { source_id: string; external_id: string; content_hash: string; raw: unknown; lieu_id: string | null; last_run_id: string },
): Promise<void> {
  await db
    .insertInto('import_rows')
    .values({ ...row, raw: JSON.stringify(row.raw) })
    .onConflict((oc) =>
      oc.columns(['source_id', 'external_id']).doUpdateSet((eb) => ({
        content_hash: eb.ref('excluded.content_hash'),
        raw: eb.ref('excluded.raw'),
        lieu_id: eb.ref('excluded.lieu_id'),
        last_run_id: eb.ref('excluded.last_run_id'),
      })),
    )
    .execute();
}

/** Rows seen again unchanged: only the run that saw them last changes. */
export async function touchImportRows(db: Db, sourceId: string, externalIds: string[], runId: string): Promise<void> {
  for (let i = 0; i < externalIds.length; i += 5000) {
    const chunk = externalIds.slice(i, i + 5000);
    await db.updateTable('import_rows').set({ last_run_id: runId }).where('source_id', '=', sourceId).where('external_id', 'in', chunk).execute();
  }
}

export async function upsertLink(db: Db, link: { source_id: string; external_id: string; lieu_id: string; now: Date }): Promise<void> {
  await db
    .insertInto('lieu_sources')
    .values({ source_id: link.source_id, external_id: link.external_id, lieu_id: link.lieu_id, first_seen_at: link.now, last_seen_at: link.now, removed_at: null })
    .onConflict((oc) => oc.columns(['source_id', 'external_id']).doUpdateSet({ lieu_id: link.lieu_id, last_seen_at: link.now, removed_at: null }))
    .execute();
}

/** Links seen in this feed: last seen now, and no longer removed. */
export async function markLinksSeen(db: Db, sourceId: string, externalIds: string[], now: Date): Promise<void> {
  for (let i = 0; i < externalIds.length; i += 5000) {
    const chunk = externalIds.slice(i, i + 5000);
    await db.updateTable('lieu_sources').set({ last_seen_at: now, removed_at: null }).where('source_id', '=', sourceId).where('external_id', 'in', chunk).execute();
  }
}

/** Links of this source absent from its latest feed get removed_at; returns their places. */
export async function markMissingLinksRemoved(db: Db, sourceId: string, seen: Set<string>, now: Date): Promise<string[]> {
  const current = await db.selectFrom('lieu_sources').select(['external_id', 'lieu_id']).where('source_id', '=', sourceId).where('removed_at', 'is', null).execute();
  const missing = current.filter((l) => !seen.has(l.external_id));
  for (let i = 0; i < missing.length; i += 5000) {
    const chunk = missing.slice(i, i + 5000).map((l) => l.external_id);
    await db.updateTable('lieu_sources').set({ removed_at: now }).where('source_id', '=', sourceId).where('external_id', 'in', chunk).execute();
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

export async function recordProvenance(db: Db, lieuId: string, fields: string[], sourceId: string, runId: string, now: Date): Promise<void> {
  if (fields.length === 0) return;
  await db
    .insertInto('lieu_field_provenance')
    .values(fields.map((field) => ({ lieu_id: lieuId, field, source_id: sourceId, run_id: runId, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['lieu_id', 'field']).doUpdateSet((eb) => ({
        source_id: eb.ref('excluded.source_id'),
        run_id: eb.ref('excluded.run_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
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

export async function departementsOf(db: Db, lieuIds: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < lieuIds.length; i += 5000) {
    const rows = await db.selectFrom('lieux').select('code_departement').distinct().where('id', 'in', lieuIds.slice(i, i + 5000)).execute();
    for (const r of rows) if (r.code_departement) found.add(r.code_departement);
  }
  return [...found];
}

export async function upsertDuplicate(
  db: Db,
  pair: { lieu_a: string; lieu_b: string; score: number; decision: 'merge' | 'review'; signals: unknown; reason: string | null; found_run_id: string; found_at: Date },
): Promise<void> {
  await db
    .insertInto('lieu_duplicates')
    .values({ ...pair, signals: JSON.stringify(pair.signals) })
    .onConflict((oc) =>
      oc.columns(['lieu_a', 'lieu_b']).doUpdateSet((eb) => ({
        score: eb.ref('excluded.score'),
        decision: eb.ref('excluded.decision'),
        signals: eb.ref('excluded.signals'),
        reason: eb.ref('excluded.reason'),
      })),
    )
    .execute();
}
