// One import run: read the file, then in ONE transaction: plan in memory (keys, content
// hashes, positions, validation and enrichment once per row: imports.plan.ts), read the places
// concerned in bulk, decide creations, updates and merges into another source's place, write
// everything set-based (places, versions, change log, one NOTIFY, links, provenance, raw rows:
// imports.bulk-write.ts), take the source away from places missing from the feed, unpublish
// places no source has listed for the grace period, store likely duplicates, and record the
// run with its stats and row errors. Any failure rolls everything back and leaves only a
// "failed" run record.
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { withTightHeap } from '../../lib/tight-heap.ts';
import { DomainError, NotFoundError } from '../../lib/errors.ts';
import type { Territories } from '../territories/territories.types.ts';
import type { Actor } from '../lieux/lieux.use-cases.ts';
import { getSource, type Source } from '../sources/sources.use-cases.ts';
import * as bulk from './imports.bulk-write.ts';
import type { DuplicateWrite } from './imports.bulk-write.ts';
import { DedupIndex } from './imports.dedup-index.ts';
import { RegistryIndex } from './imports.registry-index.ts';
import type { SourceRecord, StandardField } from './imports.fields.ts';
import type { DedupRecord, PairScore } from './imports.dedup.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';
import { createPlanner, createPreparer, dedupRecordOf, findMergeTargets, recordKey, type ApplyPlan, type MergeTargets, type PreparedRecord, type Problem, type ScoringIndex } from './imports.plan.ts';
import { openSourceFile, type ImportFormat, type ReadResult, type SourceFile } from './imports.read.ts';
import type { Geocoder } from './imports.geocoder.ts';
import { emptyGeocodingReport, geocodeRecords, type GeocodingReport, type GeocodingResult } from './imports.geocoding.ts';
import { loadMergeStates, replaceContributions } from './imports.merge.repository.ts';
import { recordSourceFields, replaceProvenance } from './imports.provenance.ts';
import { carryRowsOver, fileHash, problemsOfRejectedRows, sameFileAsLastRun } from './imports.same-file.ts';
import * as repo from './imports.repository.ts';
import { upsertConflicts } from './imports.conflicts.ts';
import type { ImportRunStatus } from './imports.tables.ts';

export interface ImportDeps {
  db: Kysely<Database>;
  clock: Clock;
  territories: Territories;
  /** Address geocoder for records without usable coordinates; null or absent: offline (cache, then commune centres). */
  geocoder?: Geocoder | null;
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
  /** Records planned and written together (default 2,000); tests use small chunks. */
  chunkSize?: number;
  /** Runs in the import's transaction just before it commits (not on a dry run): the audit entry of an API push. */
  beforeCommit?: (trx: Transaction<Database>, report: ImportReport) => Promise<void>;
}

export interface ImportStats {
  read: number;
  accepted: number;
  rejected: number;
  new: number;
  updated: number;
  unchanged: number;
  /** New records attached to a place another source already lists (strong duplicate), instead of a new place. */
  merged: number;
  removed: number;
  unpublished: number;
  warnings: number;
  /** Likely duplicates involving a place of this run, stored for review. */
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
  /** Milliseconds spent in each stage of the run (read, prepare, load, plan, write, lifecycle, duplicates). */
  stages: Record<string, number>;
  /** Row errors and warnings, in file order. */
  problems: (RowError & { severity: 'error' | 'warning' })[];
  ignoredColumns: string[];
  /** What the geocoding stage did before the transaction (counts and French notes). */
  geocoding: GeocodingReport;
}

export const defaultGraceDays = 30;

/**
 * Records planned and written together: bounds the rows a run holds at once. A chunk of 5,000
 * kept ~30 MB alive (its records, rows and plan) and peaked near 505 MB resident at 50,000
 * rows; 2,000 stays under 460 MB for the same time (docs/benchmarks.md).
 */
const planChunkSize = 2000;
/** Records prepared between two turns of the event loop while a chunk's writes are in flight. */
const preparedBetweenYields = 200;

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

export { recordKey };

export async function runImport(deps: ImportDeps, options: ImportOptions): Promise<ImportReport> {
  return withTightHeap(() => importRun(deps, options));
}

async function importRun(deps: ImportDeps, options: ImportOptions): Promise<ImportReport> {
  const source = await getSource(deps, options.source);
  const started = deps.clock.now();
  const startedMs = performance.now();
  const runId = randomUUID();
  const stages = stageClock();
  const hash = fileHash(source, options);
  if (!options.dryRun) {
    try {
      const report = await deps.db.transaction().execute((trx) => unchangedFileRun(deps, trx, source, hash, runId, started, startedMs, options));
      if (report) return report;
    } catch (error) {
      await recordFailedRun(deps, runId, source, options, started, startedMs, error);
      if (error instanceof DomainError) throw error;
      throw new ImportRunError(`L’import a échoué et n’a rien modifié : ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }
  let file: SourceFile;
  try {
    file = await openSourceFile({
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
    stages.lap('read');
    // A first pass over the file: the keys it lists, and geocoding (network I/O before the
    // transaction opens, so that it never holds the run's locks).
    const scan: FileScan = { keys: new Set(), records: 0 };
    const geocoding = await geocodeRecords(scanned(file, scan), deps);
    stages.lap('geocode');
    return await deps.db.transaction().execute((trx) => importInTransaction({ ...deps, geocoding, fileHash: hash }, trx, source, file, scan, runId, started, startedMs, options, stages));
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    if (!options.dryRun) await recordFailedRun(deps, runId, source, options, started, startedMs, error, file);
    if (error instanceof DomainError) throw error;
    throw new ImportRunError(`L’import a échoué et n’a rien modifié : ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

interface StageClock {
  laps: Record<string, number>;
  /** Records the time since the previous lap under `name`. */
  lap(name: string): void;
}

function stageClock(): StageClock {
  let last = performance.now();
  const laps: Record<string, number> = {};
  return {
    laps,
    lap(name) {
      const now = performance.now();
      laps[name] = Math.round((laps[name] ?? 0) + now - last);
      last = now;
    },
  };
}

export class ImportRunError extends DomainError {
  constructor(message: string, cause?: unknown) {
    super('import_failed', message, 500);
    this.cause = cause;
  }
}

async function importInTransaction(
  deps: ImportDeps & { geocoding: GeocodingResult; fileHash: string },
  db: Transaction<Database>,
  source: Source,
  file: SourceFile,
  scan: FileScan,
  runId: string,
  started: Date,
  startedMs: number,
  options: ImportOptions,
  stages: StageClock,
): Promise<ImportReport> {
  const now = started;
  const actor: Actor = { kind: 'source', id: source.id };
  await repo.lockSource(db, source.id); // one run per source at a time
  const ctx = { source, sourceName: source.name, format: file.format, territories: deps.territories, geocoded: deps.geocoding.positions, now, previousRows: await repo.loadImportRows(db, source.id), links: await repo.loadLinks(db, source.id) };
  // Places this source lists under a key of this file: never the merge target of another record.
  const listedHere = new Set([...scan.keys].map((key) => ctx.links.get(key)?.lieu_id).filter((id): id is string => id !== undefined));
  scan.keys.clear(); // not needed any more: the run holds the keys it has seen itself (prepared.seen)
  const preparer = createPreparer(ctx, scan.records, options.onProgress);
  const prepared = preparer.prepared;
  const registry = new RegistryIndex(db);
  const planner = createPlanner(ctx);
  const written: WrittenPlaces = { fresh: new Map(), inserted: new Map(), updated: new Set(), touched: new Set() };
  const incomingPairs: MergeTargets['pairs'] = new Map();
  const claimed = new Set<string>();
  const mayHaveProvenance = new Set<string>();
  const totals = { new: 0, updated: 0, unchanged: 0, merged: 0, accepted: 0 };
  const planWarnings: Problem[] = [];
  const actorRef = { kind: actor.kind, id: actor.id ?? null };

  // The file chunk by chunk, in one transaction: prepare (keys, hashes, positions, validation
  // and enrichment once per row), find merge targets, read the places concerned, plan in
  // memory, write in bulk. Only a chunk or two of records and rows are held at a time; what
  // later chunks need carries over (keys seen, places claimed, conflict-rule state, scored
  // pairs). A chunk's writes go on while the next chunk is read, prepared and planned (the
  // server works on its own core); the next chunk's writes start once they are done.
  const records = file.records()[Symbol.iterator]();
  const chunkSize = options.chunkSize ?? planChunkSize;
  /** The next chunk's accepted records (null: the file is done), yielding now and then so that the writes in flight go on. */
  const prepareChunk = async (): Promise<PreparedRecord[] | null> => {
    const accepted: PreparedRecord[] = [];
    let count = 0;
    for (;;) {
      const slice: SourceRecord[] = [];
      for (let next = records.next(); !next.done; next = records.next()) {
        slice.push(next.value);
        if (slice.length === preparedBetweenYields || count + slice.length === chunkSize) break;
      }
      count += slice.length;
      for (const record of preparer.prepare(slice)) accepted.push(record);
      if (slice.length < preparedBetweenYields || count === chunkSize) return count === 0 ? null : accepted;
      await setImmediate();
    }
  };
  // One chunk in a function of its own: its records and rows are let go once written.
  const planChunk = async (accepted: PreparedRecord[]) => {
    await registry.ensure(departementsOf(accepted));
    const { targets: mergeTargets, pairs } = findMergeTargets(accepted, registry, listedHere, claimed);
    for (const [key, pair] of pairs) incomingPairs.set(key, pair);
    const ids = new Set([...accepted.map((r) => r.link?.lieu_id).filter((id): id is string => id !== undefined), ...mergeTargets.values()]);
    const currentRows = await repo.loadLieux(db, [...ids]);
    const states = await loadMergeStates(db, [...currentRows.values()]);
    for (const id of currentRows.keys()) mayHaveProvenance.add(id);
    stages.lap('load');
    const plan = planner(accepted, { currentRows, mergeTargets, states });
    stages.lap('plan');
    rememberWritten(written, plan, incomingPairs);
    for (const key of ['new', 'updated', 'unchanged', 'merged'] as const) totals[key] += plan.stats[key];
    planWarnings.push(...plan.warnings);
    return { plan, rejectedRows: preparer.takeRejectedRows() };
  };
  const writeChunk = async ({ plan, rejectedRows }: Awaited<ReturnType<typeof planChunk>>) => {
    await bulk.insertLieux(db, plan.inserts);
    await bulk.updateLieux(db, plan.updates);
    await bulk.insertVersions(db, plan.versions, actorRef, now);
    await bulk.insertChanges(db, plan.changes, now);
    await bulk.upsertLinks(db, source.id, plan.links, now, (key) => ctx.links.has(key));
    await recordSourceFields(db, source.id, runId, plan.provenance, now, mayHaveProvenance);
    await replaceContributions(db, plan.ruledPlaces, plan.contributions.map((c) => ({ ...c, run_id: runId })));
    await replaceProvenance(db, plan.ruledPlaces, plan.ruledProvenance.map((p) => ({ ...p, run_id: runId })));
    await bulk.upsertImportRows(db, source.id, runId, [...plan.importRows, ...rejectedRows], (key) => ctx.previousRows.has(key));
    await upsertConflicts(db, source.id, runId, plan.conflicts, now);
  };
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let accepted = await prepareChunk(); accepted !== null; accepted = await prepareChunk()) {
      totals.accepted += accepted.length;
      stages.lap('prepare');
      // Its reads (places concerned, new départements' duplicate index) queue between the
      // previous chunk's statements: they read places of the registry, which that chunk may
      // have updated (the planner then builds on its own write) but never created.
      const planned = await planChunk(accepted);
      await writing;
      stages.lap('write');
      writing = writeChunk(planned);
      writing.catch(() => {}); // awaited below; meanwhile its failure is not "unhandled"
    }
    await writing;
    stages.lap('write');
  } catch (error) {
    // Never leave the transaction with a write in flight: its next statement would follow the rollback.
    await writing.catch(() => {});
    throw error;
  }
  // 5. Removal lifecycle: links missing from the feed, places no source has listed for the grace period.
  await repo.touchImportRows(db, source.id, prepared.unchangedKeys, runId);
  // Rejected rows still list their place: the source has not dropped it.
  await repo.markLinksSeen(db, source.id, [...prepared.seen].filter((k) => ctx.links.has(k)), now);
  const removed = (await repo.markMissingLinksRemoved(db, source.id, prepared.seen, now)).length;
  const orphans = await unpublishOrphans(db, now, options.graceDays ?? defaultGraceDays);
  const unpublished = orphans.rows;
  await bulk.insertVersions(db, orphans.versions, actorRef, now);
  await bulk.insertChanges(db, orphans.changes, now);
  stages.lap('lifecycle');

  // 6. Likely duplicates of the places this run set or changed, against the registry as it now is.
  const pairs = duplicatesOf(registry, written, unpublished.map((row) => row.id), incomingPairs);
  await bulk.upsertDuplicates(db, runId, pairs, now);
  stages.lap('duplicates');

  const stats: ImportStats = {
    read: file.total,
    accepted: totals.accepted + prepared.unchangedKeys.length,
    rejected: file.errors.length + prepared.rejected,
    new: totals.new,
    updated: totals.updated,
    unchanged: totals.unchanged + prepared.unchangedKeys.length,
    merged: totals.merged,
    removed,
    unpublished: unpublished.length,
    warnings: prepared.warnings + planWarnings.length,
    duplicates: pairs.length,
  };
  const problems: ImportReport['problems'] = [...file.errors.map((e) => ({ ...e, severity: 'error' as const })), ...prepared.problems, ...planWarnings];
  problems.sort((a, b) => a.row - b.row);
  const report: ImportReport = {
    runId,
    source: source.name,
    status: options.dryRun ? 'dry_run' : 'succeeded',
    format: file.format,
    encoding: file.encoding ?? null,
    stats,
    durationMs: Math.round(performance.now() - startedMs),
    stages: stages.laps,
    problems,
    ignoredColumns: file.ignoredColumns,
    geocoding: deps.geocoding.report,
  };
  if (options.dryRun) throw new DryRunRollback(report);
  await repo.insertRun(db, { ...runRow(runId, source, options, started, deps.clock.now(), report.durationMs, 'succeeded', file, stats, null), geocoding: JSON.stringify(report.geocoding), file_hash: deps.fileHash });
  await repo.insertErrors(
    db,
    problems.map((p) => ({ run_id: runId, row: p.row, field: p.field, value: p.value ?? null, message: p.message, severity: p.severity })),
  );
  await options.beforeCommit?.(db, report);
  return report;
}

/**
 * Published places that no source has listed for the grace period: unpublished (rows written
 * here); their versions and change-log entries are returned, to be written with the run's.
 */
async function unpublishOrphans(db: Kysely<Database>, now: Date, graceDays: number) {
  const orphans = await repo.loadLieux(db, await repo.findOrphanedPlaces(db, new Date(now.getTime() - graceDays * 86_400_000)));
  const rows = [...orphans.values()].map((row) => ({ ...row, status: 'unpublished' as const, version: row.version + 1, updated_at: now }));
  await bulk.updateLieux(db, rows);
  const reason = `Retiré de toutes ses sources depuis plus de ${graceDays} jours.`;
  return {
    rows,
    versions: rows.map((row) => ({ row, action: 'unpublish' as const, changes: { status: { from: 'published', to: 'unpublished' } }, reason })),
    changes: rows.map((row) => ({ lieu_id: row.id, kind: 'removed' as const })),
  };
}

/**
 * The same file as the source's last successful run, with its rows intact: every row is
 * unchanged, recognised without reading the file (imports.same-file.ts); the removal lifecycle
 * still runs and the run is recorded with the rejected rows' problems again. Null: take the
 * full path.
 */
async function unchangedFileRun(
  deps: ImportDeps,
  db: Transaction<Database>,
  source: Source,
  hash: string,
  runId: string,
  started: Date,
  startedMs: number,
  options: ImportOptions,
): Promise<ImportReport | null> {
  const now = started;
  await repo.lockSource(db, source.id);
  const previous = await sameFileAsLastRun(db, source.id, hash);
  if (!previous) return null;
  const stages = stageClock();
  const seen = await carryRowsOver(db, source.id, previous.rowsRun, now);
  const removed = (await repo.markMissingLinksRemoved(db, source.id, seen, now)).length;
  const orphans = await unpublishOrphans(db, now, options.graceDays ?? defaultGraceDays);
  await bulk.insertVersions(db, orphans.versions, { kind: 'source', id: source.id }, now);
  await bulk.insertChanges(db, orphans.changes, now);
  stages.lap('lifecycle');
  const problems = (await problemsOfRejectedRows(db, previous.id)).map((p) => ({ row: p.row, field: p.field, value: p.value ?? undefined, message: p.message, severity: p.severity }));
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  const stats: ImportStats = {
    read: previous.read,
    accepted: previous.accepted,
    rejected: previous.rejected,
    new: 0,
    updated: 0,
    unchanged: previous.accepted,
    merged: 0,
    removed,
    unpublished: orphans.rows.length,
    warnings,
    duplicates: 0,
  };
  const geocoding = { ...emptyGeocodingReport(deps.geocoder ? 'enabled' : 'disabled'), notes: ['Fichier identique à celui du dernier import réussi : aucune ligne à relire ni à géocoder.'] };
  const report: ImportReport = {
    runId,
    source: source.name,
    status: 'succeeded',
    format: (previous.format ?? options.format ?? 'standard-csv') as ImportFormat,
    encoding: previous.encoding,
    stats,
    durationMs: Math.round(performance.now() - startedMs),
    stages: stages.laps,
    geocoding,
    problems,
    ignoredColumns: [],
  };
  options.onProgress?.(previous.read, previous.read);
  const run = runRow(runId, source, options, started, deps.clock.now(), report.durationMs, 'succeeded', undefined, stats, null);
  await repo.insertRun(db, { ...run, format: previous.format, encoding: previous.encoding, geocoding: JSON.stringify(geocoding), file_hash: hash, rows_run_id: previous.rowsRun });
  await repo.insertErrors(db, problems.map((p) => ({ run_id: runId, row: p.row, field: p.field, value: p.value ?? null, message: p.message, severity: p.severity })));
  await options.beforeCommit?.(db, report);
  return report;
}

/** What the first pass over a file found: its keys (recordKey), and how many usable records it has. */
interface FileScan {
  keys: Set<string>;
  records: number;
}

/** What the first pass reads of each record: its key (recordKey) and what geocoding needs. */
const scanFields = ['id', 'nom', 'adresse', 'commune', 'code_postal', 'code_insee', 'latitude', 'longitude'] as const satisfies readonly StandardField[];

/** The file's records, noting each key and counting them as they go by. */
function* scanned(file: SourceFile, scan: FileScan): Generator<SourceRecord> {
  for (const record of file.records(scanFields)) {
    scan.keys.add(recordKey(record));
    scan.records++;
    yield record;
  }
}

const departementsOf = (records: readonly PreparedRecord[]) => records.map((r) => r.value.code_departement).filter((d): d is string => d !== null);

/** What the duplicates stage needs of the places a run wrote, kept across its chunks (not the rows). */
interface WrittenPlaces {
  /** Latest state of the published places the run created or updated, as the scorer reads them. */
  fresh: Map<string, DedupRecord>;
  /** Places the run created, with the key of the record that gave each. */
  inserted: Map<string, string>;
  updated: Set<string>;
  /** Places whose standard fields the run set or changed. */
  touched: Set<string>;
}

function rememberWritten(written: WrittenPlaces, plan: ApplyPlan, incomingPairs: MergeTargets['pairs']): void {
  const keyOf = new Map(plan.links.map((l) => [l.lieu_id, l.external_id]));
  for (const row of plan.inserts) written.inserted.set(row.id, keyOf.get(row.id) ?? '');
  for (const row of plan.updates) written.updated.add(row.id);
  for (const row of plan.inserts) {
    // A created place is its record, as scored for merge targets: the same object (features computed once).
    const incoming = incomingPairs.get(written.inserted.get(row.id)!)?.record;
    written.fresh.set(row.id, incoming?.id === row.id ? incoming : dedupRecordOf(row.id, row));
  }
  for (const row of plan.updates) {
    if (row.status === 'published') written.fresh.set(row.id, dedupRecordOf(row.id, row));
    else written.fresh.delete(row.id);
  }
  for (const id of plan.touched) written.touched.add(id);
}

/**
 * Pairs worth a look among the places this run set or changed and the published places of
 * their départements, as the registry stands after the run (new values, new places, minus
 * the places it unpublished). A created place's pairs with the places the run left alone were
 * scored already when looking for merge targets (`incomingPairs`): only its pairs with the
 * places this run wrote are scored here.
 */
function duplicatesOf(before: ScoringIndex, written: WrittenPlaces, unpublished: string[], incomingPairs: MergeTargets['pairs']): DuplicateWrite[] {
  const changed = new Set([...written.updated, ...unpublished]);
  for (const id of unpublished) written.fresh.delete(id);
  const fresh = written.fresh;
  /** A created place's pairs with the registry before the run, scored when looking for merge targets. */
  const scoredBefore = (id: string) => {
    const key = written.inserted.get(id);
    const incoming = key === undefined ? undefined : incomingPairs.get(key);
    return incoming?.record.id === id ? incoming.scores : undefined;
  };
  const freshIndex = new DedupIndex([...fresh.values()]);
  const pairs = new Map<string, DuplicateWrite>();
  const add = (p: PairScore) => {
    const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
    pairs.set(`${a}|${b}`, { lieu_a: a, lieu_b: b, score: p.score, decision: p.decision === 'merge' ? 'merge' : 'review', signals: p.signals, reason: p.reason ?? null });
  };
  for (const id of written.touched) {
    const record = fresh.get(id);
    if (!record) continue;
    const againstBefore = scoredBefore(id) ?? before.scoreAgainst(record);
    for (const p of againstBefore) if (!changed.has(p.a === id ? p.b : p.a)) add(p);
    for (const p of freshIndex.scoreAgainst(record)) add(p);
  }
  return [...pairs.values()].sort((x, y) => y.score - x.score);
}

function runRow(
  runId: string,
  source: Source,
  options: ImportOptions,
  started: Date,
  finished: Date,
  durationMs: number,
  status: ImportRunStatus,
  read: Pick<ReadResult, 'format' | 'encoding'> | undefined,
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
  read?: Pick<ReadResult, 'total' | 'format' | 'encoding'>,
): Promise<void> {
  const message = error instanceof DomainError ? error.message : `Erreur interne : ${error instanceof Error ? error.message : String(error)}`;
  const stats: ImportStats = { read: read?.total ?? 0, accepted: 0, rejected: 0, new: 0, updated: 0, unchanged: 0, merged: 0, removed: 0, unpublished: 0, warnings: 0, duplicates: 0 };
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
