// Our scripts share code through ES modules (map-base.js): the served scripts must import it by
// its fingerprinted URL, which this origin serves (CSP allows own scripts only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('script modules', () => {
  it.each(['map.js', 'propose.js'])('%s imports map-base.js by its hashed URL, and that URL answers', async (name) => {
    const script = await t.app.inject({ url: t.app.assets.url(name) });
    expect(script.statusCode).toBe(200);
    const imported = /from '(\/assets\/map-base\.[\w-]+\.js)'/.exec(script.body)?.[1];
    expect(imported).toBe(t.app.assets.url('map-base.js'));
    expect(script.body).not.toContain("'./map-base.js'");
    const base = await t.app.inject({ url: imported! });
    expect(base.statusCode).toBe(200);
    expect(base.headers['content-type']).toContain('text/javascript');
    expect(base.body).toContain('export function styleFor');
  });
});
