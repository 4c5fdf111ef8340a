// Freshness over HTTP: the public mention, the managers' page and its CSRF-protected form,
// and the e-mailed link (GET shows a button and changes nothing; POST confirms once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { CSRF_COOKIE } from '../../server/plugins/csrf.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import { createLieu, getLieu } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { sendFreshnessReminders } from './freshness.use-cases.ts';

let t: TestApp;
const mailer = createMemoryMailer();
const now = new Date('2026-08-15T10:00:00Z');
let managed: Lieu, other: Lieu;
let session: { cookie: string; csrf: string };
let counter = 0;

const place = (date_maj: string, extra: Record<string, unknown> = {}) => ({
  pivot: '21690123100011',
  nom: `Espace numérique ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: '30 boulevard Vivier-Merle',
  date_maj,
  latitude: 45.7607,
  longitude: 4.8583,
  ...extra,
});
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (cookie: string) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' });

beforeAll(async () => {
  t = await buildTestApp({ clock: { now: () => new Date(now) }, mailer });
  managed = await createLieu(t.deps, place('2025-11-02', { horaires: 'Mo-Fr 09:00-12:00', services: ['Aide aux démarches administratives'] }), { kind: 'cli' });
  other = await createLieu(t.deps, place('2025-01-10'), { kind: 'cli' });
  const accounts = { db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' };
  const { id } = await createAccountByOperator(accounts, { email: 'epn@example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: managed.id }] });
  const s = await openSession(t.deps, id);
  session = { cookie: `${SESSION_COOKIE}=${s.sessionId}`, csrf: s.csrfToken };
});
afterAll(async () => t?.close());

describe('public place page', () => {
  it('says how long ago the place was updated, with the exact date in a <time>', async () => {
    const res = await t.app.inject({ url: `/lieux/${managed.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Mis à jour il y a 9 mois (<time datetime="2025-11-02">le 2 novembre 2025</time>)');
  });
});

describe('managers’ page', () => {
  it('is linked from the manager’s account page', async () => {
    const res = await t.app.inject({ url: '/compte', headers: { cookie: session.cookie } });
    expect(res.body).toContain('href="/compte/fraicheur"');
  });

  it('asks to sign in', async () => {
    const res = await t.app.inject({ url: '/compte/fraicheur' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/connexion');
  });

  it('shows the freshness status, the completeness score and what to fill in, with the confirm form', async () => {
    const res = await t.app.inject({ url: '/compte/fraicheur', headers: { cookie: session.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(managed.nom);
    expect(res.body).not.toContain(other.nom);
    expect(res.body).toContain('À vérifier');
    expect(res.body).toContain('Complétude : <strong>38 %</strong>'); // horaires 15 + services 15 + position 8
    expect(res.body).toContain('Téléphone ou adresse e-mail');
    expect(res.body).not.toContain('Horaires d’ouverture');
    expect(res.body).toContain(`action="/compte/fraicheur/${managed.id}"`);
    expect(res.body).toContain(`name="_csrf" value="${session.csrf}"`);
  });

  it('refuses the confirmation without the CSRF token, and for a place the account does not manage', async () => {
    const noCsrf = await t.app.inject({ method: 'POST', url: `/compte/fraicheur/${managed.id}`, headers: formHeaders(session.cookie), payload: form({}) });
    expect(noCsrf.statusCode).toBe(403);
    const notMine = await t.app.inject({ method: 'POST', url: `/compte/fraicheur/${other.id}`, headers: formHeaders(session.cookie), payload: form({ _csrf: session.csrf }) });
    expect(notMine.statusCode).toBe(403);
    expect(notMine.body).toContain('Ce lieu n’est pas géré par votre compte');
    expect((await getLieu(t.deps, managed.id)).date_maj).toBe('2025-11-02');
    expect((await getLieu(t.deps, other.id)).date_maj).toBe('2025-01-10');
  });

  it('“Ces informations sont toujours à jour” makes the place fresh without changing its fields', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/compte/fraicheur/${managed.id}`, headers: formHeaders(session.cookie), payload: form({ _csrf: session.csrf }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/compte/fraicheur?confirme=${managed.id}`);
    const after = await getLieu(t.deps, managed.id);
    expect(after.date_maj).toBe('2026-08-15');
    expect(after.horaires).toBe(managed.horaires);
    const page = await t.app.inject({ url: res.headers.location as string, headers: { cookie: session.cookie } });
    expect(page.body).toContain('sont confirmées à jour aujourd’hui');
    const pub = await t.app.inject({ url: `/lieux/${managed.id}` });
    expect(pub.body).toContain('Mis à jour aujourd’hui (<time datetime="2026-08-15">');
  });
});

describe('the e-mailed link', () => {
  let jeton: string;
  beforeAll(async () => {
    await t.deps.db.updateTable('lieux').set({ date_maj: '2025-06-01' }).where('id', '=', managed.id).execute();
    const result = await sendFreshnessReminders({ ...t.deps, mailer, config: t.deps.config });
    expect(result.sent).toBe(1);
    jeton = /jeton=([A-Za-z0-9_-]+)/.exec(mailer.sent.at(-1)!.text)![1]!;
  });

  it('GET shows the place and a POST button, and changes nothing', async () => {
    const res = await t.app.inject({ url: `/fraicheur/confirmer?jeton=${jeton}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(managed.nom);
    expect(res.body).toContain('method="post" action="/fraicheur/confirmer"');
    expect(res.body).toContain(`name="jeton" value="${jeton}"`);
    expect((await getLieu(t.deps, managed.id)).date_maj).toBe('2025-06-01');
  });

  it('a forged or missing token gets a French message, not a 500', async () => {
    const forged = await t.app.inject({ url: '/fraicheur/confirmer?jeton=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('Ce lien de confirmation n’est pas valide');
    const missing = await t.app.inject({ url: '/fraicheur/confirmer' });
    expect(missing.statusCode).toBe(400);
  });

  it('POST without the CSRF cookie is refused; with it, the place is confirmed once', async () => {
    const page = await t.app.inject({ url: `/fraicheur/confirmer?jeton=${jeton}` });
    const csrfCookie = page.cookies.find((c) => c.name === CSRF_COOKIE)!.value;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const refused = await t.app.inject({ method: 'POST', url: '/fraicheur/confirmer', headers: formHeaders(''), payload: form({ jeton, _csrf: csrf }) });
    expect(refused.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/fraicheur/confirmer', headers: formHeaders(`${CSRF_COOKIE}=${csrfCookie}`), payload: form({ jeton, _csrf: csrf }) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('sont confirmées à jour');
    expect((await getLieu(t.deps, managed.id)).date_maj).toBe('2026-08-15');
    const again = await t.app.inject({ method: 'POST', url: '/fraicheur/confirmer', headers: formHeaders(`${CSRF_COOKIE}=${csrfCookie}`), payload: form({ jeton, _csrf: csrf }) });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Ce lien a déjà servi');
  });
});
