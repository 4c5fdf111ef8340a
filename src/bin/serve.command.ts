import type { Command } from 'commander';
import type { Config } from '../server/config.ts';
import { bootstrap, shutdown } from '../server/bootstrap.ts';
import { buildApp } from '../server/app.ts';
import { withCompactHeap } from '../server/compact-heap.ts';
import { openDatabase } from '../db/kysely.ts';
import { migrateDown, migrateToLatest } from '../db/migrate.ts';
import path from 'node:path';
import { startSourceJobRunner } from '../modules/sources/sources.runner.ts';
import { startFreshnessScheduler } from '../modules/freshness/freshness.scheduler.ts';

export function addServeCommands(program: Command, config: () => Config): void {
  program
    .command('serve')
    .description('démarre la plateforme (site public et API)')
    .action(async () => {
      const cfg = config();
      const { deps, app } = await withCompactHeap(async () => {
        const deps = await bootstrap(cfg);
        return { deps, app: await buildApp(deps) };
      });
      // Scheduled source syncs (MAILLAGE_JOBS=off leaves them to another process or to `maillage jobs run-due`).
      const jobs = cfg.jobs.enabled ? await startSourceJobRunner(deps) : null;
      // Freshness reminders to place managers, hourly during office hours (docs/accounts.md).
      const freshness = cfg.jobs.enabled ? startFreshnessScheduler(deps) : null;
      const stop = async () => {
        await jobs?.stop();
        await freshness?.stop();
        await app.close();
        await shutdown(deps);
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const address = await app.listen({ port: cfg.port, host: cfg.host });
      deps.logger.info({ address, database: deps.dbHandle.kind }, 'Maillage is listening');
      process.stdout.write(`Maillage est démarré sur http://localhost:${cfg.port}\n`);
    });

  program
    .command('migrate')
    .description('applique les migrations de la base (ou annule la dernière avec --down)')
    .option('--down', 'annule la dernière migration')
    .action(async (options: { down?: boolean }) => {
      const cfg = config();
      const handle = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDataDir: path.join(cfg.dataDir, 'pglite') });
      try {
        if (options.down) {
          const name = await migrateDown(handle.db);
          process.stdout.write(name ? `Migration annulée : ${name}\n` : 'Aucune migration à annuler.\n');
        } else {
          const applied = await migrateToLatest(handle.db);
          process.stdout.write(applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'La base est à jour.\n');
        }
      } finally {
        await handle.close();
      }
    });
}
