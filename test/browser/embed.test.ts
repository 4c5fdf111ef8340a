// The embeddable map in a real Chromium: a host page served from another origin (a second
// local server) embeds <maillage-carte territoire="…">; only that territory's places show,
// the frame takes its content's height, place links open Maillage in a new tab, and other
// pages refuse to be framed. Plus the generator's live code and axe-core scans.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, connectChromium, newLocalContext, seriousAxeViolations } from '../helpers/browser.ts';
import { insertPublished } from '../web/publish.ts';


let t: TestApp;
let browser: Browser;
let base: string;
let host: http.Server;
let hostBase: string;

const rennes = { commune: 'Rennes', code_postal: '35000', code_insee: '35238', code_epci: '243500139', code_departement: '35', code_region: '53' };

/** The host site: any page we are asked for embeds what the query string says. */
function hostPage(body: string): string {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Site de la collectivité</title></head>
<body><header><p>Département d’Ille-et-Vilaine</p></header><main><h1>Trouver un lieu numérique</h1>${body}</main></body></html>`;
}

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp();
  await insertPublished(t.deps, [
    { nom: 'Espace numérique de Rennes', ...rennes, latitude: 48.111, longitude: -1.68, horaires: 'Mo-Su 00:00-24:00' },
    { nom: 'Médiathèque des Champs Libres', ...rennes, latitude: 48.106, longitude: -1.674 },
    { nom: 'Médiathèque de Saint-Malo', commune: 'Saint-Malo', code_postal: '35400', code_insee: '35288', code_epci: null, code_departement: '35', code_region: '53', latitude: 48.649, longitude: -2.025 },
    { nom: 'Médiathèque de la Part-Dieu', latitude: 45.7605, longitude: 4.8575, code_postal: '69003', code_insee: '69383' },
    { nom: 'Centre social de Villeurbanne', latitude: 45.7719, longitude: 4.8902, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266' },
  ]);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  host = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body =
      url.pathname === '/composant'
        ? `<script src="${base}/embed/maillage-carte.js" async></script>
<maillage-carte territoire="departement:35" titre="Lieux d’Ille-et-Vilaine"><a href="${base}/embed/carte?territoire=departement:35">Voir les lieux</a></maillage-carte>`
        : `<iframe id="cadre" src="${base}${url.searchParams.get('src') ?? '/'}" title="Essai" width="800" height="600"></iframe>`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(body));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostBase = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  browser = await connectChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await t?.close();
});

async function newContext(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  // Nothing may leave the machine: every request goes to the app or the host page.
  const { context, page } = await newLocalContext(browser);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}

describe.skipIf(!hasChromium)('embeddable map in Chromium', () => {
  it('a page of another site embeds <maillage-carte> with a territory: only its places, auto height, map, links in a new tab', async () => {
    const { context, page, errors } = await newContext();
    await page.goto(`${hostBase}/composant`);
    const iframe = page.locator('maillage-carte iframe');
    await expect.poll(() => iframe.getAttribute('src')).toBe(`${base}/embed/carte?territoire=departement%3A35&titre=Lieux+d%E2%80%99Ille-et-Vilaine`);
    expect(await iframe.getAttribute('title')).toBe('Lieux d’Ille-et-Vilaine - Maillage');
    const frame = page.frameLocator('maillage-carte iframe');
    await expect.poll(() => frame.locator('[data-count]').textContent(), { timeout: 20_000 }).toContain(
      '3 lieux trouvés sur le territoire : Ille-et-Vilaine (département)',
    );
    const names = await frame.locator('#resultats .fr-card__title a').allTextContents();
    expect(names.sort()).toEqual(['Espace numérique de Rennes', 'Médiathèque de Saint-Malo', 'Médiathèque des Champs Libres']);
    // The frame reports its height; the component applies it (the default was 800px).
    await expect.poll(async () => iframe.evaluate((el) => (el as HTMLIFrameElement).style.height), { timeout: 10_000 }).not.toBe('800px');
    const frameHeight = await iframe.evaluate((el) => el.getBoundingClientRect().height);
    const contentHeight = await frame.locator('html').evaluate((el) => el.scrollHeight);
    expect(Math.abs(frameHeight - contentHeight)).toBeLessThanOrEqual(2);
    // The map draws inside the frame, from Maillage's own assets, under the embed's CSP.
    await frame.locator('#carte[data-ready="true"]').waitFor({ timeout: 45_000 });
    await expect.poll(() => frame.locator('#carte .maillage-marker').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/integration-hote.png`, fullPage: true });
    // Live filtering stays in the frame.
    await frame.getByText('Filtrer les résultats').click();
    await frame.locator('label[for="filtre-ouvert"]').click();
    await expect.poll(() => frame.locator('#resultats .fr-card__title a').allTextContents()).toEqual(['Espace numérique de Rennes']);
    // A place opens on Maillage, in a new tab.
    const [tab] = await Promise.all([context.waitForEvent('page'), frame.getByRole('link', { name: 'Espace numérique de Rennes' }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(new RegExp(`^${base}/lieux/`));
    expect(await tab.locator('h1').textContent()).toBe('Espace numérique de Rennes');
    expect(page.url()).toBe(`${hostBase}/composant`);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows bad options as a French message inside the frame', async () => {
    const { context, page } = await newContext();
    await page.goto(`${hostBase}/cadre?src=${encodeURIComponent('/embed/carte?territoire=departement:999&couleur=bleu')}`);
    const frame = page.frameLocator('#cadre');
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 10_000 }).toBe('Cette carte ne peut pas s’afficher');
    expect(await frame.locator('.fr-alert').textContent()).toContain('« couleur » doit être une couleur hexadécimale');
    await context.close();
  });

  it('other pages refuse to be framed by another site', async () => {
    const { context, page } = await newContext();
    await page.goto(`${hostBase}/cadre?src=${encodeURIComponent('/recherche?q=Rennes')}`);
    await page.waitForLoadState('load');
    const child = page.frames().find((f) => f !== page.mainFrame());
    // Chromium replaces a refused frame by an error page: no Maillage content in it (the
    // embed, framed the same way by the previous test, shows its content).
    expect(child).toBeDefined();
    expect(await child!.locator('#resultats').count()).toBe(0);
    expect(await child!.locator('body').textContent().catch(() => '')).not.toContain('Lieux d’aide au numérique');
    // Same page, same origin as Maillage: allowed.
    const sameOrigin = await context.newPage();
    await sameOrigin.goto(`${base}/integrer?territoire_type=departement&territoire_code=35`);
    await expect.poll(() => sameOrigin.frameLocator('.maillage-embed-preview').locator('[data-count]').textContent(), { timeout: 20_000 }).toContain('3 lieux');
    await context.close();
  }, 60_000);

  it('the generator updates the code and the preview as the form changes', async () => {
    const { context, page, errors } = await newContext();
    await page.goto(`${base}/integrer`);
    await page.locator('#integrer-territoire-type').selectOption('commune');
    await page.locator('#integrer-territoire-code').fill('35288');
    await page.locator('#integrer-titre').fill('Lieux de Saint-Malo');
    await expect.poll(() => page.locator('#code-composant').inputValue(), { timeout: 10_000 }).toContain(
      '<maillage-carte territoire="commune:35288" titre="Lieux de Saint-Malo">',
    );
    expect(await page.locator('#code-iframe').inputValue()).toContain('/embed/carte?territoire=commune%3A35288&amp;titre=Lieux+de+Saint-Malo');
    expect(page.url()).toContain('territoire_code=35288');
    const preview = page.frameLocator('.maillage-embed-preview');
    await expect.poll(() => preview.locator('#resultats .fr-card__title a').allTextContents(), { timeout: 20_000 }).toEqual(['Médiathèque de Saint-Malo']);
    expect(await page.locator('#integration-annonce').textContent()).toBe('Code et aperçu mis à jour.');
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/integrer.png`, fullPage: true });
    await page.locator('#integrer-couleur').fill('rouge');
    await expect.poll(() => page.locator('#integration-resultat .fr-alert').textContent(), { timeout: 10_000 }).toContain('« couleur » doit être une couleur hexadécimale');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('the API documentation (Swagger UI, outside scripts only) works under the site CSP', async () => {
    const { context, page, errors } = await newContext();
    await page.goto(`${base}/api/v1/documentation`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  }, 60_000);

  it('has no serious or critical axe-core violation on the embed and the generator', async () => {
    const { context, page } = await newContext();
    const problems: string[] = [];
    for (const url of [
      '/embed/carte?territoire=departement:35&titre=Lieux%20d%E2%80%99Ille-et-Vilaine&couleur=%23ffd700',
      '/embed/carte?territoire=departement:999',
      '/integrer?territoire_type=departement&territoire_code=35',
      '/integrer?territoire_type=commune&territoire_code=1',
    ]) {
      await page.goto(`${base}${url}`);
      if (url.startsWith('/embed/carte?territoire=departement:35')) await page.waitForSelector('#carte[data-ready="true"]', { timeout: 45_000 });
      problems.push(...(await seriousAxeViolations(page)).map((line) => `${url}: ${line}`));
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
