// Real-Chromium journey of a proposed place: an account signs in, opens "Proposer un lieu",
// types an address and picks a suggestion of the local BAN stand-in with the keyboard (the
// postcode, commune and position fill in, the map shows the marker, dragging it moves the
// position), leaves a bad phone number (the API's message appears under the field), submits
// it anyway (server summary), fixes it and sends; a second account sends one without
// JavaScript. A moderator accepts the first in /moderation and its page exists. axe-core
// scans the form, the refused form and the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { banAddresses, startBanServer, type BanServer } from '../helpers/ban-server.ts';
import { expectAccessible, hasChromium, newLocalPage, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';

let t: TestApp;
let ban: BanServer;
let browser: Browser;
let base: string;
const mailer = createMemoryMailer();
const password = 'un mot de passe de navigateur';
const proposer = 'camille@centre-social-nevers.fr';
const noScript = 'dominique@mairie-chateau-chinon.fr';
const moderator = 'moderation@anct.example.org';

beforeAll(async () => {
  if (!hasChromium) return;
  ban = await startBanServer(banAddresses);
  t = await buildTestApp({ mailer, env: { MAILLAGE_GEOCODER_URL: ban.url } });
  // The gestionnaires have no place: anyone signed in may propose one.
  await accountWithPassword(t, { email: proposer, role: 'gestionnaire' }, password, mailer);
  await accountWithPassword(t, { email: noScript, role: 'gestionnaire' }, password, mailer);
  await accountWithPassword(t, { email: moderator, role: 'moderateur' }, password, mailer);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(async () => {
  await closeBrowserApp(browser, t);
  await ban?.close();
});

const messageOf = (page: Page, field: string) => page.locator(`#lieu-${field}-messages`).textContent();

describe.skipIf(!hasChromium)('proposing a place in Chromium', () => {
  it('proposes a place with suggestions, map and live validation; a moderator publishes it', async () => {
    const nom = 'Espace numérique du Commandant Rivière';
    const page = await newLocalPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, base, proposer, password);
    await page.goto(`${base}/lieux/proposer`);
    await expectAccessible(page);

    await page.getByLabel(/^Nom du lieu/).fill(nom);
    await page.getByLabel(/^SIRET ou RNA/).fill('21580194700017');
    await page.locator('label', { hasText: 'Aide aux démarches administratives' }).click();
    expect(await page.getByRole('checkbox', { name: 'Aide aux démarches administratives' }).isChecked()).toBe(true);

    // Address suggestions: an ARIA combobox driven with the keyboard.
    const adresse = page.getByRole('combobox', { name: /^Adresse/ });
    await adresse.pressSequentially('12 rue du commandant riviere', { delay: 10 });
    const option = page.getByRole('option', { name: '12 Rue du Commandant Rivière 58000 Nevers' });
    await option.waitFor();
    expect(await adresse.getAttribute('aria-expanded')).toBe('true');
    await adresse.press('ArrowDown');
    expect(await adresse.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await adresse.press('Enter');
    expect(await adresse.getAttribute('aria-expanded')).toBe('false');
    expect(await adresse.inputValue()).toBe('12 Rue du Commandant Rivière');
    expect(await page.getByLabel(/^Code postal/).inputValue()).toBe('58000');
    expect(await page.getByLabel(/^Commune/).inputValue()).toBe('Nevers');
    expect(await page.getByLabel(/^Latitude/).inputValue()).toBe('46.98955');
    expect(await page.getByLabel(/^Longitude/).inputValue()).toBe('3.15868');

    // The map: loaded lazily, the marker at the chosen address, draggable.
    await page.locator('#proposer-carte[data-ready="true"]').waitFor({ timeout: 20_000 });
    const marker = page.locator('#proposer-carte .maillage-marker');
    await marker.waitFor();
    await page.locator('#proposer-carte').scrollIntoViewIfNeeded();
    const box = (await marker.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByLabel(/^Latitude/).inputValue()).not.toBe('46.98955');
    const latitude = Number(await page.getByLabel(/^Latitude/).inputValue());
    const longitude = Number(await page.getByLabel(/^Longitude/).inputValue());
    expect(latitude).toBeLessThan(46.98955);
    expect(longitude).toBeGreaterThan(3.15868);

    // Live validation: the API's message under the field once it is left, gone once fixed.
    const expected = (await t.app.inject({ method: 'POST', url: '/api/v1/lieux/validation', payload: { telephone: '12', code_postal: '58000', commune: 'Nevers' } })).json().errors.find((e: { field: string }) => e.field === 'telephone').message;
    const telephone = page.getByRole('textbox', { name: /^Téléphone/ });
    await telephone.fill('12');
    await telephone.press('Tab');
    await expect.poll(() => messageOf(page, 'telephone')).toBe(expected);
    expect(await telephone.getAttribute('class')).toContain('fr-input--error');

    // Sent anyway: the server refuses it with the same message and a summary.
    await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await page.waitForLoadState('load');
    expect(await page.title()).toMatch(/^Erreur : proposer un lieu/);
    expect(await page.locator('#erreurs').textContent()).toContain(expected);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erreurs');
    expect(await page.getByLabel(/^Code postal/).inputValue()).toBe('58000');
    await expectAccessible(page);
    await page.locator('#erreurs a[href="#lieu-telephone"]').click();
    await page.getByRole('textbox', { name: /^Téléphone/ }).fill('03 86 21 12 34');
    await page.getByRole('textbox', { name: /^Téléphone/ }).press('Tab');
    await expect.poll(() => messageOf(page, 'telephone')).toBe('');
    await page.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await page.waitForURL(`${base}/lieux/proposer?envoyee=1`);
    expect(await page.getByRole('status').textContent()).toContain('Proposition envoyée');
    expect(errors).toEqual([]);

    // Without JavaScript: plain fields, no map, the POST still works.
    const plain = await newLocalPage(browser, { javaScriptEnabled: false });
    await signIn(plain, base, noScript, password);
    await plain.goto(`${base}/lieux/proposer`);
    expect(await plain.locator('#proposer-carte').isHidden()).toBe(true);
    await plain.getByLabel(/^Nom du lieu/).fill('Point numérique de Château-Chinon');
    await plain.getByLabel(/^SIRET ou RNA/).fill('21580062200018');
    await plain.getByLabel(/^Adresse/).first().fill('2 place Saint-Romain');
    await plain.getByLabel(/^Code postal/).fill('5812');
    await plain.getByLabel(/^Commune/).fill('Château-Chinon (Ville)');
    await plain.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await plain.waitForLoadState('load');
    expect(await plain.locator('#erreurs').textContent()).toContain('Code postal');
    await plain.getByLabel(/^Code postal/).fill('58120');
    await plain.getByRole('button', { name: 'Envoyer la proposition' }).click();
    await plain.waitForURL(`${base}/lieux/proposer?envoyee=1`);

    // The moderator publishes the first proposal from the queue.
    const mod = await newLocalPage(browser);
    await signIn(mod, base, moderator, password);
    await mod.getByRole('link', { name: 'File de modération' }).click();
    await mod.waitForURL(`${base}/moderation`);
    expect(await mod.locator('li[id^="proposition-"]').count()).toBe(2);
    await expectAccessible(mod);
    const item = mod.locator('li[id^="proposition-"]').filter({ hasText: nom });
    expect(await item.textContent()).toContain(proposer);
    await item.getByLabel(/^Commentaire/).fill('Merci pour cette proposition.');
    await item.getByRole('button', { name: `Accepter et publier ${nom}` }).click();
    await mod.waitForURL(`${base}/moderation?info=proposition-acceptee`);
    expect(await mod.getByRole('status').textContent()).toContain('le lieu est publié');
    expect(await mod.locator('li[id^="proposition-"]').count()).toBe(1);

    const lieu = await t.deps.db.selectFrom('lieux').select(['id', 'latitude', 'telephone']).where('nom', '=', nom).executeTakeFirstOrThrow();
    expect(lieu.latitude).toBeCloseTo(latitude, 5);
    expect(lieu.telephone).toBe('+33386211234');
    await mod.goto(`${base}/lieux/${lieu.id}`);
    expect(await mod.locator('h1').textContent()).toContain(nom);
    expect(mailer.sent.filter((m) => m.to === proposer).at(-1)?.text).toContain(`/lieux/${lieu.id}`);
  }, 180_000);
});
