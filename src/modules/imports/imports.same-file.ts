// Unchanged-file fast path: a feed re-sent byte for byte (the usual nightly case) gives, row
// by row, "same hash, still linked → unchanged". When the file's hash equals the one of the
// source's last successful run and every row of that run still points to the place it gave,
// the rows are recognised in SQL without reading, decoding or hashing the file again. The
// caller still applies the removal lifecycle and records a run.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Source } from '../sources/sources.use-cases.ts';

type Db = Kysely<Database>;

/** SHA-256 of everything that decides what the rows become: format, mapping, file, services file. */
export function fileHash(source: Source, options: { bytes: Uint8Array; services?: Uint8Array; format?: string }): string {
  const hash = createHash('sha256').update(JSON.stringify([options.format ?? source.format ?? null, source.mapping ?? null]));
  hash.update(options.bytes);
  if (options.services) hash.update('\u0000services\u0000').update(options.services);
  return hash.digest('base64url');
}

export interface PreviousRun {
  id: string;
  /** The run that last wrote the rows this run saw: itself, or the one it carried them from. */
  rowsRun: string;
  format: string | null;
  encoding: string | null;
  read: number;
  accepted: number;
  rejected: number;
}

// Rows left at their commune centre because the geocoder could not answer carry this in their
// hash (imports.plan.ts): they must be processed again, so the file cannot be skipped.
const awaitingGeocoder = 'a-geocoder';

/**
 * The source's last successful run, if it read this very file and its rows are intact: each
 * raw row that gave a place still has its link, active and to the same place (a moderator's
 * merge moves both together; a removal or a split in between sends the run down the full path),
 * and none awaits the geocoder.
 */
export async function sameFileAsLastRun(db: Db, sourceId: string, hash: string): Promise<PreviousRun | undefined> {
  const [last, before] = await db
    .selectFrom('import_runs')
    .select(['id', 'file_hash', 'rows_run_id', 'format', 'encoding', 'read', 'accepted', 'rejected', 'started_at'])
    .where('source_id', '=', sourceId)
    .where('status', '=', 'succeeded')
    .orderBy('started_at', 'desc')
    .limit(2)
    .execute();
  if (!last || last.file_hash !== hash) return undefined;
  // Two runs started at the same instant: which one is the last is unknown, take the full path.
  if (before && new Date(before.started_at).getTime() === new Date(last.started_at).getTime()) return undefined;
  const rowsRun = last.rows_run_id ?? last.id;
  const { rows } = await sql<{ broken: number }>`
    SELECT count(*)::int AS broken
    FROM import_rows r LEFT JOIN lieu_sources l ON l.source_id = r.source_id AND l.external_id = r.external_id
    WHERE r.source_id = ${sourceId} AND r.last_run_id = ${rowsRun} AND r.lieu_id IS NOT NULL
      AND (l.lieu_id IS DISTINCT FROM r.lieu_id OR l.removed_at IS NOT NULL OR r.content_hash LIKE ${`%${awaitingGeocoder}%`})`.execute(db);
  if (Number(rows[0]?.broken ?? 1) > 0) return undefined;
  return { ...last, rowsRun };
}

/**
 * The rows of `rowsRun` are seen again: their links are seen now. The rows themselves are not
 * rewritten (the new run records `rows_run_id` instead). Returns the keys seen.
 */
export async function carryRowsOver(db: Db, sourceId: string, rowsRun: string, now: Date): Promise<Set<string>> {
  const keys = await db.selectFrom('import_rows').select('external_id').where('source_id', '=', sourceId).where('last_run_id', '=', rowsRun).execute();
  await sql`UPDATE lieu_sources SET last_seen_at = ${now.toISOString()}::timestamptz, removed_at = NULL
    WHERE source_id = ${sourceId} AND external_id IN (SELECT external_id FROM import_rows WHERE source_id = ${sourceId} AND last_run_id = ${rowsRun})`.execute(db);
  return new Set(keys.map((k) => k.external_id));
}

/** The previous run's problems that the full path would report again: those of rejected rows. */
export async function problemsOfRejectedRows(db: Db, previousRunId: string) {
  return db
    .selectFrom('import_errors')
    .select(['row', 'field', 'value', 'message', 'severity'])
    .where('run_id', '=', previousRunId)
    .where('row', 'in', (eb) => eb.selectFrom('import_errors').select('row').where('run_id', '=', previousRunId).where('severity', '=', 'error'))
    .orderBy('row')
    .orderBy('id')
    .execute();
}
