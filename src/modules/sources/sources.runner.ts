// What `maillage serve` runs beside the web server when MAILLAGE_JOBS is on: a worker that
// polls for sync jobs and a scheduler that queues the sources whose cron slot has come.
// Several servers may run it at once: claims and the queue policy keep one job per slot
// and one run per source.
import type { AppDeps } from '../../server/deps.ts';
import { closeSourceJobs, enqueueDueSyncs, openSourceJobs, startSyncWorker } from './sources.jobs.ts';

export interface JobRunner {
  stop(): Promise<void>;
}

export async function startSourceJobRunner(deps: AppDeps, options: { schedulerIntervalMs?: number; pollingIntervalSeconds?: number } = {}): Promise<JobRunner> {
  const jobs = await openSourceJobs(deps.db, deps.config.jobs, { supervise: true });
  jobs.boss.on('error', (error) => deps.logger.error({ error: error.message }, 'job queue error'));
  await startSyncWorker({ ...deps, dataDir: deps.config.dataDir, allowPrivateAddresses: deps.config.sourcesAllowPrivate }, jobs, options.pollingIntervalSeconds ?? 5);
  let ticking: Promise<unknown> = Promise.resolve();
  const tick = () => {
    ticking = enqueueDueSyncs(deps, jobs, deps.clock.now())
      .then((due) => {
        if (due.enqueued.length) deps.logger.info({ sources: due.enqueued }, 'scheduled syncs queued');
      })
      .catch((error: Error) => deps.logger.error({ error: error.message }, 'scheduler failed'));
  };
  tick();
  const timer = setInterval(tick, options.schedulerIntervalMs ?? 30_000);
  deps.logger.info('source sync worker and scheduler started');
  return {
    async stop() {
      clearInterval(timer);
      await ticking;
      await closeSourceJobs(jobs);
    },
  };
}
