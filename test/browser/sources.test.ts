// Real-Chromium journey of the sources back-office: a réseau account signs in, declares a
// source whose feed is served on 127.0.0.1, asks for a sync, and sees the job run (by the same
// worker and scheduler as `maillage serve`) and the import's figures. axe-core scans each page.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';
import { startSourceJobRunner, type JobRunner } from '../../src/modules/sources/sources.runner.ts';


const feed = [
  'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services',
  'n1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02,Aide aux démarches administratives',
  'n2,21210231500017,EPN de la Fontaine d’Ouche,Dijon,21000,21231,2 place de la Fontaine d’Ouche,47.3150,5.0050,2024-05-02,Loisirs et créations numériques',
].join('\n');

let t: TestApp;
let browser: Browser;
let base: string;
let feedUrl: string;
let feedServer: http.Server;
let runner: JobRunner;
let dataDir: string;
const email = 'reseau-navigateur@example.org';
const password = 'un mot de passe de réseau';

beforeAll(async () => {
  if (!hasChromium) return;
  const mailer = createMemoryMailer();
  // The feed is served on 127.0.0.1: private addresses allowed explicitly (refused by default).
  t = await buildTestApp({ mailer, env: { MAILLAGE_SOURCES_ALLOW_PRIVATE: 'true' } });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-sources-browser-'));
  t.deps.config.dataDir = dataDir;
  await accountWithPassword(t, { email, role: 'reseau' }, password, mailer);
  feedServer = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(feed));
  await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/lieux.csv`;
  runner = await startSourceJobRunner(t.deps, { pollingIntervalSeconds: 0.5, schedulerIntervalMs: 60_000 });
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(async () => {
  await runner?.stop(); // before the app closes its database
  await closeBrowserApp(browser, t);
  await new Promise((resolve) => feedServer?.close(resolve));
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const newPage = () => newLocalPage(browser);


describe.skipIf(!hasChromium)('sources back-office in Chromium', () => {
  it('a réseau account creates a source, asks for a sync and sees the job and the import', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, email, password);
    await page.getByRole('link', { name: 'Sources de données' }).click();
    await page.waitForURL(`${base}/compte/sources`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Aucune source pour l’instant.');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Ajouter une source' }).click();
    await page.waitForURL(`${base}/compte/sources/nouvelle`);
    await expectAccessible(page);
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/source-form.png`, fullPage: true });
    await page.getByRole('textbox', { name: /^Nom court/ }).fill('epn-bourgogne');
    await page.getByRole('textbox', { name: /^Producteur/ }).fill('Réseau des EPN de Bourgogne');
    await page.getByRole('textbox', { name: /^Adresse du flux \(URL\)/ }).fill(feedUrl);
    await page.getByRole('textbox', { name: /^Planification \(facultatif\)/ }).fill('0 3 * * 1');
    await page.getByRole('button', { name: 'Créer la source' }).click();
    await page.waitForURL(`${base}/compte/sources/epn-bourgogne?info=creee`);
    expect(await page.locator('h1').textContent()).toBe('Source epn-bourgogne');
    expect(await page.getByRole('status').textContent()).toContain('La source est créée.');

    await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
    await page.waitForURL(`${base}/compte/sources/epn-bourgogne?info=demandee`);
    // The job is listed at once (waiting, running, or already done: the worker polls every 0.5 s).
    expect(await page.locator('#synchronisations tbody tr').count()).toBe(1);
    expect(await page.locator('#synchronisations tbody tr').first().textContent()).toContain('À la demande');
    // The worker picks the job up within a second or two; the page shows it when reloaded.
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator('#synchronisations tbody tr').first().textContent();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toContain('Réussie');
    const firstRun = page.locator('#imports tbody tr').first().locator('td');
    expect(await firstRun.nth(1).textContent()).toContain('Réussi');
    expect(await firstRun.nth(2).textContent()).toBe('2'); // read
    expect(await firstRun.nth(3).textContent()).toBe('2'); // accepted
    await expectAccessible(page);
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/source.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(330);
    expect(errors).toEqual([]);
  }, 120_000);
});
