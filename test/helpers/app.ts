// A full app on an isolated test database, for app.inject() tests.
import type { App } from '../../src/server/app.ts';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { AppDeps } from '../../src/server/deps.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { systemClock, type Clock } from '../../src/lib/clock.ts';
import { createTestDatabase } from './db.ts';
import type { Mailer } from '../../src/lib/mailer.ts';
import { SearchIndex } from '../../src/modules/search/search-index.ts';
import { createTerritories } from '../../src/modules/territories/territories.use-cases.ts';

export interface TestApp {
  app: App;
  deps: AppDeps;
  close(): Promise<void>;
}

export async function buildTestApp(options: { clock?: Clock; mailer?: Mailer; env?: Record<string, string> } = {}): Promise<TestApp> {
  const dbHandle = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', MAILLAGE_REFERENCE_DIR: '../shared/data', MAILLAGE_SEED_DEMO: 'false', ...options.env });
  const deps: AppDeps = {
    config,
    db: dbHandle.db,
    dbHandle,
    logger: createLogger('silent'),
    clock: options.clock ?? systemClock,
    territories: createTerritories({ referenceDir: config.referenceDir }),
    search: await SearchIndex.open(dbHandle),
    mailer: options.mailer,
  };
  const app = await buildApp(deps);
  return {
    app,
    deps,
    async close() {
      await app.close();
      await deps.search.close();
      await dbHandle.close();
    },
  };
}
