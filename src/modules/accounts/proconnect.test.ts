// ProConnect sign-in end to end over HTTP: Maillage (app.inject) and a local OpenID provider on
// 127.0.0.1 (oidc-provider), with a small browser stand-in that follows redirects and keeps
// each host's cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { startOidcProvider, type TestOidcProvider } from '../../../test/helpers/oidc-provider.ts';
import { hashPassword } from './accounts.crypto.ts';
import { NO_PASSWORD } from './proconnect.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';

const MAILLAGE = 'http://maillage.test';
const REDIRECT_URI = `${MAILLAGE}/connexion/proconnect/retour`;

/** Follows redirects like a browser: Maillage's host goes to app.inject, others to fetch. */
class Browser {
  jars = new Map<string, Map<string, string>>();
  constructor(private t: TestApp) {}

  private jar(host: string) {
    if (!this.jars.has(host)) this.jars.set(host, new Map());
    return this.jars.get(host)!;
  }

  private keep(host: string, setCookies: string[]) {
    const jar = this.jar(host);
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1]!) < new Date()));
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  cookieHeader(host: string) {
    return [...this.jar(host)].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request; returns status, location, body. */
  async request(url: string, method = 'GET', form?: Record<string, string>): Promise<{ status: number; location: string | null; body: string; url: string; headers: Record<string, unknown> }> {
    const u = new URL(url);
    if (u.origin === MAILLAGE) {
      const res = await this.t.app.inject({
        method: method as 'GET' | 'POST',
        url: u.pathname + u.search,
        headers: { cookie: this.cookieHeader(u.host), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        payload: form ? new URLSearchParams(form).toString() : undefined,
      });
      const set = res.headers['set-cookie'];
      this.keep(u.host, set === undefined ? [] : Array.isArray(set) ? set : [set]);
      const location = typeof res.headers.location === 'string' ? new URL(res.headers.location, url).href : null;
      return { status: res.statusCode, location, body: res.body, url, headers: res.headers };
    }
    const res = await fetch(u, { method, redirect: 'manual', headers: { cookie: this.cookieHeader(u.host) } });
    this.keep(u.host, res.headers.getSetCookie());
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, url).href : null, body: await res.text(), url, headers: Object.fromEntries(res.headers) };
  }

  /** Follows redirects (GET) until a page answers. */
  async follow(url: string, method = 'GET', form?: Record<string, string>) {
    let res = await this.request(url, method, form);
    const visited = [url];
    for (let i = 0; i < 15 && res.location && res.status >= 300 && res.status < 400; i++) {
      visited.push(res.location);
      res = await this.request(res.location);
    }
    return { ...res, visited };
  }
}

describe('ProConnect sign-in', () => {
  let t: TestApp;
  let op: TestOidcProvider;

  beforeAll(async () => {
    op = await startOidcProvider({
      redirectUri: REDIRECT_URI,
      postLogoutRedirectUri: `${MAILLAGE}/`,
      user: { sub: 'agent-sub-1', email: 'Camille.Martin@Lyon.fr', given_name: 'Camille', usual_name: 'Martin', siret: '21690123100011', uid: '42' },
    });
    t = await buildTestApp({
      env: {
        MAILLAGE_PUBLIC_URL: MAILLAGE,
        MAILLAGE_PROCONNECT_ISSUER: op.issuer,
        MAILLAGE_PROCONNECT_CLIENT_ID: op.clientId,
        MAILLAGE_PROCONNECT_CLIENT_SECRET: op.clientSecret,
        MAILLAGE_AUTH_RATE_LIMIT: '1000',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await op?.close();
  });

  it('shows the ProConnect button on the sign-in page', async () => {
    const page = await new Browser(t).request(`${MAILLAGE}/connexion`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('action="/connexion/proconnect"');
    expect(page.body).toMatch(/S’identifier avec<\/span>.*ProConnect/);
    expect(page.body).toContain('Qu’est-ce que ProConnect ?');
    // The button's form and the sign-out form are answered by redirects to the provider.
    const formAction = String(page.headers['content-security-policy']).split(';').map((d) => d.trim()).find((d) => d.startsWith('form-action'));
    expect(formAction).toBe(`form-action 'self' ${op.issuer}`);
  });

  it('signs a new agent in, creates an agent_territorial account without territory, then links the same account', async () => {
    const browser = new Browser(t);
    const first = await browser.follow(`${MAILLAGE}/connexion/proconnect`);
    // Went to the provider with PKCE, state, nonce and ProConnect's scopes, then came back.
    const authorize = new URL(first.visited.find((u) => u.startsWith(`${op.issuer}/auth`))!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('openid email given_name usual_name siret uid');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(first.url).toBe(`${MAILLAGE}/compte`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('camille.martin@lyon.fr');
    expect(first.body).toContain('Votre territoire n’est pas encore défini');

    const accounts = await t.deps.db.selectFrom('accounts').select(['id', 'role', 'email_verified_at']).where('email', '=', 'camille.martin@lyon.fr').execute();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.role).toBe('agent_territorial');
    expect(accounts[0]!.email_verified_at).not.toBeNull();
    const scopes = await t.deps.db.selectFrom('account_scopes').selectAll().where('account_id', '=', accounts[0]!.id).execute();
    expect(scopes).toEqual([]);
    const links = await t.deps.db.selectFrom('proconnect_links').selectAll().execute();
    expect(links.map((l) => [l.sub, l.account_id])).toEqual([['agent-sub-1', accounts[0]!.id]]);

    // A second sign-in (another browser) lands in the same account, no new one.
    const second = await new Browser(t).follow(`${MAILLAGE}/connexion/proconnect`);
    expect(second.url).toBe(`${MAILLAGE}/compte`);
    const count = await t.deps.db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const sessions = await t.deps.db.selectFrom('sessions').select('account_id').execute();
    expect(sessions.map((s) => s.account_id)).toEqual([accounts[0]!.id, accounts[0]!.id]);

    // Signing out also signs out at the provider, with the id_token as hint.
    const out = await browser.request(`${MAILLAGE}/deconnexion`, 'POST', { _csrf: /name="_csrf" value="([^"]+)"/.exec(first.body)![1]! });
    expect(out.status).toBe(303);
    const end = new URL(out.location!);
    expect(end.origin + end.pathname).toBe(`${op.issuer}/session/end`);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${MAILLAGE}/`);
    const atProvider = await browser.request(out.location!);
    expect(atProvider.status).toBe(200); // the provider accepted the hint and asks to confirm
    expect((await browser.request(`${MAILLAGE}/compte`)).location).toBe(`${MAILLAGE}/connexion`);
    // Only the second browser's session (and its id_token) remains.
    expect(await t.deps.db.selectFrom('proconnect_sessions').select('id_token').execute()).toHaveLength(1);
  });

  it('links an existing account by its e-mail and keeps its role and scopes', async () => {
    const id = crypto.randomUUID();
    await t.deps.db
      .insertInto('accounts')
      .values({ id, email: 'dominique@rhone.fr', password_hash: await hashPassword('un mot de passe solide'), role: 'agent_territorial', email_verified_at: new Date(), created_at: new Date(), updated_at: new Date() })
      .execute();
    await t.deps.db.insertInto('account_scopes').values({ account_id: id, kind: 'departement', code: '69' }).execute();
    op.user = { sub: 'agent-sub-2', email: 'dominique@rhone.fr' };
    const page = await new Browser(t).follow(`${MAILLAGE}/connexion/proconnect`);
    expect(page.url).toBe(`${MAILLAGE}/compte`);
    expect(page.body).not.toContain('Votre territoire n’est pas encore défini');
    expect(page.body).toContain('departement 69');
    const link = await t.deps.db.selectFrom('proconnect_links').select('account_id').where('sub', '=', 'agent-sub-2').executeTakeFirstOrThrow();
    expect(link.account_id).toBe(id);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('account_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(['account.link.proconnect']);
  });

  it('takes over an unconfirmed sign-up with the same e-mail: its password and sessions are dropped', async () => {
    const signUp = await t.app.inject({ method: 'POST', url: '/api/v1/compte/inscription', payload: { email: 'morgan@savoie.fr', password: 'mot de passe choisi par un tiers' } });
    expect(signUp.statusCode).toBe(201);
    const before = await t.deps.db.selectFrom('accounts').select(['id', 'email_verified_at', 'role']).where('email', '=', 'morgan@savoie.fr').executeTakeFirstOrThrow();
    expect(before.email_verified_at).toBeNull();
    op.user = { sub: 'agent-sub-5', email: 'morgan@savoie.fr' };
    const page = await new Browser(t).follow(`${MAILLAGE}/connexion/proconnect`);
    expect(page.url).toBe(`${MAILLAGE}/compte`);
    const after = await t.deps.db.selectFrom('accounts').select(['id', 'email_verified_at', 'password_hash']).where('email', '=', 'morgan@savoie.fr').executeTakeFirstOrThrow();
    expect(after.id).toBe(before.id);
    expect(after.email_verified_at).not.toBeNull();
    expect(after.password_hash).toBe(NO_PASSWORD);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/compte/connexion', payload: { email: 'morgan@savoie.fr', password: 'mot de passe choisi par un tiers' } });
    expect(login.statusCode).toBe(401);
  });

  it('refuses a callback whose state does not match the browser’s cookie, with a French page', async () => {
    op.user = { sub: 'agent-sub-3', email: 'claude@ain.fr' };
    const victim = new Browser(t);
    const attacker = new Browser(t);
    // The attacker starts a flow and stops at the callback URL…
    let res = await attacker.request(`${MAILLAGE}/connexion/proconnect`);
    while (res.location && !res.location.startsWith(REDIRECT_URI)) res = await attacker.request(res.location);
    const callback = res.location!;
    // …and makes the victim's browser open it: no state cookie there, refused.
    const page = await victim.request(callback);
    expect(page.status).toBe(400);
    expect(page.body).toContain('Connexion avec ProConnect impossible');
    expect(page.body).toContain('n’a pas été commencée dans ce navigateur');
    expect(page.body).toContain('lang="fr"');
    // Own flow, tampered state: refused too.
    const mine = await victim.request(`${MAILLAGE}/connexion/proconnect`);
    expect(mine.status).toBe(303);
    const tampered = await victim.request(`${REDIRECT_URI}?code=abc&state=pas-le-bon-etat-0123456789`);
    expect(tampered.status).toBe(400);
    expect(await t.deps.db.selectFrom('accounts').select('id').where('email', '=', 'claude@ain.fr').execute()).toEqual([]);
  });

  it('shows the provider’s refusal as a French page', async () => {
    const browser = new Browser(t);
    const start = await browser.request(`${MAILLAGE}/connexion/proconnect`);
    const state = new URL(start.location!).searchParams.get('state')!;
    const page = await browser.request(`${REDIRECT_URI}?error=access_denied&state=${state}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('vous avez annulé la connexion ou elle a été refusée');
  });

  it('refuses a replayed callback (the flow is single use)', async () => {
    op.user = { sub: 'agent-sub-4', email: 'sacha@isere.fr' };
    const browser = new Browser(t);
    let res = await browser.request(`${MAILLAGE}/connexion/proconnect`);
    const stateCookie = browser.cookieHeader('maillage.test');
    while (res.location && !res.location.startsWith(REDIRECT_URI)) res = await browser.request(res.location);
    const callback = res.location!;
    expect((await browser.request(callback)).status).toBe(303);
    const replay = new Browser(t);
    replay.jars.set('maillage.test', new Map(stateCookie.split('; ').map((c) => c.split('=') as [string, string])));
    const again = await replay.request(callback);
    expect(again.status).toBe(400);
  });
});

describe('ProConnect provider down', () => {
  it('shows a French 503 page, never a 500', async () => {
    const t = await buildTestApp({
      env: { MAILLAGE_PROCONNECT_ISSUER: 'http://127.0.0.1:9', MAILLAGE_PROCONNECT_CLIENT_ID: 'x', MAILLAGE_PROCONNECT_CLIENT_SECRET: 'y' },
    });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/connexion/proconnect' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('ProConnect ne répond pas pour le moment');
    } finally {
      await t.close();
    }
  });
});

describe('ProConnect not configured', () => {
  it('hides the button and has no ProConnect routes', async () => {
    const t = await buildTestApp();
    try {
      const page = await t.app.inject({ method: 'GET', url: '/connexion' });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('ProConnect');
      expect(String(page.headers['content-security-policy'])).toContain("form-action 'self';");
      expect((await t.app.inject({ method: 'GET', url: '/connexion/proconnect' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/connexion/proconnect/retour?code=a&state=b' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('ProConnect configuration', () => {
  it('is off without an issuer, complete with one, and refuses a half-set configuration in French', () => {
    expect(loadConfig({}).proconnect).toBeNull();
    const on = loadConfig({
      MAILLAGE_PUBLIC_URL: 'https://maillage.example.fr/',
      MAILLAGE_PROCONNECT_ISSUER: 'https://auth.agentconnect.gouv.fr/api/v2',
      MAILLAGE_PROCONNECT_CLIENT_ID: 'id',
      MAILLAGE_PROCONNECT_CLIENT_SECRET: 'secret',
    }).proconnect;
    expect(on).toEqual({
      issuer: 'https://auth.agentconnect.gouv.fr/api/v2',
      clientId: 'id',
      clientSecret: 'secret',
      redirectUri: 'https://maillage.example.fr/connexion/proconnect/retour',
      postLogoutRedirectUri: 'https://maillage.example.fr/',
    });
    expect(() => loadConfig({ MAILLAGE_PROCONNECT_ISSUER: 'https://auth.example.fr' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAILLAGE_PROCONNECT_ISSUER: 'https://auth.example.fr' })).toThrow(/MAILLAGE_PROCONNECT_CLIENT_ID/);
    expect(() => loadConfig({ MAILLAGE_PROCONNECT_ISSUER: 'auth.example.fr', MAILLAGE_PROCONNECT_CLIENT_ID: 'a', MAILLAGE_PROCONNECT_CLIENT_SECRET: 'b' })).toThrow(/URL http/);
  });
});
