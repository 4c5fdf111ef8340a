// "Les lieux de mon territoire" in a real Chromium: an agent of département 69 reaches the page
// from "Mon compte", filters without JavaScript-only controls, confirms a place "toujours à
// jour" and downloads the CSV. axe-core finds no serious or critical violation (320 px too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';
import { createLieu, getLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import type { Lieu } from '../../src/modules/lieux/lieux.schema.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let old: Lieu;
const mailer = createMemoryMailer();
const password = 'un mot de passe de navigateur';
const email = 'agent@territoire.example.org';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp({ mailer });
  const lyon = { pivot: '21690123100011', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle', latitude: 45.7607, longitude: 4.8583 };
  old = await createLieu(t.deps, { ...lyon, nom: 'Tiers-lieu des Pentes', date_maj: '2020-01-15' }, { kind: 'cli' });
  await createLieu(t.deps, { ...lyon, nom: 'Médiathèque Part-Dieu', date_maj: today() }, { kind: 'cli' });
  await createLieu(t.deps, { ...lyon, nom: 'Maison France services Paris 15', commune: 'Paris', code_postal: '75015', adresse: '1 rue de Vaugirard', latitude: 48.84, longitude: 2.3, date_maj: '2020-01-15' }, { kind: 'cli' });
  await accountWithPassword(t, { email, role: 'agent_territorial', scopes: [{ kind: 'departement', code: '69' }] }, password, mailer);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

describe.skipIf(!hasChromium)('territory places in Chromium', () => {
  it('an agent filters the places of its territory, confirms one and exports the CSV', async () => {
    const page = await newLocalPage(browser, { viewport: { width: 1280, height: 800 } });
    await signIn(page, base, email, password);
    await page.goto(`${base}/compte`);
    await page.getByRole('link', { name: /Les lieux de mon territoire/ }).click();
    await page.waitForURL(/\/compte\/territoire$/);
    const table = page.getByRole('table');
    expect(await table.textContent()).toContain('Médiathèque Part-Dieu');
    expect(await table.textContent()).not.toContain('Paris 15');
    await expectAccessible(page);
    await page.getByLabel('Fraîcheur').selectOption('ancienne');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/fraicheur=ancienne/);
    expect(await table.textContent()).not.toContain('Médiathèque Part-Dieu');
    expect(await table.textContent()).toContain('Tiers-lieu des Pentes');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /Exporter en CSV/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('lieux-territoire.csv');
    await page.getByRole('button', { name: /Toujours à jour : « Tiers-lieu des Pentes »/ }).click();
    await page.waitForURL(/confirme=/);
    expect(await page.getByRole('status').textContent()).toContain('sont confirmées à jour');
    expect((await getLieu(t.deps, old.id)).date_maj).toBe(today());
    await expectAccessible(page);
  }, 90_000);

  it('is accessible at 320 px wide', async () => {
    const page = await newLocalPage(browser, { viewport: { width: 320, height: 700 } });
    await signIn(page, base, email, password);
    await page.goto(`${base}/compte/territoire`);
    expect(await page.locator('main').textContent()).toContain('Tiers-lieu des Pentes');
    await expectAccessible(page);
  }, 90_000);
});
