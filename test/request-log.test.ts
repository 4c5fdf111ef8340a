import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/server/app.ts';
import { buildTestApp, type TestApp } from './helpers/app.ts';

describe('request log', () => {
  let t: TestApp;
  let app: App;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await buildTestApp();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp({ ...t.deps, logger: pino({ level: 'debug' }, sink) });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('records the path of each request but never its query string (single-use tokens)', async () => {
    await app.inject({ method: 'GET', url: '/compte/verifier?jeton=secret-token-123' });
    const logged = lines.join('');
    expect(logged).toContain('/compte/verifier');
    expect(logged).not.toContain('secret-token-123');
  });
});
