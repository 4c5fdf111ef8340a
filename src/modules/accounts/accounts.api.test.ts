import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { sha256 } from './accounts.crypto.ts';

const mailer = createMemoryMailer();
let t: TestApp;
let ipCounter = 0;
// Each scenario comes from its own address so the per-IP limiter does not interfere.
const nextIp = () => `10.0.0.${++ipCounter}`;

beforeAll(async () => {
  // The test peers (10.0.0.x) are trusted proxies: X-Forwarded-Proto (Secure cookie) is believed.
  t = await buildTestApp({ mailer, env: { MAILLAGE_TRUST_PROXY: '10.0.0.0/8' } });
});
afterAll(async () => t?.close());

function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path}\\?jeton=([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return match[1]!;
}

async function post(url: string, body: unknown, ip: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, payload: body as object, remoteAddress: ip, headers });
}

function sessionCookie(res: { cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean }[] }) {
  return res.cookies.find((c) => c.name === SESSION_COOKIE);
}

describe('accounts: sign-up, verification, sign-in, sign-out', () => {
  it('walks the whole journey and stores only hashes', async () => {
    const ip = nextIp();
    const email = 'Camille.Martin@Example.org';
    const signUp = await post('/api/v1/compte/inscription', { email, password: 'un mot de passe solide' }, ip);
    expect(signUp.statusCode).toBe(201);
    const mail = mailer.sent.at(-1)!;
    expect(mail.to).toBe('camille.martin@example.org');
    expect(mail.subject).toContain('confirmez votre adresse');
    const token = linkToken(mail.text, '/compte/verifier');

    // Not verified yet: sign-in refused with the reason.
    const early = await post('/api/v1/compte/connexion', { email, password: 'un mot de passe solide' }, ip);
    expect(early.statusCode).toBe(403);
    expect(early.json().title).toContain('Confirmez');

    const stored = await t.deps.db.selectFrom('account_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).toContain(sha256(token));
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    expect((await post('/api/v1/compte/verification', { jeton: token }, ip)).statusCode).toBe(204);
    // Single use.
    const again = await post('/api/v1/compte/verification', { jeton: token }, ip);
    expect(again.statusCode).toBe(400);
    expect(again.json().title).toContain('a expiré');

    const login = await post('/api/v1/compte/connexion', { email: 'camille.martin@example.org', password: 'un mot de passe solide' }, ip);
    expect(login.statusCode).toBe(200);
    const cookie = sessionCookie(login)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const { csrf_token, role } = login.json();
    expect(role).toBe('gestionnaire');
    const sessions = await t.deps.db.selectFrom('sessions').select('id_hash').execute();
    expect(sessions.map((s) => s.id_hash)).toContain(sha256(cookie.value));

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/compte', cookies: { [SESSION_COOKIE]: cookie.value } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('camille.martin@example.org');

    // Logout without the CSRF token is refused; with it, the session is gone.
    const forged = await post('/api/v1/compte/deconnexion', undefined, ip, { cookie: `${SESSION_COOKIE}=${cookie.value}` });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().title).toContain('CSRF');
    const out = await post('/api/v1/compte/deconnexion', undefined, ip, { cookie: `${SESSION_COOKIE}=${cookie.value}`, 'x-csrf-token': csrf_token });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/compte', cookies: { [SESSION_COOKIE]: cookie.value } });
    expect(after.statusCode).toBe(401);
  });

  it('marks the cookie Secure behind https', async () => {
    const ip = nextIp();
    await post('/api/v1/compte/inscription', { email: 'secure@example.org', password: 'un mot de passe solide' }, ip);
    await post('/api/v1/compte/verification', { jeton: linkToken(mailer.sent.at(-1)!.text, '/compte/verifier') }, ip);
    const login = await post('/api/v1/compte/connexion', { email: 'secure@example.org', password: 'un mot de passe solide' }, ip, { 'x-forwarded-proto': 'https' });
    expect(login.statusCode).toBe(200);
    expect(sessionCookie(login)!.secure).toBe(true);
  });

  it('refuses bad sign-up input field by field, in French', async () => {
    const res = await post('/api/v1/compte/inscription', { email: 'pas-une-adresse', password: 'court' }, nextIp());
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['email', 'password']);
    const dup = await post('/api/v1/compte/inscription', { email: 'secure@example.org', password: 'un mot de passe solide' }, nextIp());
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0].message).toContain('existe déjà');
  });

  it('locks the account after 5 failures, even with the right password, until a reset', async () => {
    const ip = nextIp();
    const email = 'lock@example.org';
    await post('/api/v1/compte/inscription', { email, password: 'un mot de passe solide' }, ip);
    await post('/api/v1/compte/verification', { jeton: linkToken(mailer.sent.at(-1)!.text, '/compte/verifier') }, ip);
    for (let i = 0; i < 5; i++) {
      const bad = await post('/api/v1/compte/connexion', { email, password: `mauvais mot de passe ${i}` }, nextIp());
      expect(bad.statusCode).toBe(401);
      expect(bad.json().title).toBe('Adresse e-mail ou mot de passe incorrect.');
    }
    const locked = await post('/api/v1/compte/connexion', { email, password: 'un mot de passe solide' }, nextIp());
    expect(locked.statusCode).toBe(429);
    expect(locked.json().title).toContain('verrouillé');

    // Reset: same answer for unknown addresses; the link sets a new password and unlocks.
    const unknown = await post('/api/v1/compte/mot-de-passe-oublie', { email: 'personne@example.org' }, nextIp());
    expect(unknown.statusCode).toBe(202);
    const sentBefore = mailer.sent.length;
    const reset = await post('/api/v1/compte/mot-de-passe-oublie', { email }, nextIp());
    expect(reset.statusCode).toBe(202);
    expect(reset.json()).toEqual(unknown.json());
    expect(mailer.sent.length).toBe(sentBefore + 1);
    const mail = mailer.sent.at(-1)!;
    expect(mail.subject).toContain('nouveau mot de passe');
    const token = linkToken(mail.text, '/mot-de-passe/nouveau');
    const weak = await post('/api/v1/compte/mot-de-passe', { jeton: token, password: 'court' }, nextIp());
    expect(weak.statusCode).toBe(400);
    expect((await post('/api/v1/compte/mot-de-passe', { jeton: token, password: 'un tout nouveau mot de passe' }, nextIp())).statusCode).toBe(204);
    expect((await post('/api/v1/compte/mot-de-passe', { jeton: token, password: 'encore un autre mot de passe' }, nextIp())).statusCode).toBe(400);
    const old = await post('/api/v1/compte/connexion', { email, password: 'un mot de passe solide' }, nextIp());
    expect(old.statusCode).toBe(401);
    const ok = await post('/api/v1/compte/connexion', { email, password: 'un tout nouveau mot de passe' }, nextIp());
    expect(ok.statusCode).toBe(200);
  });

  it('rate-limits sign-in per IP with a French problem', async () => {
    const ip = nextIp();
    const limit = t.deps.config.authRateLimitPerMinute;
    for (let i = 0; i < limit; i++) {
      const res = await post('/api/v1/compte/connexion', { email: 'x@example.org', password: 'peu importe ici' }, ip);
      expect(res.statusCode).toBe(401);
    }
    const limited = await post('/api/v1/compte/connexion', { email: 'x@example.org', password: 'peu importe ici' }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().title).toContain('Trop de tentatives');
    // Another address is not affected.
    expect((await post('/api/v1/compte/connexion', { email: 'x@example.org', password: 'peu importe ici' }, nextIp())).statusCode).toBe(401);
  });

  it('refuses an expired verification link', async () => {
    const ip = nextIp();
    await post('/api/v1/compte/inscription', { email: 'late@example.org', password: 'un mot de passe solide' }, ip);
    const token = linkToken(mailer.sent.at(-1)!.text, '/compte/verifier');
    await t.deps.db.updateTable('account_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(token)).execute();
    const res = await post('/api/v1/compte/verification', { jeton: token }, ip);
    expect(res.statusCode).toBe(400);
  });
});
