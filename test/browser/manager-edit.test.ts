// A manager edits their place in a real Chromium: from the public page to the edit form, a
// field error, the confirmation with the field diff, the history entry and the public page
// updated; then an import gives another value for the same field, the manager sees the
// conflict and takes the source's value. axe-core finds no serious or critical violation on
// the edit, error, diff, history and conflict pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { expectAccessible, hasChromium, newLocalPage, signIn } from '../helpers/browser.ts';
import { accountWithPassword, closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { getLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import { addSource } from '../../src/modules/sources/sources.use-cases.ts';
import { runImport } from '../../src/modules/imports/imports.use-cases.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let lieuId: string;
const password = 'un mot de passe de navigateur';
const email = 'epn@modification.example.org';
const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,horaires,services';
const file = (horaires: string) =>
  Buffer.from(`${header}\nb1,21390198000024,Médiathèque de Dole,Dole,39100,39198,2 rue Bauzonnet,47.0920,5.4900,2024-05-02,${horaires},Aide aux démarches administratives\n`);

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp({ env: { MAILLAGE_GEOCODER_URL: 'off' } });
  await addSource(t.deps, { name: 'cd39', producer: 'Département du Jura' });
  await runImport(t.deps, { source: 'cd39', bytes: file('Mo-Fr 09:00-12:00') });
  lieuId = (await t.deps.db.selectFrom('lieu_sources').select('lieu_id').executeTakeFirstOrThrow()).lieu_id;
  await accountWithPassword(t, { email, role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieuId }] }, password);
  ({ base, browser } = await serveForBrowser(t));
}, 60_000);

afterAll(() => closeBrowserApp(browser, t));

describe.skipIf(!hasChromium)('a manager edits their place in Chromium', () => {
  it('edits hours and a service, sees the diff, confirms, and finds the history entry and the public page updated', async () => {
    const page = await newLocalPage(browser, { viewport: { width: 1280, height: 900 } });
    await signIn(page, base, email, password);
    await page.goto(`${base}/lieux/${lieuId}`);
    await page.getByRole('link', { name: 'Modifier les informations de ce lieu' }).click();
    await page.waitForURL(`${base}/compte/lieux/${lieuId}/modifier`);
    expect(await page.getByLabel('Horaires d’ouverture').inputValue()).toBe('Mo-Fr 09:00-12:00');
    expect(await page.getByLabel('Aide aux démarches administratives').isChecked()).toBe(true);
    await expectAccessible(page);

    // A value that is not valid: the error at the field and in the summary, the value kept.
    await page.getByLabel('Horaires d’ouverture').fill('le matin');
    await page.getByRole('button', { name: 'Vérifier mes modifications' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Un champ est à corriger');
    expect(await page.getByLabel('Horaires d’ouverture').inputValue()).toBe('le matin');
    await expectAccessible(page);

    await page.getByLabel('Horaires d’ouverture').fill('Mo-Fr 10:00-18:00');
    // DSFR draws the box on the label, which is what people click.
    await page.locator('label', { hasText: 'Loisirs et créations numériques' }).click();
    expect(await page.getByLabel('Loisirs et créations numériques').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Vérifier mes modifications' }).click();
    const diff = page.getByRole('table', { name: 'Vos modifications' });
    await expect.poll(() => diff.textContent()).toContain('Horaires d’ouverture');
    expect(await diff.getByRole('row', { name: /Horaires d’ouverture/ }).textContent()).toBe('Horaires d’ouvertureMo-Fr 09:00-12:00Mo-Fr 10:00-18:00');
    expect(await diff.getByRole('row', { name: /Services proposés/ }).textContent()).toContain('Ajouté : Loisirs et créations numériques');
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 09:00-12:00'); // nothing saved yet
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.waitForURL(`${base}/compte/lieux/${lieuId}/historique?enregistre=1`);
    expect(await page.getByRole('status').textContent()).toContain('Vos modifications sont enregistrées.');
    const latest = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Version 2 : Modification' }) });
    expect(await latest.textContent()).toContain('par Vous');
    expect(await latest.getByRole('table').textContent()).toContain('Mo-Fr 10:00-18:00');
    expect(await page.locator('main').textContent()).not.toContain(email);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Voir la fiche publique du lieu' }).click();
    await page.waitForURL(`${base}/lieux/${lieuId}`);
    const main = await page.locator('main').textContent();
    expect(main).toContain('Découvrir des loisirs et créer avec le numérique');
    expect(main).toContain('Lundi10 h – 18 h');
  }, 120_000);

  it('sees an import’s other value for the same field and takes it', async () => {
    await runImport(t.deps, { source: 'cd39', bytes: file('Mo-Sa 09:00-12:00') });
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 10:00-18:00'); // the edit was kept
    const page = await newLocalPage(browser, { viewport: { width: 320, height: 800 } });
    await signIn(page, base, email, password);
    await page.getByRole('link', { name: /Mes lieux/ }).click();
    await page.waitForURL(`${base}/compte/lieux`);
    const conflict = page.locator('.maillage-conflit');
    expect(await conflict.textContent()).toContain('La source « cd39 » indique une autre valeur pour « Horaires d’ouverture » : Mo-Sa 09:00-12:00. Votre valeur est conservée');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Modifier « Médiathèque de Dole »' }).click();
    expect(await page.locator('.maillage-conflit').textContent()).toContain('Mo-Sa 09:00-12:00');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Reprendre la valeur de la source' }).click();
    await page.waitForURL(/conflit=repris/);
    expect(await page.getByRole('status').textContent()).toContain('La valeur de la source est désormais celle du lieu');
    expect(await page.locator('.maillage-conflit').count()).toBe(0);
    expect(await page.getByLabel('Horaires d’ouverture').inputValue()).toBe('Mo-Sa 09:00-12:00');
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Sa 09:00-12:00');
  }, 120_000);
});
