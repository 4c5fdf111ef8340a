// The audit log page in a real Chromium: a moderator reaches it from the moderation queue,
// sees a manager's edit, keeps only that account's entries with one click; axe-core finds no
// serious or critical violation (at 320 px too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { expectAccessible, hasChromium, newLocalPage, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import { updateLieuAsAccount } from '../../src/modules/lieux/lieux.account-writes.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let managerId: string;
const password = 'un mot de passe de navigateur';

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp();
  const lieu = await createLieu(t.deps, { pivot: '21690123100011', nom: 'Médiathèque du Vieux-Lyon', commune: 'Lyon', code_postal: '69005', adresse: '4 rue de la Bombarde', date_maj: '2025-01-15', latitude: 45.7622, longitude: 4.8268 }, { kind: 'cli' });
  managerId = await accountWithPassword(t, { email: 'epn@vieux-lyon.example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieu.id }] }, password);
  await updateLieuAsAccount(t.deps, lieu.id, { telephone: '+33478000001' }, { account: { id: managerId, role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieu.id }] }, ip: '192.0.2.44' });
  await accountWithPassword(t, { email: 'moderation@anct.example.org', role: 'moderateur' }, password);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

describe.skipIf(!hasChromium)('audit log in Chromium', () => {
  it('a moderator opens the journal from the queue, filters one account, and the page is accessible', async () => {
    const page = await newLocalPage(browser, { viewport: { width: 1280, height: 800 } });
    await signIn(page, base, 'moderation@anct.example.org', password);
    await page.goto(`${base}/moderation`);
    await page.getByRole('link', { name: /Journal d’audit/ }).click();
    await page.waitForURL(/\/moderation\/journal$/);
    expect((await page.getByRole('heading', { level: 1 }).textContent())?.trim()).toBe('Journal d’audit');
    const table = page.getByRole('table');
    expect(await table.getByText('lieu.update').first().isVisible()).toBe(true);
    expect(await table.getByText('192.0.2.44').first().isVisible()).toBe(true);
    await expectAccessible(page);
    await table.getByRole('link', { name: `compte ${managerId.slice(0, 8)}` }).first().click();
    await page.waitForURL(/compte=/);
    expect(new URL(page.url()).searchParams.get('compte')).toBe(managerId);
    expect(await page.getByText(/Entrées du compte/).isVisible()).toBe(true);
    await page.setViewportSize({ width: 320, height: 700 });
    await expectAccessible(page);
    await page.close();
  }, 60_000);
});
