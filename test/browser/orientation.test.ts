// Real-Chromium journey of the orientation flow for helpers: keyboard and mouse through the
// four steps to the fiche d'orientation, printed (print media and a PDF), with and without
// JavaScript, and axe-core on every step. Same launch flags and "nothing leaves the
// machine" routing as site.test.ts; skipped, with a message, without Debian's chromium.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, connectChromium, newLocalPage, seriousAxeViolations } from '../helpers/browser.ts';
import { insertPublished } from '../web/publish.ts';


let t: TestApp;
let browser: Browser;
let base: string;
const DEMARCHES = 'Aide aux démarches administratives';

beforeAll(async () => {
  if (!hasChromium) return;
  t = await buildTestApp();
  await insertPublished(t.deps, [
    { nom: 'Centre social de Villeurbanne', latitude: 45.7719, longitude: 4.8902, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      horaires: 'Mo-Su 09:00-12:00', services: [DEMARCHES], telephone: '+33478000001', modalites_acces: ['Se présenter'] },
    { nom: 'Maison des Gratte-Ciel', latitude: 45.7695, longitude: 4.8801, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      horaires: 'Sa,Su 10:00-12:00', services: [DEMARCHES], modalites_acces: ['Téléphoner'] },
    { nom: 'Médiathèque de la Part-Dieu', latitude: 45.7605, longitude: 4.8575, code_postal: '69003', code_insee: '69383',
      horaires: 'Mo-Fr 17:00-20:00', services: [DEMARCHES] },
    { nom: 'Espace numérique Bellecour', latitude: 45.7578, longitude: 4.832, code_postal: '69002', code_insee: '69382',
      horaires: 'Mo-Fr 14:00-17:00', services: [DEMARCHES] },
    { nom: 'Boutique payante', latitude: 45.7700, longitude: 4.8850, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      horaires: 'Mo-Su 09:00-18:00', services: [DEMARCHES], frais_a_charge: ['Payant'] },
  ]);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await connectChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const newPage = (options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}) => newLocalPage(browser, options);

const stepState = (page: Page) => page.locator('.fr-stepper__state').textContent();
const listed = (page: Page) => page.locator('.orientation-result__nom').allTextContents();

async function axeProblems(page: Page, label: string): Promise<string[]> {
  return (await seriousAxeViolations(page)).map((line) => `${label}: ${line}`);
}

describe.skipIf(!hasChromium)('orientation flow in Chromium', () => {
  it('keyboard and mouse from the header to a printed fiche, axe-clean at every step', async () => {
    const page = await newPage();
    const errors: string[] = [];
    const problems: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Orienter une personne' }).click();
    await page.waitForURL(`${base}/orientation`);
    expect(await stepState(page)).toBe('Étape 1 sur 4');
    problems.push(...(await axeProblems(page, 'étape 1')));

    // Step 1, keyboard only: type, pick the suggestion with the arrows, submit with Enter.
    const where = page.getByLabel('Adresse, commune ou code postal de la personne');
    await where.focus();
    await page.keyboard.type('Villeurb');
    await page.getByRole('option', { name: /Villeurbanne \(69100\)/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await where.inputValue()).toBe('Villeurbanne (69100)');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/orientation\/besoin\?/);
    expect(page.url()).toContain('commune=69266');
    expect(await stepState(page)).toBe('Étape 2 sur 4');
    problems.push(...(await axeProblems(page, 'étape 2')));

    // Step 2: tick a need with the space bar, go on with the mouse.
    await page.getByRole('checkbox', { name: /^Démarches en ligne/ }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await page.waitForURL(/\/orientation\/quand\?/);
    expect(await stepState(page)).toBe('Étape 3 sur 4');
    // With JavaScript, the hour waits for a day.
    expect(await page.getByLabel('À quelle heure ce jour-là ?').isDisabled()).toBe(true);
    problems.push(...(await axeProblems(page, 'étape 3')));
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/orientation-quand.png`, fullPage: true });
    await page.locator('label[for="orientation-conditions-0"]').click(); // Gratuit
    await page.getByRole('button', { name: 'Voir les lieux' }).click();
    await page.waitForURL(/\/orientation\/lieux\?/);
    expect(page.url()).toContain('frais_a_charge=Gratuit');
    expect(await stepState(page)).toBe('Étape 4 sur 4');
    const names = await listed(page);
    expect(names).toHaveLength(4);
    expect(names).not.toContain('Boutique payante');
    problems.push(...(await axeProblems(page, 'étape 4')));
    if (process.env.MAILLAGE_SCREENSHOTS) await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/orientation-lieux.png`, fullPage: true });

    // At most three places: the others are disabled once three are ticked, and it is said.
    const boxes = page.locator('input[name="lieux"]');
    for (const i of [0, 1, 2]) await page.locator(`label[for="orientation-lieu-${i}"]`).click();
    expect(await boxes.nth(3).isDisabled()).toBe(true);
    expect(await page.locator('#orientation-selection').textContent()).toContain('3 lieux choisis sur 3 au plus');
    await page.locator('label[for="orientation-lieu-2"]').click();
    expect(await boxes.nth(3).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Préparer la fiche d’orientation' }).click();
    await page.waitForURL(/\/orientation\/fiche\?/);
    expect(await page.locator('h1').textContent()).toBe('Fiche d’orientation');
    const chosen = names.slice(0, 2);
    for (const name of chosen) expect(await page.locator('.orientation-fiche__lieu h2', { hasText: name }).count()).toBe(1);
    problems.push(...(await axeProblems(page, 'fiche')));

    // "Imprimer" appears with JavaScript and calls window.print.
    await page.evaluate(() => { (window as unknown as { printed: number }).printed = 0; window.print = () => { (window as unknown as { printed: number }).printed++; }; });
    expect(await page.getByText('Pour imprimer : menu de votre navigateur').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Imprimer' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    // Printed: no site chrome nor buttons, large text, every chosen place with its hours and QR code.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.fr-header').isVisible()).toBe(false);
    expect(await page.locator('footer').first().isVisible()).toBe(false);
    expect(await page.locator('.orientation-fiche__outils').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    // Large text: the hours and the address at 14 pt (18.67 px) at least.
    for (const selector of ['.orientation-fiche__jours li', '.orientation-fiche address', '.orientation-fiche__lieu > ul li']) {
      const size = await page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size, selector).toBeGreaterThanOrEqual(18.6);
    }
    for (const name of chosen) expect(await page.getByRole('heading', { name }).isVisible()).toBe(true);
    expect(await page.locator('.orientation-fiche__jours').first().innerText()).toMatch(/ouvert de \d+ h à \d+ h/);
    expect(await page.locator('svg.orientation-qr').count()).toBe(2);
    expect(await page.locator('.orientation-qr').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    if (process.env.MAILLAGE_SCREENSHOTS) {
      fs.writeFileSync(`${process.env.MAILLAGE_SCREENSHOTS}/fiche-orientation.pdf`, pdf);
      await page.screenshot({ path: `${process.env.MAILLAGE_SCREENSHOTS}/fiche-orientation-print.png`, fullPage: true });
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('works without JavaScript: plain GET forms, the back button and the previous-step link keep the answers', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/orientation`);
    await page.getByLabel('Adresse, commune ou code postal de la personne').fill('69100');
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await page.waitForURL(/\/orientation\/besoin\?q=69100/);
    expect(await page.locator('.orientation-recap').textContent()).toContain('Villeurbanne (69100)');
    await page.locator('label[for="orientation-services-0"]').click();
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await page.waitForURL(/\/orientation\/quand\?/);
    // Back button: step 2 again; the previous-step link brings the ticked need back.
    await page.goBack();
    expect(await stepState(page)).toBe('Étape 2 sur 4');
    await page.goForward();
    expect(await stepState(page)).toBe('Étape 3 sur 4');
    await page.getByRole('link', { name: 'Étape précédente' }).click();
    expect(await page.getByRole('checkbox', { name: /^Démarches en ligne/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await page.locator('label[for="orientation-quand-0"]').click(); // week-end
    await page.getByRole('button', { name: 'Voir les lieux' }).click();
    await page.waitForURL(/quand=week-end/);
    // Only places open on Saturday or Sunday, nearest first.
    expect(await listed(page)).toEqual(['Centre social de Villeurbanne', 'Boutique payante', 'Maison des Gratte-Ciel']);
    await page.locator('.orientation-result__nom', { hasText: 'Maison des Gratte-Ciel' }).click();
    await page.getByRole('button', { name: 'Préparer la fiche d’orientation' }).click();
    await page.waitForURL(/\/orientation\/fiche\?/);
    expect(await page.getByRole('heading', { name: 'Maison des Gratte-Ciel' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    expect(await page.getByText('Pour imprimer : menu de votre navigateur').isVisible()).toBe(true);
    expect(await page.getByText('Appelez avant de venir.').isVisible()).toBe(true);
  }, 90_000);

  it('says an unknown commune in the page, and fits a 320 px wide screen', async () => {
    const page = await newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(`${base}/orientation/besoin?q=Zzzyxville`);
    expect(await stepState(page)).toBe('Étape 1 sur 4');
    expect(await page.getByRole('alert').textContent()).toContain('Nous n’avons pas trouvé de commune « Zzzyxville »');
    const problems = await axeProblems(page, 'erreur');
    const widths: Record<string, number> = {};
    for (const url of [
      '/orientation',
      `/orientation/quand?q=Villeurbanne&rayon=10`,
      `/orientation/lieux?q=Villeurbanne&rayon=10`,
    ]) {
      await page.goto(`${base}${url}`);
      widths[url] = await page.evaluate(() => document.documentElement.scrollWidth);
    }
    await page.goto(`${base}/orientation/lieux?q=Villeurbanne&rayon=10`);
    await page.locator('label[for="orientation-lieu-0"]').click();
    await page.getByRole('button', { name: 'Préparer la fiche d’orientation' }).click();
    await page.waitForURL(/\/orientation\/fiche\?/);
    widths.fiche = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(Object.entries(widths).filter(([, w]) => w > 320)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
