// Shared plumbing of the real-Chromium tests: Debian's chromium with the flags this machine
// needs, pages that can reach nothing but the app under test, axe-core scans and sign-in.
import { expect, inject } from 'vitest';
import { text } from 'node:stream/consumers';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Download, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM, hasChromium } from './chromium.ts';

export { hasChromium } from './chromium.ts';
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);

/**
 * A connection to the run's one Chromium, launched by test/global-setup.ts and closed in its
 * teardown: launching one per file cost seconds each. Each file connects on its own and makes
 * its own contexts, so no cookie or storage is shared; its close() closes the contexts this
 * connection made and disconnects, leaving Chromium to the next file.
 */
export function connectChromium(): Promise<Browser> {
  return chromium.connect(inject('chromiumEndpoint'));
}

/** A download's content as text. Read as a stream: download.path() has no file over a connection. */
export async function downloadedText(download: Download): Promise<string> {
  return text(await download.createReadStream());
}

/** A fresh French browser context whose requests may only go to 127.0.0.1. */
export async function newLocalContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  // Nothing may leave the machine: every request goes to the app under test.
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  return { context, page: await context.newPage() };
}

export async function newLocalPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  return (await newLocalContext(browser, options)).page;
}

/**
 * axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each with where.
 * Only violations are read: resultTypes keeps one node per rule for passes, incomplete and
 * inapplicable, instead of every node, shipped through the protocol twice per scan.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAxeViolations(page)).toEqual([]);
}

/** Signs in through the sign-in form and waits for the account page. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${base}/compte`);
}
