// ProConnect sign-in in real Chromium: Maillage on 127.0.0.1 and a local OpenID provider
// (oidc-provider) on 127.0.0.1, whose login step answers at once. Axe scans of the sign-in
// page with the ProConnect button, of "Mon compte" after sign-in and of the error page.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { hasChromium, newLocalPage, expectAccessible } from '../helpers/browser.ts';
import { closeBrowserApp, serveForBrowser } from '../helpers/browser-app.ts';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';


let t: TestApp;
let op: TestOidcProvider;
let browser: Browser;
let base: string;

/** A free port for Maillage: the provider must know its redirect URI before the app starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  if (!hasChromium) return;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  op = await startOidcProvider({
    redirectUri: `${base}/connexion/proconnect/retour`,
    postLogoutRedirectUri: `${base}/`,
    user: { sub: 'navigateur-1', email: 'alex.durand@grandlyon.fr', given_name: 'Alex', usual_name: 'Durand', siret: '20004697700019', uid: '7' },
  });
  t = await buildTestApp({
    env: {
      MAILLAGE_PUBLIC_URL: base,
      MAILLAGE_PROCONNECT_ISSUER: op.issuer,
      MAILLAGE_PROCONNECT_CLIENT_ID: op.clientId,
      MAILLAGE_PROCONNECT_CLIENT_SECRET: op.clientSecret,
    },
  });
  ({ browser } = await serveForBrowser(t, port));
}, 60_000);

afterAll(async () => {
  await closeBrowserApp(browser, t);
  await op?.close();
});

// Only Maillage and the local provider answer (both on 127.0.0.1).
const newPage = () => newLocalPage(browser);

describe.skipIf(!hasChromium)('ProConnect sign-in in Chromium', () => {
  it('sign-in page → ProConnect → Mon compte (no territory yet) → sign-out at the provider', async () => {
    const page = await newPage();
    await page.goto(`${base}/connexion`);
    const button = page.getByRole('button', { name: 'S’identifier avec ProConnect' });
    await expect.poll(() => button.isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Qu’est-ce que ProConnect ?' }).getAttribute('target')).toBe('_blank');
    await expectAccessible(page);

    await button.click();
    await page.waitForURL(`${base}/compte`);
    expect(await page.locator('h1').textContent()).toBe('Mon compte');
    expect(await page.locator('main').textContent()).toContain('alex.durand@grandlyon.fr');
    expect(await page.locator('main').textContent()).toContain('Votre territoire n’est pas encore défini');
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${op.issuer}/session/end`));
    // The provider asks to confirm its own sign-out, then comes back to Maillage.
    await page.locator('button[name="logout"]').click();
    await page.waitForURL((url) => url.origin === base && url.pathname === '/'); // with the provider's ?state=
    await page.goto(`${base}/compte`);
    await page.waitForURL(`${base}/connexion`);
  }, 90_000);

  it('a callback that was not started in this browser shows an accessible French page', async () => {
    const page = await newPage();
    const response = await page.goto(`${base}/connexion/proconnect/retour?code=abc&state=etat-inconnu-0123456789`);
    expect(response?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('Connexion avec ProConnect impossible');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Retour à la page de connexion' }).click();
    await page.waitForURL(`${base}/connexion`);
  }, 60_000);
});
