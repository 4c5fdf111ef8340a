// Source syncs as background jobs (pg-boss queue `source-sync`, ADR 0004): the scheduler
// enqueues one job per due cron slot, "Synchroniser maintenant" enqueues one on demand, and a
// worker fetches the source's location and runs the import. The queue's `stately` policy
// with the source id as singleton key allows at most one waiting and one running job per
// source (a unique index in pg-boss's tables, so it holds across processes); runImport also
// locks the source row. Network and internal failures are retried with exponential backoff,
// then marked failed with their French reason; a wrong file or a refused address fails at once
// (sources.failures.ts). URLs are fetched through guardedFetch: public addresses only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Database } from '../../db/database.ts';
import { DomainError } from '../../lib/errors.ts';
import { downloadToFile } from '../../lib/download.ts';
import { guardedFetchWith } from '../../lib/guarded-fetch.ts';
import { kyselyExecutor, openJobQueue } from '../../lib/job-queue.ts';
import type { Logger } from '../../lib/logger.ts';
import { runImport, type ImportDeps, type ImportStats } from '../imports/imports.use-cases.ts';
import * as repo from './sources.repository.ts';
import { nextScheduledAt } from './sources.schedule.ts';
import { failureKindOf, failureMessageOf, failureSummary, isRetriable, SyncFailure, type SyncFailureKind } from './sources.failures.ts';

export const syncQueue = 'source-sync';

export type SyncTrigger = 'schedule' | 'manual' | 'cli';

export interface SyncJobData {
  source_id: string;
  source_name: string;
  trigger: SyncTrigger;
  /** The account that asked for it ("Synchroniser maintenant"), if any. */
  account_id: string | null;
}

export interface SyncJobOutput {
  run_id: string;
  stats: ImportStats;
  duration_ms: number;
}

export interface RetrySettings {
  /** Retries after the first attempt. */
  retryLimit: number;
  /** Delay before the first retry, in seconds; doubled at each retry (with jitter). */
  retryDelaySeconds: number;
}

export interface SourceJobs {
  boss: PgBoss;
  /** Schema of pg-boss's tables. */
  schema: string;
  retry: RetrySettings;
}

export type SyncDeps = ImportDeps & {
  dataDir: string;
  logger?: Logger;
  /** MAILLAGE_SOURCES_ALLOW_PRIVATE: URLs may reach private and loopback addresses (false when absent). */
  allowPrivateAddresses?: boolean;
};

/** Opens the queue (installing pg-boss's tables the first time) and declares `source-sync`. */
export async function openSourceJobs(db: Kysely<Database>, retry: RetrySettings, options: { supervise?: boolean } = {}): Promise<SourceJobs> {
  const { boss, schema } = await openJobQueue(db, { supervise: options.supervise });
  await boss.createQueue(syncQueue, { name: syncQueue, policy: 'stately' });
  return { boss, schema, retry };
}

export async function closeSourceJobs(jobs: SourceJobs): Promise<void> {
  await jobs.boss.stop({ graceful: true, close: false, wait: true, timeout: 5_000 });
}

/**
 * Queues a sync of the source; null when one is already waiting (the running one, if any,
 * does not count: a change made during a run gets its own run after it). `db` lets the
 * scheduler enqueue inside the transaction that claims the cron slot.
 */
export async function enqueueSync(jobs: SourceJobs, source: { id: string; name: string }, trigger: SyncTrigger, options: { accountId?: string; db?: Kysely<Database> } = {}): Promise<string | null> {
  const data: SyncJobData = { source_id: source.id, source_name: source.name, trigger, account_id: options.accountId ?? null };
  return jobs.boss.send(syncQueue, data, {
    singletonKey: source.id,
    retryLimit: jobs.retry.retryLimit,
    retryDelay: jobs.retry.retryDelaySeconds,
    retryBackoff: true,
    // A stuck job is failed (and retried) after this; runImport's row lock keeps a late
    // original run and its retry from overlapping anyway.
    expireInHours: 2,
    ...(options.db ? { db: kyselyExecutor(options.db) } : {}),
  });
}

export interface DueResult {
  /** Names of the sources whose job was queued. */
  enqueued: string[];
  /** Due, but a job was already waiting. */
  alreadyQueued: string[];
  /** Schedule seen for the first time: its next slot was computed, nothing queued. */
  initialised: string[];
}

/**
 * Queues a sync for each scheduled source whose slot has come. Claiming the slot (moving
 * `next_sync_at` forward by compare-and-set) and queuing happen in one transaction, so a due
 * slot gives one job, whatever the number of schedulers; missed slots (server down) give one.
 */
export async function enqueueDueSyncs(deps: { db: Kysely<Database>; logger?: Logger }, jobs: SourceJobs, now: Date): Promise<DueResult> {
  const result: DueResult = { enqueued: [], alreadyQueued: [], initialised: [] };
  for (const source of await repo.listDueSources(deps.db, now)) {
    let next: Date;
    try {
      next = nextScheduledAt(source.schedule!, now);
    } catch (error) {
      deps.logger?.warn({ source: source.name, error: (error as Error).message }, 'unreadable source schedule');
      continue;
    }
    if (source.next_sync_at === null) {
      if (await repo.advanceNextSync(deps.db, source.id, null, next)) result.initialised.push(source.name);
      continue;
    }
    const outcome = await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.advanceNextSync(trx, source.id, source.next_sync_at, next))) return 'taken' as const;
      return (await enqueueSync(jobs, source, 'schedule', { db: trx })) ? ('queued' as const) : ('waiting' as const);
    });
    if (outcome === 'queued') result.enqueued.push(source.name);
    else if (outcome === 'waiting') result.alreadyQueued.push(source.name);
  }
  return result;
}

/** Reads the source's location: an http(s) URL through the download helper, or a file path. */
export async function fetchSourceBytes(deps: Pick<SyncDeps, 'dataDir' | 'allowPrivateAddresses'>, source: { name: string; location: string }): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(source.location)) {
    // The last good download stays beside the data (a failed one keeps it untouched).
    const target = path.join(deps.dataDir, 'sources', `${source.name}.download`);
    await downloadToFile({
      url: source.location,
      target,
      label: `Source « ${source.name} »`,
      fetch: guardedFetchWith({ allowPrivate: deps.allowPrivateAddresses === true }),
      prepare: (body) => {
        if (body.byteLength === 0) throw new Error('le fichier reçu est vide');
        return body;
      },
    });
    return new Uint8Array(await fs.readFile(target));
  }
  try {
    return new Uint8Array(await fs.readFile(source.location));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'le fichier n’existe pas' : code === 'EACCES' ? 'lecture interdite' : code === 'EISDIR' ? 'c’est un dossier' : (error as Error).message;
    // Not the content's fault: a file put back later reads at the next attempt.
    throw new SyncFailure(`Source « ${source.name} » : lecture impossible de « ${source.location} » (${reason}).`, 'location');
  }
}

/**
 * The job itself: fetch the feed, import it (one transaction), return the run's figures.
 * Throws a SyncFailure saying whether trying again can help.
 */
export async function runSyncJob(deps: SyncDeps, data: SyncJobData): Promise<SyncJobOutput> {
  const row = await repo.findSourceById(deps.db, data.source_id);
  if (!row) throw new SyncFailure(`La source « ${data.source_name} » n’existe plus.`, 'source');
  if (!row.location) throw new SyncFailure(`La source « ${row.name} » n’a pas d’emplacement (URL ou fichier) : rien à synchroniser.`, 'source');
  const before = deps.clock.now();
  let report: Awaited<ReturnType<typeof runImport>>;
  try {
    const bytes = await fetchSourceBytes(deps, { name: row.name, location: row.location });
    report = await runImport(deps, { source: row.name, bytes, fileName: row.location });
  } catch (error) {
    const kind = failureKindOf(error);
    const message = kind === 'internal' && !(error instanceof DomainError) ? `Erreur interne pendant la synchronisation : ${(error as Error).message}` : failureMessageOf(error, kind);
    // runImport recorded a failed run with the bare reason: it says too that nobody will retry.
    if (!isRetriable(kind) && error instanceof DomainError) {
      await repo.annotateFailedRun(deps.db, row.id, before, error.message, failureSummary(kind, error.message, { retryAt: null, attempts: 1, now: before }));
    }
    throw new SyncFailure(message, kind, { cause: error });
  }
  const { read, accepted } = report.stats;
  if (read > 0 && accepted === 0) {
    // Nothing usable: every row was rejected (the rows keep their places, see runImport). Same file, same result.
    const message = `${read === 1 ? 'la seule ligne du fichier n’est pas utilisable' : `aucune des ${read} lignes du fichier n’est utilisable`} (détail dans les erreurs de l’import)`;
    await repo.markRunFailed(deps.db, report.runId, failureSummary('file', message, { retryAt: null, attempts: 1, now: before }));
    throw new SyncFailure(message[0]!.toUpperCase() + message.slice(1) + '.', 'file');
  }
  return { run_id: report.runId, stats: report.stats, duration_ms: report.durationMs };
}

/** What a failed attempt leaves in pg-boss's `output`: its French reason and its kind. */
function errorOutput(error: unknown): { message: string; failure: SyncFailureKind } {
  const failure = failureKindOf(error);
  return { message: error instanceof SyncFailure ? error.message : failureMessageOf(error, failure), failure };
}

/** A wrong file will be as wrong at the next attempt: pg-boss fails it for good (retry_count = retry_limit). */
async function stopRetries(db: Kysely<Database>, jobs: SourceJobs, jobId: string, error: unknown): Promise<void> {
  if (isRetriable(failureKindOf(error))) return;
  await sql`update ${sql.table(`${jobs.schema}.job`)} set retry_limit = retry_count where name = ${syncQueue} and id = ${jobId}`.execute(db);
}

/**
 * Runs the jobs that are due now, one at a time, until none is left (`maillage jobs
 * run-due`, tests). A job whose source is already running elsewhere is not fetched.
 */
export async function processAvailableJobs(deps: SyncDeps, jobs: SourceJobs, options: { max?: number } = {}): Promise<{ succeeded: number; failed: number }> {
  const done = { succeeded: 0, failed: 0 };
  for (let i = 0; i < (options.max ?? Infinity); i++) {
    const [job] = await jobs.boss.fetch<SyncJobData>(syncQueue, { batchSize: 1 });
    if (!job) break;
    try {
      await jobs.boss.complete(syncQueue, job.id, await runSyncJob(deps, job.data));
      done.succeeded++;
    } catch (error) {
      await stopRetries(deps.db, jobs, job.id, error);
      await jobs.boss.fail(syncQueue, job.id, errorOutput(error));
      done.failed++;
    }
  }
  return done;
}

/** Starts polling for sync jobs in this process (`maillage serve`). */
export async function startSyncWorker(deps: SyncDeps, jobs: SourceJobs, pollingIntervalSeconds = 5): Promise<string> {
  return jobs.boss.work<SyncJobData>(syncQueue, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
    try {
      const output = await runSyncJob(deps, job!.data);
      deps.logger?.info({ source: job!.data.source_name, run: output.run_id }, 'source synced');
      return output;
    } catch (error) {
      const output = errorOutput(error);
      deps.logger?.warn({ source: job!.data.source_name, error: output.message, failure: output.failure }, 'source sync failed');
      await stopRetries(deps.db, jobs, job!.id, error);
      // pg-boss stores the thrown error's own properties: message and failure, as above.
      throw Object.assign(new Error(output.message), { failure: output.failure });
    }
  });
}

export type SyncJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface SyncJob {
  id: string;
  status: SyncJobStatus;
  trigger: SyncTrigger;
  /** Attempts started so far (the running one included). */
  attempts: number;
  max_attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** When a queued job may start (later than now while waiting to be retried). */
  start_after: string;
  run_id: string | null;
  /** French reason of the last failed attempt. */
  error: string | null;
  /** Kind of the last failure: file and address are not retried, network and internal are. */
  failure: SyncFailureKind | null;
  /** The failure and what comes next, in one French sentence ("Fichier invalide : … — pas de nouvelle tentative."). */
  summary: string | null;
}

const statusOf: Record<string, SyncJobStatus> = { created: 'queued', retry: 'queued', active: 'running', completed: 'succeeded', failed: 'failed', cancelled: 'cancelled' };

interface JobRow {
  id: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
  output: { message?: string; failure?: SyncFailureKind; value?: { message?: string }; run_id?: string } | null;
  data: SyncJobData;
}

function messageOf(row: JobRow): string | null {
  if (row.state !== 'failed' && row.state !== 'retry') return null;
  const message = row.output?.message ?? row.output?.value?.message ?? null;
  if (message === 'job failed by timeout in active state') return 'La synchronisation a dépassé le temps permis (2 heures).';
  return message ?? 'Échec sans message.';
}

/** The latest sync jobs of a source, newest first, from pg-boss's live and archived jobs. */
export async function listSyncJobs(db: Kysely<Database>, jobs: SourceJobs, sourceId: string, limit = 20, now = new Date()): Promise<SyncJob[]> {
  const columns = sql.raw('id, state::text as state, retry_count, retry_limit, created_on, started_on, completed_on, start_after, output, data');
  const { rows } = await sql<JobRow>`
    select * from (
      select ${columns} from ${sql.table(`${jobs.schema}.job`)} where name = ${syncQueue} and singleton_key = ${sourceId}
      union all
      select ${columns} from ${sql.table(`${jobs.schema}.archive`)} where name = ${syncQueue} and singleton_key = ${sourceId}
    ) j order by created_on desc, id limit ${limit}`.execute(db);
  return rows.map((row) => {
    const error = messageOf(row);
    // Jobs failed before failures had kinds, and pg-boss's own timeouts, count as internal.
    const failure = error === null ? null : (row.output?.failure ?? 'internal');
    const retryAt = row.state === 'retry' ? new Date(row.start_after) : null;
    const attempts = row.started_on ? row.retry_count + 1 : 0;
    return {
      id: row.id,
    status: statusOf[row.state] ?? 'queued',
    trigger: row.data?.trigger ?? 'manual',
    attempts: row.started_on ? row.retry_count + 1 : 0,
    max_attempts: row.retry_limit + 1,
    created_at: new Date(row.created_on).toISOString(),
    started_at: row.started_on ? new Date(row.started_on).toISOString() : null,
    finished_at: row.completed_on ? new Date(row.completed_on).toISOString() : null,
    start_after: new Date(row.start_after).toISOString(),
    run_id: row.state === 'completed' ? (row.output?.run_id ?? null) : null,
    error,
    failure,
    summary: failure === null ? null : failureSummary(failure, error!, { retryAt, attempts, now }),
    };
  });
}

// One queue client per store, opened on first use by the pages, the API and the CLI.
const opened = new WeakMap<Kysely<Database>, Promise<SourceJobs>>();

export function sourceJobsFor(db: Kysely<Database>, retry: RetrySettings): Promise<SourceJobs> {
  let jobs = opened.get(db);
  if (!jobs) {
    jobs = openSourceJobs(db, retry);
    jobs.catch(() => opened.delete(db));
    opened.set(db, jobs);
  }
  return jobs;
}

/** Stops the store's queue client, if one was opened. */
export async function closeSourceJobsFor(db: Kysely<Database>): Promise<void> {
  const pending = opened.get(db);
  if (!pending) return;
  opened.delete(db);
  const jobs = await pending.catch(() => null); // never opened: nothing to stop
  if (jobs) await closeSourceJobs(jobs);
}
