// `maillage jobs list|enqueue|run-due`: the background sync jobs of sources, from the shell.
// `run-due` queues the sources whose schedule has come and runs every waiting job, then
// exits: a system cron can call it where no `maillage serve` runs the worker.
import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import type { AppDeps } from '../server/deps.ts';
import { withPlatform } from './with-platform.ts';
import type { Output } from './import.command.ts';
import { getSource, listSources } from '../modules/sources/sources.use-cases.ts';
import { closeSourceJobsFor, enqueueDueSyncs, enqueueSync, listSyncJobs, processAvailableJobs, sourceJobsFor, type SourceJobs, type SyncJob } from '../modules/sources/sources.jobs.ts';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) : '—');

export const jobStatusLabels: Record<SyncJob['status'], string> = {
  queued: 'en attente',
  running: 'en cours',
  succeeded: 'réussie',
  failed: 'échouée',
  cancelled: 'annulée',
};

export const triggerLabels: Record<SyncJob['trigger'], string> = { schedule: 'planifiée', manual: 'à la demande', cli: 'ligne de commande' };

export function formatJob(sourceName: string, job: SyncJob): string {
  const retry = !job.summary && job.status === 'queued' && job.attempts > 0 ? ` · nouvelle tentative à partir du ${date(job.start_after)}` : '';
  const outcome = job.summary ? ` · ${job.summary}` : job.run_id ? ` · import ${job.run_id}` : '';
  return `${sourceName} · ${jobStatusLabels[job.status]} · ${triggerLabels[job.trigger]} · tentatives ${job.attempts}/${job.max_attempts} · créée le ${date(job.created_at)}${retry}${outcome}\n`;
}

async function withJobs(deps: AppDeps, run: (jobs: SourceJobs) => Promise<void>): Promise<void> {
  try {
    await run(await sourceJobsFor(deps.db, deps.config.jobs));
  } finally {
    await closeSourceJobsFor(deps.db);
  }
}

export async function jobsList(deps: AppDeps, options: { source?: string; limit?: string }, out: Output): Promise<void> {
  const limit = Math.max(1, Math.min(100, Number(options.limit) || 10));
  await withJobs(deps, async (jobs) => {
    const sources = options.source ? [await getSource(deps, options.source)] : await listSources(deps);
    let count = 0;
    for (const source of sources) {
      for (const job of await listSyncJobs(deps.db, jobs, source.id, limit)) {
        out(formatJob(source.name, job));
        count++;
      }
    }
    if (count === 0) out('Aucune synchronisation en file ou récente.\n');
  });
}

export async function jobsEnqueue(deps: AppDeps, name: string, out: Output): Promise<void> {
  const source = await getSource(deps, name);
  await withJobs(deps, async (jobs) => {
    const id = await enqueueSync(jobs, source, 'cli');
    out(id ? `Synchronisation de « ${name} » mise en file (${id}).\n` : `Une synchronisation de « ${name} » attend déjà son tour.\n`);
  });
}

export async function jobsRunDue(deps: AppDeps, out: Output): Promise<void> {
  await withJobs(deps, async (jobs) => {
    const due = await enqueueDueSyncs(deps, jobs, deps.clock.now());
    if (due.enqueued.length) out(`Planifiées et mises en file : ${due.enqueued.join(', ')}\n`);
    const done = await processAvailableJobs({ ...deps, dataDir: deps.config.dataDir, allowPrivateAddresses: deps.config.sourcesAllowPrivate }, jobs);
    out(`Synchronisations exécutées : ${done.succeeded} réussie(s), ${done.failed} échouée(s) (les échecs réseau et les fichiers inaccessibles sont retentés plus tard, voir « maillage jobs list »).\n`);
  });
}

export function addJobsCommands(program: Command, config: () => Config): void {
  const out: Output = (text) => process.stdout.write(text);
  const jobs = program.command('jobs').description('synchronisations des sources en tâche de fond');
  jobs
    .command('list')
    .description('liste les synchronisations récentes et leur état')
    .option('--source <nom>', 'une seule source')
    .option('--limit <n>', 'nombre par source (10 par défaut)')
    .action((options: { source?: string; limit?: string }) => withPlatform(config(), (deps) => jobsList(deps, options, out)));
  jobs
    .command('enqueue')
    .description('met en file une synchronisation (exécutée par « maillage serve » ou « jobs run-due »)')
    .argument('<source>', 'nom de la source')
    .action((name: string) => withPlatform(config(), (deps) => jobsEnqueue(deps, name, out)));
  jobs
    .command('run-due')
    .description('met en file les sources dont la planification est échue, exécute les synchronisations en attente, puis s’arrête')
    .action(() => withPlatform(config(), (deps) => jobsRunDue(deps, out)));
}
