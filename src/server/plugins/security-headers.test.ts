import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { contentSecurityPolicy, tilesOrigin } from './security-headers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe('Content-Security-Policy', () => {
  it('is sent on every HTML page, forbids inline scripts and framing by other sites', async () => {
    for (const url of ['/', '/recherche?q=Lyon', '/territoires', '/donnees', '/mentions-legales', '/page-inconnue']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      const policy = String(res.headers['content-security-policy']);
      expect(directive(policy, 'script-src'), url).toBe("script-src 'self'");
      expect(directive(policy, 'frame-ancestors'), url).toBe("frame-ancestors 'self'");
      expect(directive(policy, 'worker-src'), url).toContain('blob:');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
    }
  });

  it('allows inline styles, never inline scripts, on the API documentation only (Swagger UI injects a style element)', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/v1/documentation' });
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(directive(String(docs.headers['content-security-policy']), 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(String(docs.headers['content-security-policy']), 'script-src')).toBe("script-src 'self'");
    const page = await t.app.inject({ method: 'GET', url: '/donnees' });
    expect(directive(String(page.headers['content-security-policy']), 'style-src')).toBe("style-src 'self'");
  });

  it('leaves JSON and assets alone', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/lieux' });
    expect(api.headers['content-security-policy']).toBeUndefined();
    const asset = await t.app.inject({ method: 'GET', url: t.app.assets.url('app.js') });
    expect(asset.headers['content-security-policy']).toBeUndefined();
  });

  it('allows the configured tile server in img-src and connect-src', () => {
    const config = { mapTilesUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' };
    expect(tilesOrigin(config)).toBe('https://*.tile.example.org');
    const policy = contentSecurityPolicy({ mapTilesUrl: 'https://tiles.example.org/{z}/{x}/{y}.png' }, { frameAncestors: "'self'" });
    expect(directive(policy, 'img-src')).toContain('https://tiles.example.org');
    expect(directive(policy, 'connect-src')).toBe("connect-src 'self' https://tiles.example.org");
    const offline = contentSecurityPolicy({ mapTilesUrl: undefined }, { frameAncestors: '*' });
    expect(directive(offline, 'connect-src')).toBe("connect-src 'self'");
    expect(directive(offline, 'frame-ancestors')).toBe('frame-ancestors *');
  });
});
