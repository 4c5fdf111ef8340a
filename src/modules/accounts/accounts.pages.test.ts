// The account pages as a browser without JavaScript uses them: forms, hidden CSRF tokens,
// cookies and the e-mailed links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { CSRF_COOKIE } from '../../server/plugins/csrf.ts';

const mailer = createMemoryMailer();
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ mailer });
});
afterAll(async () => t?.close());

const hiddenCsrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function getForm(url: string, cookies: Record<string, string> = {}) {
  const res = await t.app.inject({ method: 'GET', url, cookies, headers: { accept: 'text/html' } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === CSRF_COOKIE)?.value ?? cookies[CSRF_COOKIE];
  return { html: res.body, csrf: hiddenCsrf(res.body), cookies: { ...cookies, ...(cookie ? { [CSRF_COOKIE]: cookie } : {}) } };
}

function postForm(url: string, fields: Record<string, string>, cookies: Record<string, string>) {
  return t.app.inject({ method: 'POST', url, cookies, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
}

describe('account pages', () => {
  it('sign up → verify by the e-mailed link → sign in → my account → sign out', async () => {
    const signUp = await getForm('/inscription');
    expect(signUp.html).toContain('Créer un compte');
    const created = await postForm('/inscription', { _csrf: signUp.csrf, email: 'page@example.org', password: 'un mot de passe solide' }, signUp.cookies);
    expect(created.statusCode).toBe(201);
    expect(created.body).toContain('Votre compte est créé');

    const link = new URL(/https?:\/\/\S+\/compte\/verifier\?jeton=\S+/.exec(mailer.sent.at(-1)!.text)![0]);
    const verify = await getForm(link.pathname + link.search, signUp.cookies);
    const jeton = link.searchParams.get('jeton')!;
    expect(verify.html).toContain(`value="${jeton}"`);
    const verified = await postForm('/compte/verifier', { _csrf: verify.csrf, jeton }, verify.cookies);
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('Votre adresse est confirmée');

    const signIn = await getForm('/connexion', verify.cookies);
    const wrong = await postForm('/connexion', { _csrf: signIn.csrf, email: 'page@example.org', password: 'pas le bon mot de passe' }, signIn.cookies);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Adresse e-mail ou mot de passe incorrect.');
    const ok = await postForm('/connexion', { _csrf: signIn.csrf, email: 'page@example.org', password: 'un mot de passe solide' }, signIn.cookies);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/compte');
    const session = ok.cookies.find((c) => c.name === SESSION_COOKIE)!.value;

    const account = await getForm('/compte', { [SESSION_COOKIE]: session });
    expect(account.html).toContain('page@example.org');
    expect(account.html).toContain('gestionnaire de lieu');
    const forged = await postForm('/deconnexion', { _csrf: signIn.csrf }, { [SESSION_COOKIE]: session });
    expect(forged.statusCode).toBe(403);
    const out = await postForm('/deconnexion', { _csrf: account.csrf }, { [SESSION_COOKIE]: session });
    expect(out.statusCode).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: '/compte', cookies: { [SESSION_COOKIE]: session } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/connexion');
  });

  it('refuses an anonymous form without the matching CSRF cookie', async () => {
    const page = await getForm('/connexion');
    const noCookie = await postForm('/connexion', { _csrf: page.csrf, email: 'a@example.org', password: 'x' }, {});
    expect(noCookie.statusCode).toBe(403);
    expect(noCookie.body).toContain('Jeton de sécurité');
  });

  it('sets a new password through the reset page', async () => {
    const signUp = await getForm('/inscription');
    await postForm('/inscription', { _csrf: signUp.csrf, email: 'oubli@example.org', password: 'un mot de passe solide' }, signUp.cookies);
    const forgot = await getForm('/mot-de-passe-oublie', signUp.cookies);
    const sent = await postForm('/mot-de-passe-oublie', { _csrf: forgot.csrf, email: 'oubli@example.org' }, forgot.cookies);
    expect(sent.body).toContain('Si un compte existe');
    const link = new URL(/https?:\/\/\S+\/mot-de-passe\/nouveau\?jeton=\S+/.exec(mailer.sent.at(-1)!.text)![0]);
    const page = await getForm(link.pathname + link.search, forgot.cookies);
    const short = await postForm('/mot-de-passe/nouveau', { _csrf: page.csrf, jeton: link.searchParams.get('jeton')!, password: 'court' }, page.cookies);
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('au moins 12 caractères');
    const done = await postForm('/mot-de-passe/nouveau', { _csrf: page.csrf, jeton: link.searchParams.get('jeton')!, password: 'un nouveau mot de passe' }, page.cookies);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Votre mot de passe est enregistré');
  });
});
