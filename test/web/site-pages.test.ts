import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const html = { accept: 'text/html' };

describe('site pages', () => {
  it.each(['/donnees', '/mentions-legales', '/accessibilite', '/donnees-personnelles'])('%s renders a DSFR page', async (url) => {
    const res = await t.app.inject({ url, headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(/^<!DOCTYPE html><html lang="fr"/);
    expect(res.body).toContain('class="fr-header"');
    expect(res.body).toContain('<main role="main" id="contenu"');
    expect(res.body).toContain('href="/mentions-legales"');
  });

  it('the open data page names the licence and links the API documentation', async () => {
    const res = await t.app.inject({ url: '/donnees', headers: html });
    expect(res.body).toContain('Licence Ouverte 2.0');
    expect(res.body).toContain('href="/api/v1/documentation"');
    // Every download offered is a route that answers (the list follows the export routes).
    const links = [...res.body.matchAll(/<a href="([^"]+)" download/g)].map((m) => m[1]!);
    for (const href of links) expect((await t.app.inject({ url: href })).statusCode, href).toBe(200);
  });

  it('an unknown page is a French DSFR 404 page for browsers and problem+json otherwise', async () => {
    const page = await t.app.inject({ url: '/nulle-part', headers: html });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Page non trouvée');
    const api = await t.app.inject({ url: '/api/v1/nulle-part', headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });
});

describe('assets', () => {
  it('serves fingerprinted CSS compressed with immutable caching, and 404 for unknown versions', async () => {
    const page = await t.app.inject({ url: '/donnees', headers: html });
    const cssUrl = /<link rel="stylesheet" href="(\/assets\/site\.[\w-]+\.css)"/.exec(page.body)?.[1];
    expect(cssUrl).toBeDefined();
    const css = await t.app.inject({ url: cssUrl!, headers: { 'accept-encoding': 'gzip' } });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(css.rawPayload.length).toBeLessThan(80_000);
    const plain = await t.app.inject({ url: cssUrl! });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('.fr-header');
    // Fonts and icons referenced by the bundle are themselves fingerprinted and served.
    const font = /url\((\/assets\/Marianne-Regular-latin\.[\w-]+\.woff2)\)/.exec(plain.body)?.[1];
    // Only our two Latin subsets of Marianne are declared, not DSFR's ten faces.
    expect(plain.body.match(/font-family:Marianne;/g)).toHaveLength(4);
    expect(plain.body).not.toContain('Marianne-Medium');
    expect(font).toBeDefined();
    expect((await t.app.inject({ url: font! })).statusCode).toBe(200);
    const stale = await t.app.inject({ url: '/assets/site.0000000000.css', headers: html });
    expect(stale.statusCode).toBe(404);
  });

  it('redirects /favicon.ico to the fingerprinted icon', async () => {
    const res = await t.app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toMatch(/^\/assets\/favicon\.[\w-]+\.ico$/);
    expect((await t.app.inject({ url: res.headers.location as string })).headers['content-type']).toBe('image/x-icon');
  });

  it('compresses pages', async () => {
    const res = await t.app.inject({ url: '/accessibilite', headers: { ...html, 'accept-encoding': 'br, gzip' } });
    expect(res.headers['content-encoding']).toBe('br');
  });
});
