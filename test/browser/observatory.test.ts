// Real-Chromium checks of the observatory pages: the DSFR Chart bar charts draw, the tables
// sort (in place with JavaScript, through links without), the CSV links download the table,
// and axe-core finds no serious or critical violation. Real QPV contours of Rennes.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { connectChromium, downloadedText, hasChromium, newLocalPage, seriousAxeViolations } from '../helpers/browser.ts';
import { loadQpvFiles } from '../../src/modules/qpv/qpv.use-cases.ts';
import { insertPlaces } from '../../src/modules/observatory/observatory.test-helpers.ts';


let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp();
  await loadQpvFiles(t.deps.db, [path.resolve('../shared/data/qpv/qpv-2015-rennes.geojson')]);
  await insertPlaces(t.deps.db, [
    { latitude: 48.0874, longitude: -1.6647, code_insee: '35238', code_departement: '35', code_region: '53', services: ['Aide aux démarches administratives'] },
    { latitude: 48.1114, longitude: -1.6797, code_insee: '35238', code_departement: '35', code_region: '53', services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'] },
  ]);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await connectChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await newLocalPage(browser, { acceptDownloads: true, ...options });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

const qpvCodes = (page: Page) => page.locator('#tableau-qpv tbody tr td:nth-child(2)').allTextContents();

describe.skipIf(!hasChromium)('observatory pages in Chromium', () => {
  it('draws the DSFR charts and the map, with no script or CSP error', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${base}/observatoire/region/53`);
    // The web component renders a canvas with Chart.js inside each <bar-chart>.
    await expect.poll(() => page.locator('bar-chart canvas').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const box = await page.locator('#graphique-services-titre + div bar-chart canvas').first().boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(50);
    // Four départements of Bretagne on the map, each a link named with its value.
    expect(await page.locator('.maillage-choropleth svg a path').count()).toBe(4);
    await expect.poll(() => page.getByRole('link', { name: /^Ille-et-Vilaine : [\d,]+ lieux pour 10 000 habitants$/ }).count()).toBe(1);
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/observatoire.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);

  it('sorts a table in place with JavaScript, and through the links without it', async () => {
    const { page } = await newPage();
    await page.goto(`${base}/observatoire/commune/35238`);
    expect(await qpvCodes(page)).toEqual(['QP035006', 'QP035005', 'QP035003', 'QP035004', 'QP035002']); // by name
    await page.locator('#tableau-qpv th a[data-sort="nom"]').click();
    await expect.poll(() => qpvCodes(page)).toEqual(['QP035006', 'QP035005', 'QP035003', 'QP035004', 'QP035002']);
    expect(await page.locator('#tableau-qpv th[aria-sort="ascending"]').count()).toBe(1);
    await page.locator('#tableau-qpv th a[data-sort="nom"]').click();
    await expect.poll(() => qpvCodes(page)).toEqual(['QP035002', 'QP035004', 'QP035003', 'QP035005', 'QP035006']);
    expect(await page.locator('#tableau-qpv th[aria-sort="descending"]').count()).toBe(1);
    expect(page.url()).toContain('tri=qpv.nom&ordre=desc');
    await page.locator('#tableau-qpv th a[data-sort="distance_lieu_le_plus_proche_m"]').click();
    await expect.poll(async () => (await qpvCodes(page)).slice(0, 2)).toEqual(['QP035005', 'QP035003']); // 0 m, 775 m; unknown last

    const noJs = await newPage({ javaScriptEnabled: false });
    await noJs.page.goto(`${base}/observatoire/commune/35238`);
    await noJs.page.locator('#tableau-qpv th a[data-sort="population"]').click();
    await noJs.page.waitForURL(/tri=qpv\.population&ordre=asc/);
    expect(await qpvCodes(noJs.page)).toEqual(['QP035006', 'QP035003', 'QP035004', 'QP035002', 'QP035005']); // 1317 … 11550
  }, 90_000);

  it('downloads a table as CSV from its link', async () => {
    const { page } = await newPage();
    await page.goto(`${base}/observatoire/commune/35238`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger le tableau « Quartiers prioritaires (QPV) du territoire » (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('observatoire-commune-35238-qpv.csv');
    const text = await downloadedText(download);
    expect(text.split('\n')[0]).toBe('nom,code,population,lieux_dans,lieux_500_m,distance_lieu_le_plus_proche_m,couvert');
    expect(text).toContain('Le Blosne,QP035005,11550,1,1,0,oui');
  }, 60_000);

  it('has no serious or critical axe-core violation', async () => {
    const { page } = await newPage();
    const problems: string[] = [];
    for (const url of ['/observatoire', '/observatoire/region/53', '/observatoire/commune/35238', '/observatoire/qpv/QP035005', '/observatoire/departement/59', '/observatoire/methodologie']) {
      await page.goto(`${base}${url}`);
      await page.waitForLoadState('networkidle');
      problems.push(...(await seriousAxeViolations(page)).map((line) => `${url}: ${line}`));
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
