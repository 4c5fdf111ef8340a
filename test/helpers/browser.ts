// Shared plumbing of the real-Chromium tests: Debian's chromium with the flags this machine
// needs, pages that can reach nothing but the app under test, axe-core scans and sign-in.
import fs from 'node:fs';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`);

// Without the background-networking flags Chromium keeps calling Google's hosts, which this
// closed network refuses.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
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

/** axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each with where. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
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
