// Freshness journeys in a real Chromium: a manager signs in, sees the status and completeness
// of the place and confirms it is up to date; the e-mailed link opens a page whose button
// confirms. axe-core finds no serious or critical violation on these pages (320 px too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';
import { createLieu, getLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import type { Lieu } from '../../src/modules/lieux/lieux.schema.ts';
import { sendFreshnessReminders } from '../../src/modules/freshness/freshness.use-cases.ts';


let t: TestApp;
let browser: Browser;
let base: string;
let first: Lieu, second: Lieu;
const mailer = createMemoryMailer();
const password = 'un mot de passe de navigateur';
const email = 'epn@fraicheur.example.org';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp({ mailer });
  const base0 = { pivot: '21690123100011', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle', latitude: 45.7607, longitude: 4.8583 };
  first = await createLieu(t.deps, { ...base0, nom: 'Médiathèque des Pentes', date_maj: '2024-01-15', horaires: 'Mo-Fr 09:00-12:00' }, { kind: 'cli' });
  second = await createLieu(t.deps, { ...base0, nom: 'Espace numérique Vivier', date_maj: '2024-02-15' }, { kind: 'cli' });
  await accountWithPassword(t, { email, role: 'gestionnaire', scopes: [first, second].map((l) => ({ kind: 'lieu' as const, code: l.id })) }, password, mailer);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

const newPage = (width = 1280) => newLocalPage(browser, { viewport: { width, height: 800 } });


describe.skipIf(!hasChromium)('freshness in Chromium', () => {
  it('a manager sees status and completeness, then confirms “toujours à jour”', async () => {
    const page = await newPage();
    await signIn(page, base, email, password);
    await page.goto(`${base}/compte/fraicheur`);
    const section = page.getByRole('region', { name: /Médiathèque des Pentes/ });
    await expect.poll(() => section.textContent()).toContain('Ancienne');
    expect(await section.textContent()).toContain('Complétude : 23 %'); // horaires 15 + position 8
    await expectAccessible(page);
    await section.getByRole('button', { name: 'Ces informations sont toujours à jour' }).click();
    await page.waitForURL(/confirme=/);
    expect(await page.getByRole('status').textContent()).toContain('« Médiathèque des Pentes » sont confirmées à jour');
    expect((await getLieu(t.deps, first.id)).date_maj).toBe(today());
    await page.goto(`${base}/lieux/${first.id}`);
    expect(await page.locator('.maillage-fraicheur').textContent()).toContain('Mis à jour aujourd’hui');
  }, 90_000);

  it('the e-mailed link shows a button that confirms the place, at 320 px wide', async () => {
    const result = await sendFreshnessReminders({ ...t.deps, mailer });
    expect(result.sent).toBe(1); // the first place was just confirmed: only the second is due
    const link = /http:\/\/[^\s]+\/fraicheur\/confirmer\?jeton=[A-Za-z0-9_-]+/.exec(mailer.sent.at(-1)!.text)![0];
    const page = await newPage(320);
    await page.goto(`${base}${new URL(link).pathname}${new URL(link).search}`);
    expect(await page.locator('main').textContent()).toContain('Espace numérique Vivier');
    expect((await getLieu(t.deps, second.id)).date_maj).toBe('2024-02-15'); // the GET changed nothing
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Ces informations sont toujours à jour' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('sont confirmées à jour');
    expect((await getLieu(t.deps, second.id)).date_maj).toBe(today());
    await expectAccessible(page);
  }, 90_000);
});
