// Real-Chromium journey of the network API: a réseau account signs in, creates a source and an
// API key in the back-office (the key is shown once), pushes its places with the key, sees the
// import among the source's runs, revokes the key and is refused. axe-core scans each page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';


const places = [
  { id: 'n1', pivot: '21580194700019', nom: 'Médiathèque Jean-Jaurès', adresse: '12 rue du Commandant Rivière', commune: 'Nevers', code_postal: '58000', code_insee: '58194', latitude: 46.9896, longitude: 3.159, date_maj: '2024-05-02' },
  { id: 'n2', pivot: '21210231500017', nom: 'EPN de la Fontaine d’Ouche', adresse: '2 place de la Fontaine d’Ouche', commune: 'Dijon', code_postal: '21000', code_insee: '21231', latitude: 47.315, longitude: 5.005, date_maj: '2024-05-02' },
  { id: 'n3', pivot: '21210231500017', nom: '', adresse: '1 rue sans nom', commune: 'Dijon', code_postal: '21000', code_insee: '21231', date_maj: '2024-05-02' },
];

let t: TestApp;
let browser: Browser;
let base: string;
const email = 'reseau-api-navigateur@example.org';
const password = 'un mot de passe de réseau';

beforeAll(async () => {
  if (!hasChromium) return;
  const mailer = createMemoryMailer();
  t = await buildTestApp({ mailer });
  await accountWithPassword(t, { email, role: 'reseau' }, password, mailer);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

const newPage = () => newLocalPage(browser);


describe.skipIf(!hasChromium)('network API in Chromium', () => {
  it('a réseau account creates a source and an API key, pushes its places with the key and sees the run', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, email, password);

    // A source without feed URL: its places will come through the API.
    await page.goto(`${base}/compte/sources/nouvelle`);
    await page.getByRole('textbox', { name: /^Nom court/ }).fill('si-reseau');
    await page.getByRole('textbox', { name: /^Producteur/ }).fill('Réseau des EPN de Bourgogne');
    await page.getByRole('button', { name: 'Créer la source' }).click();
    await page.waitForURL(`${base}/compte/sources/si-reseau?info=creee`);

    await page.goto(`${base}/compte/sources`);
    await page.getByRole('link', { name: /^Clés d’API/ }).click();
    await page.waitForURL(`${base}/compte/cles-api`);
    expect(await page.locator('main').textContent()).toContain('Aucune clé pour l’instant.');
    await expectAccessible(page);
    const sourceId = ((await page.locator('#identifiants-sources code').first().textContent()) ?? '').trim();
    expect(sourceId).toMatch(/^[0-9a-f-]{36}$/);

    await page.getByRole('textbox', { name: /^Libellé/ }).fill('Export nocturne du SI');
    // DSFR draws its own box: people click the label.
    await page.locator('#cle-sources label', { hasText: 'si-reseau' }).click();
    expect(await page.getByRole('checkbox', { name: 'si-reseau' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Créer la clé' }).click();
    await page.waitForURL(`${base}/compte/cles-api`);
    const key = await page.getByRole('textbox', { name: /^Clé « Export nocturne du SI »/ }).inputValue();
    expect(key).toMatch(/^mlg_[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#cles > li').first().textContent()).toContain('Active');
    await expectAccessible(page);
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/api-keys.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(330);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The network's system pushes its list (no session: a fresh request context).
    const push = async (token: string) => {
      const response = await fetch(`${base}/api/v1/sources/${sourceId}/lieux`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(places) });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    };
    const pushed = await push(key);
    expect(pushed.status).toBe(200);
    expect(pushed.body.stats).toMatchObject({ read: 3, accepted: 2, rejected: 1, new: 2 });
    expect(pushed.body.problems.some((p: { row: number; field: string }) => p.row === 3 && p.field === 'nom')).toBe(true);

    // A reload shows the key's last use; the source's page shows the run.
    await page.goto(`${base}/compte/cles-api`);
    await expect.poll(() => page.locator('#cles > li').count()).toBe(1);
    expect(await page.locator('#cles .cle-utilisation').textContent()).toMatch(/Dernière utilisation : le \d\d\/\d\d\/\d{4}/);
    await page.goto(`${base}/compte/sources/si-reseau`);
    const run = page.locator('#imports tbody tr').first().locator('td');
    expect(await run.nth(1).textContent()).toContain('Réussi');
    expect(await run.nth(2).textContent()).toBe('3'); // read
    expect(await run.nth(3).textContent()).toBe('2'); // accepted
    expect(await run.nth(4).textContent()).toBe('1'); // rejected
    await expectAccessible(page);

    // Revoked from the back-office, the key no longer opens the API.
    await page.goto(`${base}/compte/cles-api`);
    await page.getByRole('button', { name: /Révoquer la clé « Export nocturne du SI »/ }).click();
    await page.waitForURL(`${base}/compte/cles-api?info=revoquee`);
    expect(await page.getByRole('status').textContent()).toContain('La clé est révoquée');
    expect(await page.locator('#cles > li').first().textContent()).toContain('Révoquée');
    expect(await page.locator('main').textContent()).not.toContain(key);
    await expectAccessible(page);
    const refused = await push(key);
    expect(refused.status).toBe(401);
    expect(refused.body.title).toContain('révoquée');
    expect(errors).toEqual([]);
  }, 120_000);
});
