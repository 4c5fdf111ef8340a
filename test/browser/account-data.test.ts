// Real-Chromium journey of "Mes données": from « Mon compte », download the JSON export, then
// delete the account (wrong password first), with axe scans of the deletion pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { downloadedText, hasChromium, newLocalContext, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';


const email = 'agent.donnees@exemple-prive.fr';
const password = 'un mot de passe solide';
let t: TestApp;
let browser: Browser;
let base: string;
let accountId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp({ mailer: createMemoryMailer() });
  accountId = await accountWithPassword(t, { email, role: 'agent_territorial', scopes: [{ kind: 'departement', code: '69' }] }, password);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));


describe.skipIf(!hasChromium)('my data in Chromium', () => {
  it('download the export, then delete the account with its password', async () => {
    const { context, page } = await newLocalContext(browser, { acceptDownloads: true });
    await signIn(page, base, email, password);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger mes données (JSON)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^maillage-mes-donnees-.*\.json$/);
    const exported = JSON.parse(await downloadedText(download));
    expect(exported.compte).toMatchObject({ id: accountId, email, role: 'agent_territorial' });
    expect(exported.perimetres).toEqual([{ kind: 'departement', code: '69' }]);

    await page.getByRole('link', { name: 'Supprimer mon compte' }).click();
    await page.waitForURL(`${base}/compte/suppression`);
    await expectAccessible(page);
    await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Mot de passe incorrect');
    await expectAccessible(page);

    await page.getByLabel('Mot de passe').fill(password);
    await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Compte supprimé');
    await expectAccessible(page);
    expect(await t.deps.db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst()).toBeUndefined();
    await page.goto(`${base}/compte`);
    expect(page.url()).toBe(`${base}/connexion`);
    await context.close();
  }, 90_000);
});
