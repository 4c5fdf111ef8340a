// Runs once before the test files: builds a migrated PGlite template that each file copies
// (1 s instead of 5 s per file), or prepares the PostgreSQL server's shared extensions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/kysely.ts';
import { createExtensions, migrateToLatest } from '../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  process.env.TZ = 'Europe/Paris';
  const url = process.env.DATABASE_URL;
  if (url) {
    // Extensions are per database: create them once here, not concurrently from every file.
    const handle = await openDatabase({ databaseUrl: url });
    await createExtensions(handle.db);
    await handle.close();
    project.provide('pgliteTemplate', '');
    return;
  }
  const handle = await openDatabase({ pgliteDataDir: 'memory://' });
  await migrateToLatest(handle.db);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await (await handle.dumpDataDir!()).arrayBuffer()));
  await handle.close();
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
