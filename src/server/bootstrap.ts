// Opens the store, migrates it and assembles the dependencies of a running platform.
import fs from 'node:fs';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { openDatabase } from '../db/kysely.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import path from 'node:path';

export interface BootstrapOptions {
  logger?: Logger;
  clock?: Clock;
  migrate?: boolean;
}

export async function bootstrap(config: Config, options: BootstrapOptions = {}): Promise<AppDeps> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const dbHandle = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: path.join(config.dataDir, 'pglite'),
  });
  if (options.migrate !== false) {
    const applied = await migrateToLatest(dbHandle.db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  return { config, db: dbHandle.db, dbHandle, logger, clock: options.clock ?? systemClock };
}

export async function shutdown(deps: AppDeps): Promise<void> {
  await deps.dbHandle.close();
}
