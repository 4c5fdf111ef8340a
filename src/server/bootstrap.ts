// Opens the store, migrates it and assembles the dependencies of a running platform.
import fs from 'node:fs';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { openDatabase } from '../db/kysely.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import path from 'node:path';
import { SearchIndex } from '../modules/search/search-index.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';
import { seedDemoData } from '../modules/lieux/lieux.demo.ts';
import { createBanGeocoder } from '../modules/imports/imports.geocoder.ts';

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
  const territories = createTerritories({ referenceDir: config.referenceDir, logger });
  // Loads the administrative map now (not on the first request) and says what is degraded.
  for (const message of territories.degradations()) logger.warn({ referenceDir: config.referenceDir }, message);
  const clock = options.clock ?? systemClock;
  // Demonstration places for an empty registry (MAILLAGE_SEED_DEMO), once the schema exists.
  if (options.migrate !== false) await seedDemoData({ config, db: dbHandle.db, clock, territories, logger });
  const search = await SearchIndex.open(dbHandle, { logger });
  const geocoder = config.geocoderUrl ? createBanGeocoder({ url: config.geocoderUrl }) : null;
  return { config, db: dbHandle.db, dbHandle, logger, clock, territories, search, geocoder };
}

export async function shutdown(deps: AppDeps): Promise<void> {
  await deps.search.close();
  await deps.dbHandle.close();
}
