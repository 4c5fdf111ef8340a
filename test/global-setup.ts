// Runs once before the test files: builds a migrated PGlite template that each file copies
// (1 s instead of 5 s per file), or prepares the PostgreSQL server's shared extensions;
// launches the one Chromium the browser tests connect to; compiles the `maillage` command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildEntry } from '../scripts/build.js';
import { openDatabase } from '../src/db/kysely.ts';
import { createExtensions, migrateToLatest } from '../src/db/migrate.ts';
import { chromiumLaunchOptions, hasChromium } from './helpers/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    chromiumEndpoint: string;
  }
}

/** The public reference data the tests read (communes, contours, QPV…), beside the project. */
const referenceDir = path.resolve('../shared/data');

export default async function setup(project: TestProject) {
  process.env.TZ = 'Europe/Paris';
  // Without it dozens of files fail one by one on a missing file: say it once, up front.
  if (!fs.existsSync(path.join(referenceDir, 'communes'))) {
    throw new Error(`The tests read the reference data in ${referenceDir} (../shared/data beside the project), which is missing: run them from a checkout that sits beside shared/.`);
  }
  const teardowns: (() => Promise<void> | void)[] = [];
  const teardown = async () => {
    for (const step of teardowns.reverse()) await step();
  };
  try {
    // The command-line tests run `node bin/maillage.js`, which runs dist/maillage.js when it
    // is newer than the sources, as `npm start` does: built once here, each spawn skips
    // compiling the TypeScript sources through tsx (seconds per spawn).
    // Built aside and renamed into place: a run beside this one (the other engine's pass)
    // may be spawning the command meanwhile and must never read a half-written file.
    const built = await buildEntry('src/bin/maillage.ts', `dist/maillage.${process.pid}.tmp.js`);
    fs.renameSync(built, path.join(path.dirname(built), 'maillage.js'));

    // One Chromium for the whole run, closed below, so that none outlives it. Test files
    // connect to it (test/helpers/browser.ts); each makes and closes its own contexts.
    if (hasChromium) {
      const server = await chromium.launchServer(chromiumLaunchOptions);
      teardowns.push(() => server.close());
      project.provide('chromiumEndpoint', server.wsEndpoint());
    } else {
      project.provide('chromiumEndpoint', '');
    }

    const url = process.env.DATABASE_URL;
    if (url) {
      // Extensions are per database: create them once here, not concurrently from every file.
      const handle = await openDatabase({ databaseUrl: url });
      await createExtensions(handle.db);
      await handle.close();
      project.provide('pgliteTemplate', '');
      return teardown;
    }
    const handle = await openDatabase({ pgliteDataDir: 'memory://' });
    await migrateToLatest(handle.db);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-test-')), 'template.tar');
    fs.writeFileSync(file, Buffer.from(await (await handle.dumpDataDir!()).arrayBuffer()));
    await handle.close();
    project.provide('pgliteTemplate', file);
    teardowns.push(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
    return teardown;
  } catch (error) {
    // A set-up that fails half-way still closes what it started (Chromium above all).
    await teardown();
    throw error;
  }
}
