// One import run: read the file, then in ONE transaction store raw rows with their content
// hash, map, validate, check positions, create or update places through the lieux use cases
// (same history and change-log rules), link places to the source, record per-field provenance,
// take the source away from places missing from the feed, unpublish places no source has
// listed for the grace period, and record the run with its stats and row errors. Any failure
// rolls everything back and leaves only a "failed" run record.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { DomainError, NotFoundError } from '../../lib/errors.ts';
import { normalizeText } from '../../lib/text.ts';
import type { Territories } from '../territories/territories.types.ts';
import { createLieu, getLieu, republishLieu, unpublishLieu, updateLieu, type Actor } from '../lieux/lieux.use-cases.ts';
import { validateLieu } from '../lieux/lieux.validation.ts';
import { getSource, type Source } from '../sources/sources.use-cases.ts';
import { checkPosition } from './imports.coordinates.ts';
import { findDuplicates } from './imports.dedup.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';
import { standardFields, type RawLieu, type SourceRecord } from './imports.fields.ts';
import { readSourceFile, type ImportFormat, type ReadResult } from './imports.read.ts';
import * as repo from './imports.repository.ts';
import type { ImportRunStatus } from './imports.tables.ts';

export interface ImportDeps {
  db: Kysely<Database>;
  clock: Clock;
  territories: Territories;
}

export interface ImportOptions {
  /** Source name (see `maillage sources add`). */
  source: string;
  bytes: Uint8Array;
  fileName?: string;
  /** Overrides the source's format and detection. */
  format?: ImportFormat;
  /** data·inclusion services file. */
  services?: Uint8Array;
  /** Runs everything, reports, and writes nothing. */
  dryRun?: boolean;
  /** Days a place keeps being published after its last source dropped it (default 30). */
  graceDays?: number;
  /** Called after each record: progress bars, and tests that stop a run midway. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportStats {
  read: number;
  accepted: number;
  rejected: number;
  new: number;
  updated: number;
  unchanged: number;
  removed: number;
  unpublished: number;
  warnings: number;
  /** Likely duplicates involving a place of this run, stored for review (never merged automatically yet). */
  duplicates: number;
}

export interface ImportReport {
  runId: string;
  source: string;
  status: ImportRunStatus;
  format: ImportFormat;
  encoding: string | null;
  stats: ImportStats;
  durationMs: number;
  /** Row errors and warnings, in file order. */
  problems: (RowError & { severity: 'error' | 'warning' })[];
  ignoredColumns: string[];
}

export const defaultGraceDays = 30;

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** Lets use cases that open their own transaction run inside the import's one. */
function joinTransaction(trx: Transaction<Database>): Kysely<Database> {
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => ({ execute: <T>(fn: (t: Transaction<Database>) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as Kysely<Database>;
}

/** The record's key in its source: its own id, or its normalised name and postal code. */
export function recordKey(record: SourceRecord): string {
  if (record.externalId) return record.externalId;
  return `nom:${normalizeText(String(record.lieu.nom ?? ''))}|${String(record.lieu.code_postal ?? '')}`;
}

function contentHash(record: SourceRecord, format: string, source: Source): string {
  // The mapping and format are part of the content: a new mapping must re-map every row.
  return createHash('sha256').update(JSON.stringify([format, source.mapping, record.raw])).digest('base64url');
}

/** Every standard field, absent ones as null, so an update clears what the source no longer gives. */
function fullRecord(lieu: RawLieu): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of standardFields) if (field !== 'id') record[field] = lieu[field] ?? null;
  return record;
}

function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  return standardFields.filter((f) => f !== 'id' && JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after[f] ?? null) && (before !== null || !isEmpty(after[f])));
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

export async function runImport(deps: ImportDeps, options: ImportOptions): Promise<ImportReport> {
  const source = await getSource(deps, options.source);
  const started = deps.clock.now();
  const startedMs = performance.now();
  const runId = randomUUID();
  let read: ReadResult;
  try {
    read = await readSourceFile({
      bytes: options.bytes,
      format: options.format ?? source.format ?? undefined,
      mapping: source.mapping ?? undefined,
      services: options.services,
    });
  } catch (error) {
    if (!options.dryRun) await recordFailedRun(deps, runId, source, options, started, startedMs, error);
    throw error;
  }
  try {
    return await deps.db.transaction().execute((trx) => importInTransaction(deps, trx, source, read, runId, started, startedMs, options));
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (!options.dryRun) await recordFailedRun(deps, runId, source, options, started, startedMs, error, read);
    if (error instanceof DomainError) throw error;
    throw new ImportRunError(`L’import a échoué et n’a rien modifié : ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

export class ImportRunError extends DomainError {
  constructor(message: string, cause?: unknown) {
    super('import_failed', message, 500);
    this.cause = cause;
  }
}

async function importInTransaction(
  deps: ImportDeps,
  trx: Transaction<Database>,
  source: Source,
  read: ReadResult,
  runId: string,
  started: Date,
  startedMs: number,
  options: ImportOptions,
): Promise<ImportReport> {
  const now = started;
  const db = joinTransaction(trx);
  const lieuxDeps = { db, clock: deps.clock, territories: deps.territories };
  const actor: Actor = { kind: 'source', id: source.id };
  await repo.lockSource(db, source.id); // one run per source at a time
  const previousRows = await repo.loadImportRows(db, source.id);
  const links = await repo.loadLinks(db, source.id);

  const stats: ImportStats = { read: read.total, accepted: 0, rejected: read.errors.length, new: 0, updated: 0, unchanged: 0, removed: 0, unpublished: 0, warnings: 0, duplicates: 0 };
  const problems: ImportReport['problems'] = read.errors.map((e) => ({ ...e, severity: 'error' as const }));
  const seen = new Set<string>();
  const untouched: string[] = [];
  const touched = new Set<string>();
  const total = read.records.length;

  for (const [index, record] of read.records.entries()) {
    const key = recordKey(record);
    if (seen.has(key)) {
      problems.push({ row: record.row, field: 'nom', value: key, severity: 'error', message: 'Ce lieu (même nom et même code postal, sans identifiant) apparaît deux fois dans le fichier.' });
      stats.rejected++;
      continue;
    }
    seen.add(key);
    const hash = contentHash(record, read.format, source);
    const previous = previousRows.get(key);
    const link = links.get(key);
    if (previous && previous.hash === hash && previous.lieu_id && link && link.lieu_id === previous.lieu_id && link.removed_at === null) {
      stats.accepted++;
      stats.unchanged++;
      untouched.push(key);
      options.onProgress?.(index + 1, total);
      continue;
    }

    const checked = checkPosition(record.lieu, deps.territories, record.row);
    problems.push(...checked.warnings.map((w) => ({ ...w, severity: 'warning' as const })));
    stats.warnings += checked.warnings.length;
    const input = fullRecord(checked.lieu);
    const validation = validateLieu(input, deps.territories, { ignoreUnknownFields: true });
    if (!validation.ok) {
      stats.rejected++;
      for (const e of validation.errors) {
        problems.push({ row: record.row, field: e.field, value: e.value === undefined ? undefined : String(e.value), message: e.message, severity: 'error' });
      }
      await repo.upsertImportRow(db, { source_id: source.id, external_id: key, content_hash: hash, raw: record.raw, lieu_id: null, last_run_id: runId });
      options.onProgress?.(index + 1, total);
      continue;
    }

    stats.accepted++;
    let lieuId: string;
    let fields: string[];
    if (link) {
      const before = await getLieu(lieuxDeps, link.lieu_id);
      if (before.status === 'unpublished' && link.removed_at !== null) {
        await republishLieu(lieuxDeps, before.id, actor, `De nouveau présent dans la source « ${source.name} ».`);
      }
      const after = await updateLieu(lieuxDeps, link.lieu_id, input, actor, { ignoreUnknownFields: true });
      lieuId = after.id;
      fields = changedFields(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
      if (fields.length > 0 || after.status !== before.status) stats.updated++;
      else stats.unchanged++;
    } else {
      const created = await createLieu(lieuxDeps, input, actor, { ignoreUnknownFields: true });
      lieuId = created.id;
      fields = changedFields(null, created as unknown as Record<string, unknown>);
      stats.new++;
    }
    if (fields.length > 0) touched.add(lieuId);
    await repo.upsertLink(db, { source_id: source.id, external_id: key, lieu_id: lieuId, now });
    await repo.recordProvenance(db, lieuId, fields, source.id, runId, now);
    await repo.upsertImportRow(db, { source_id: source.id, external_id: key, content_hash: hash, raw: record.raw, lieu_id: lieuId, last_run_id: runId });
    options.onProgress?.(index + 1, total);
  }

  await repo.touchImportRows(db, source.id, untouched, runId);
  // Rejected rows still list their place: the source has not dropped it.
  await repo.markLinksSeen(db, source.id, [...seen].filter((k) => links.has(k)), now);
  stats.removed = (await repo.markMissingLinksRemoved(db, source.id, seen, now)).length;
  const graceDays = options.graceDays ?? defaultGraceDays;
  const removedBefore = new Date(now.getTime() - graceDays * 86_400_000);
  for (const lieuId of await repo.findOrphanedPlaces(db, removedBefore)) {
    await unpublishLieu(lieuxDeps, lieuId, actor, `Retiré de toutes ses sources depuis plus de ${graceDays} jours.`);
    stats.unpublished++;
  }

  stats.duplicates = await recordDuplicates(db, touched, runId, now);

  problems.sort((a, b) => a.row - b.row);
  const report: ImportReport = {
    runId,
    source: source.name,
    status: options.dryRun ? 'dry_run' : 'succeeded',
    format: read.format,
    encoding: read.encoding ?? null,
    stats,
    durationMs: Math.round(performance.now() - startedMs),
    problems,
    ignoredColumns: read.ignoredColumns,
  };
  if (options.dryRun) throw new DryRunRollback(report);
  await repo.insertRun(db, runRow(runId, source, options, started, deps.clock.now(), report.durationMs, 'succeeded', read, stats, null));
  await repo.insertErrors(
    db,
    problems.map((p) => ({ run_id: runId, row: p.row, field: p.field, value: p.value ?? null, message: p.message, severity: p.severity })),
  );
  return report;
}

/** Scores the places this run created or changed against their département's places. */
async function recordDuplicates(db: Kysely<Database>, touched: Set<string>, runId: string, now: Date): Promise<number> {
  if (touched.size === 0) return 0;
  const records = await repo.dedupRecordsOf(db, await repo.departementsOf(db, [...touched]));
  const pairs = findDuplicates(records).filter((p) => touched.has(p.a) || touched.has(p.b));
  for (const p of pairs) {
    await repo.upsertDuplicate(db, {
      lieu_a: p.a,
      lieu_b: p.b,
      score: p.score,
      decision: p.decision === 'merge' ? 'merge' : 'review',
      signals: p.signals,
      reason: p.reason ?? null,
      found_run_id: runId,
      found_at: now,
    });
  }
  return pairs.length;
}

function runRow(
  runId: string,
  source: Source,
  options: ImportOptions,
  started: Date,
  finished: Date,
  durationMs: number,
  status: ImportRunStatus,
  read: ReadResult | undefined,
  stats: ImportStats,
  error: string | null,
) {
  return {
    id: runId,
    source_id: source.id,
    status,
    file_name: options.fileName ?? null,
    format: read?.format ?? options.format ?? null,
    encoding: read?.encoding ?? null,
    started_at: started,
    finished_at: finished,
    duration_ms: durationMs,
    ...stats,
    error,
  };
}

async function recordFailedRun(
  deps: ImportDeps,
  runId: string,
  source: Source,
  options: ImportOptions,
  started: Date,
  startedMs: number,
  error: unknown,
  read?: ReadResult,
): Promise<void> {
  const message = error instanceof DomainError ? error.message : `Erreur interne : ${error instanceof Error ? error.message : String(error)}`;
  const stats: ImportStats = { read: read?.total ?? 0, accepted: 0, rejected: 0, new: 0, updated: 0, unchanged: 0, removed: 0, unpublished: 0, warnings: 0, duplicates: 0 };
  await repo.insertRun(deps.db, runRow(runId, source, options, started, deps.clock.now(), Math.round(performance.now() - startedMs), 'failed', read, stats, message));
}

/** The run's row errors and warnings as CSV for the producer (`;`, UTF-8 with BOM: opens in Excel). */
export async function importErrorsCsv(deps: Pick<ImportDeps, 'db'>, runId: string): Promise<string> {
  const run = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(runId) ? await repo.findRun(deps.db, runId.toLowerCase()) : undefined;
  if (!run) throw new NotFoundError(`Aucun import ne porte l’identifiant « ${runId} ».`);
  const errors = await repo.listErrors(deps.db, runId);
  const rows = errors.map((e) => [e.row, e.field, e.value ?? '', e.message, e.severity === 'error' ? 'erreur' : 'avertissement']);
  return `\uFEFF${stringify([['ligne', 'champ', 'valeur', 'message', 'gravite'], ...rows], { delimiter: ';' })}`;
}

export { ImportFileError };
