// Real-Chromium journey of a moderated claim: a gestionnaire account signs in, says "Je gère ce
// lieu" on a place whose domain is not its own (so the claim waits), a moderator accepts it
// in the moderation queue, and the account can then edit the place (PATCH with its session
// and CSRF token, refused before). axe-core scans the claim page and the queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';
import { createLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import type { Lieu } from '../../src/modules/lieux/lieux.schema.ts';
import { createReport } from '../../src/modules/reports/reports.use-cases.ts';


let t: TestApp;
let browser: Browser;
let base: string;
let lieu: Lieu;
const mailer = createMemoryMailer();
const password = 'un mot de passe de navigateur';
const claimant = 'claire@association-voisine.fr';
const moderator = 'moderation@anct.example.org';

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp({ mailer });
  lieu = await createLieu(
    t.deps,
    {
      pivot: '21690123100011',
      nom: 'Médiathèque Vivier-Merle',
      commune: 'Lyon',
      code_postal: '69003',
      adresse: '30 boulevard Vivier-Merle',
      date_maj: '2025-01-15',
      latitude: 45.7607,
      longitude: 4.8583,
      site_web: ['https://www.bm-lyon.fr'],
    },
    { kind: 'cli' },
  );
  // The queue also holds a report and a duplicate pair, so axe scans every kind of item.
  await createReport(t.deps, lieu.id, { kind: 'horaires', message: 'Fermé le lundi matin.', email: 'usager@exemple.org' }, '198.51.100.7');
  const twin = await createLieu(t.deps, { pivot: '00000000000000', nom: 'Mediatheque Vivier Merle', commune: 'Lyon', code_postal: '69003', adresse: '30 bd Vivier-Merle', date_maj: '2025-01-15', latitude: 45.7608, longitude: 4.8584 }, { kind: 'cli' });
  const [a, b] = lieu.id < twin.id ? [lieu.id, twin.id] : [twin.id, lieu.id];
  await t.deps.db
    .insertInto('lieu_duplicates')
    .values({ lieu_a: a, lieu_b: b, score: 72, decision: 'review', signals: JSON.stringify({ name: 0.9, address: 0.8, distance_m: 10, pivot: 'unknown', phone: null, email: null }), reason: null, status: 'pending', found_run_id: null, found_at: new Date() })
    .execute();
  // The claimant has no place yet, like a gestionnaire that signed up by itself.
  await accountWithPassword(t, { email: claimant, role: 'gestionnaire' }, password, mailer);
  await accountWithPassword(t, { email: moderator, role: 'moderateur' }, password, mailer);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

async function signedInPage(email: string): Promise<Page> {
  const page = await newLocalPage(browser);
  await signIn(page, base, email, password);
  return page;
}


/** Edits the place's phone from the signed-in page, as a form script would: session cookie + CSRF token. */
async function editPhone(page: Page, telephone: string): Promise<number> {
  await page.goto(`${base}/compte`);
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  return page.evaluate(
    async ({ id, csrf, telephone }) => (await fetch(`/api/v1/lieux/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ telephone }) })).status,
    { id: lieu.id, csrf, telephone },
  );
}

describe.skipIf(!hasChromium)('claim and moderation in Chromium', () => {
  it('an account claims a place, a moderator accepts it in the queue, the account edits the place', async () => {
    const page = await signedInPage(claimant);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    expect(await editPhone(page, '0472000001')).toBe(403);

    await page.goto(`${base}/lieux/${lieu.id}`);
    await page.getByRole('link', { name: 'Je gère ce lieu' }).click();
    await page.waitForURL(`${base}/lieux/${lieu.id}/revendiquer`);
    await expectAccessible(page);
    await page.getByLabel(/^Message pour l’équipe de modération/).fill('Je coordonne l’espace numérique de la médiathèque.');
    await page.getByRole('button', { name: 'Je gère ce lieu' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Demande envoyée à l’équipe de modération');
    expect(await page.getByRole('status').textContent()).toContain('ne correspond ni au site web ni au courriel du lieu');
    await expectAccessible(page);

    const mod = await signedInPage(moderator);
    await mod.getByRole('link', { name: 'File de modération' }).click();
    await mod.waitForURL(`${base}/moderation`);
    expect(await mod.locator('main').textContent()).toContain('Fermé le lundi matin.');
    expect(await mod.locator('li[id^="doublon-"]').count()).toBe(1);
    await expectAccessible(mod);
    const item = mod.locator('li[id^="revendication-"]').filter({ hasText: claimant });
    expect(await item.textContent()).toContain('Je coordonne l’espace numérique de la médiathèque.');
    await item.getByLabel(/^Commentaire/).fill('Vérifié auprès de la médiathèque.');
    await item.getByRole('button', { name: `Accepter la demande pour ${lieu.nom}` }).click();
    await mod.waitForURL(`${base}/moderation?info=revendication-acceptee`);
    expect(await mod.getByRole('status').textContent()).toContain('Demande acceptée');
    expect(await mod.locator('main').textContent()).toContain('Aucune demande en attente.');
    await expectAccessible(mod);
    expect(mailer.sent.filter((m) => m.to === claimant).at(-1)?.text).toContain('Vérifié auprès de la médiathèque.');

    // The session reads the account's scopes on each request: no new sign-in needed.
    expect(await editPhone(page, '0472000002')).toBe(200);
    await page.goto(`${base}/lieux/${lieu.id}`);
    expect(await page.locator('main').textContent()).toMatch(/04\s?72\s?00\s?00\s?02/);
    expect(errors).toEqual([]);
  }, 90_000); // a whole journey in Chromium: 30 s ran out once on a machine at load 8.5
});
