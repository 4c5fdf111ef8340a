import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    env: { TZ: 'Europe/Paris', NODE_ENV: 'test' },
    pool: 'forks',
    // One worker process runs file after file instead of a fresh process per file: the
    // imports (Fastify, PGlite, the pages) and the per-process caches (the built asset store,
    // the territories) are paid once, not 110 times. Each file still gets its own database
    // (test/helpers/db.ts), and no test mocks modules or globals.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/closing-line-reporter.ts'],
  },
});
