// The committed openapi.json is the public contract: it must equal what the routes generate.
// After an intended API change: UPDATE_OPENAPI=1 npx vitest run test/openapi.drift.test.ts
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';

const committedFile = path.resolve('openapi.json');

describe('OpenAPI description', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('matches the committed openapi.json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const generated = `${JSON.stringify(res.json(), null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') fs.writeFileSync(committedFile, generated);
    const committed = fs.existsSync(committedFile) ? fs.readFileSync(committedFile, 'utf8') : '';
    expect(committed, 'openapi.json is stale: run UPDATE_OPENAPI=1 npx vitest run test/openapi.drift.test.ts').toBe(generated);
  });

  it('documents every public API route', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const [route, operations] of Object.entries<Record<string, { summary?: string }>>(spec.paths ?? {})) {
      expect(route.startsWith('/api/v1/'), route).toBe(true);
      for (const [method, op] of Object.entries(operations)) expect(op.summary, `${method} ${route}`).toBeTruthy();
    }
  });
});
