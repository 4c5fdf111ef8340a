// Set-up shared by the real-Chromium tests: an account that can sign in with a password, and
// the test app served on 127.0.0.1 with a Chromium to browse it.
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { TestApp } from './app.ts';
import { connectChromium } from './browser.ts';
import { createMemoryMailer, type Mailer } from '../../src/lib/mailer.ts';
import { createAccountByOperator, resetPassword } from '../../src/modules/accounts/accounts.use-cases.ts';
import type { Role } from '../../src/modules/accounts/accounts.tables.ts';
import type { Scope } from '../../src/modules/accounts/authorize.ts';

/**
 * Creates an account by operator and sets its password through the reset link, as its owner
 * would. A gestionnaire given no scope ends with none, like one that signed up by itself (the
 * operator command requires a place, so a placeholder is given and then removed).
 * The operator's e-mail goes to `mailer` (a throw-away one unless the test reads it).
 */
export async function accountWithPassword(
  t: TestApp,
  input: { email: string; role: Role; scopes?: Scope[] },
  password: string,
  mailer: Mailer = createMemoryMailer(),
): Promise<string> {
  const accounts = { db: t.deps.db, clock: t.deps.clock, mailer, publicUrl: 'http://test' };
  const placeholder = input.role === 'gestionnaire' && !input.scopes?.length ? '00000000-0000-4000-8000-000000000000' : undefined;
  const scopes = placeholder ? [{ kind: 'lieu' as const, code: placeholder }] : (input.scopes ?? []);
  const { id, resetLink } = await createAccountByOperator(accounts, { email: input.email, role: input.role, scopes });
  if (placeholder) await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).where('code', '=', placeholder).execute();
  await resetPassword(accounts, new URL(resetLink).searchParams.get('jeton'), password);
  return id;
}

/** Listens on 127.0.0.1 (any free port unless given) and connects to the run's Chromium. */
export async function serveForBrowser(t: TestApp, port = 0): Promise<{ base: string; browser: Browser }> {
  await t.app.listen({ host: '127.0.0.1', port });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  return { base, browser: await connectChromium() };
}

/** Closes the browser connection (with its contexts), then the app: either may be missing when the set-up failed half-way. */
export async function closeBrowserApp(browser: Browser | undefined, t: TestApp | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}
