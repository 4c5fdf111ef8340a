// Real-Chromium journeys of the public website, served by buildApp on 127.0.0.1, and axe-core
// scans of every page type. Skipped (with a message) only when Debian's chromium is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, connectChromium, newLocalPage, seriousAxeViolations } from '../helpers/browser.ts';
import { insertPublished } from '../web/publish.ts';


let t: TestApp;
let browser: Browser;
let base: string;
let placeId: string;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp();
  const rows = await insertPublished(t.deps, [
    { nom: 'Médiathèque de la Part-Dieu', latitude: 45.7605, longitude: 4.8575, code_postal: '69003', code_insee: '69383', horaires: 'Mo-Su 00:00-24:00' },
    { nom: 'Espace numérique Bellecour', latitude: 45.7578, longitude: 4.832, code_postal: '69002', code_insee: '69382', frais_a_charge: ['Payant'], horaires: 'Mo-Su 00:00-24:00' },
    { nom: 'Centre social de Villeurbanne', latitude: 45.7719, longitude: 4.8902, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266', horaires: 'Mo-Su 00:00-24:00' },
    { nom: 'Maison de quartier des Gratte-Ciel', latitude: 45.7695, longitude: 4.8801, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266', horaires: 'Mo 09:00-09:01' },
  ]);
  placeId = rows[2]!.id;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await connectChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (options: { javaScriptEnabled?: boolean } = {}) => newLocalPage(browser, options);

const listNames = (page: Page) => page.locator('#resultats .fr-card__title a').allTextContents();

describe.skipIf(!hasChromium)('public website in Chromium', () => {
  it('search by commune with suggestions → list → place page, with the map drawn', async () => {
    const page = await newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${base}/`);
    await page.getByLabel('Où cherchez-vous ?').pressSequentially('Villeurb');
    const option = page.getByRole('option', { name: /Villeurbanne \(69100\)/ });
    await option.click();
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/recherche\?/);
    expect(page.url()).toContain('commune=69266');
    await expect.poll(() => page.locator('[data-count]').textContent()).toContain('4 lieux trouvés près de Villeurbanne');
    expect((await listNames(page)).slice(0, 2).sort()).toEqual(['Centre social de Villeurbanne', 'Maison de quartier des Gratte-Ciel']);
    // The map loads after the list, from local assets only, with HTML cluster/point markers.
    await page.waitForSelector('#carte[data-ready="true"]', { timeout: 45_000 }).catch(() => expect(errors).toEqual([]));
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/resultats.png`, fullPage: true });
    await expect.poll(() => page.locator('#carte .maillage-marker').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Centre social de Villeurbanne' }).click();
    await page.waitForURL(`${base}/lieux/${placeId}`);
    expect(await page.locator('h1').textContent()).toBe('Centre social de Villeurbanne');
    expect(await page.locator('.maillage-status--open').first().textContent()).toContain('Ouvert');
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/lieu.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);

  it('filters live with JavaScript: the URL follows (pushState) and the list updates', async () => {
    const page = await newPage();
    await page.goto(`${base}/recherche?q=Villeurbanne&rayon=20`);
    expect(await listNames(page)).toHaveLength(4);
    await page.getByText('Filtrer les résultats').click();
    await page.locator('label[for="filtre-gratuit"]').click();
    await page.waitForURL(/frais_a_charge=Gratuit/);
    await expect.poll(() => listNames(page)).not.toContain('Espace numérique Bellecour');
    await page.locator('label[for="filtre-ouvert"]').click();
    await page.waitForURL(/ouvert_maintenant=oui/);
    await expect.poll(() => listNames(page)).not.toContain('Maison de quartier des Gratte-Ciel');
    expect(await page.locator('#resultats-annonce').textContent()).toContain('2 lieux trouvés');
    // The URL alone reproduces the state: reload and find the same boxes checked.
    await page.reload();
    expect(await page.getByLabel('Gratuit', { exact: true }).isChecked()).toBe(true);
    expect(await listNames(page)).toHaveLength(2);
  });

  it('works without JavaScript: plain GET form, filters through the URL', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/`);
    expect(await page.locator('button[data-geolocate]').isVisible()).toBe(false);
    await page.getByLabel('Où cherchez-vous ?').fill('69003');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/recherche\?q=69003/);
    expect((await listNames(page))[0]).toBe('Médiathèque de la Part-Dieu');
    await page.getByText('Filtrer les résultats').click();
    await page.locator('label[for="filtre-gratuit"]').click();
    await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await page.waitForURL(/frais_a_charge=Gratuit/);
    expect(await listNames(page)).not.toContain('Espace numérique Bellecour');
    expect(await page.locator('#carte').isVisible()).toBe(false);
  });

  it('reports an error on a place page', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/lieux/${placeId}`);
    await page.getByLabel('Qu’est-ce qui est faux ?').selectOption('horaires');
    await page.getByLabel('Votre message').fill('Le centre est fermé le samedi depuis janvier.');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.waitForURL(/signalement=envoye/);
    expect(await page.getByText('Merci, votre signalement a bien été envoyé.').isVisible()).toBe(true);
    const stored = await t.deps.db.selectFrom('reports').selectAll().where('lieu_id', '=', placeId).execute();
    expect(stored.map((r) => r.message)).toEqual(['Le centre est fermé le samedi depuis janvier.']);
  });

  it('has no serious or critical axe-core violation on any page type', async () => {
    const page = await newPage();
    const urls = [
      '/',
      '/recherche?q=Villeurbanne',
      `/lieux/${placeId}`,
      '/territoires',
      '/territoires/departement/69',
      '/territoires/commune/69266',
      '/donnees',
      '/mentions-legales',
      '/accessibilite',
      '/donnees-personnelles',
      '/page-inconnue',
      '/recherche?lat=abc&lon=1',
    ];
    const problems: string[] = [];
    for (const url of urls) {
      await page.goto(`${base}${url}`);
      // Scan the results page with its map drawn, so the map's controls are checked too.
      if (url.startsWith('/recherche?q=')) await page.waitForSelector('#carte[data-ready="true"]', { timeout: 45_000 });
      problems.push(...(await seriousAxeViolations(page)).map((line) => `${url}: ${line}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
