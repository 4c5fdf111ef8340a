// Contribution pages over HTTP: the edit form (pre-filled, CSRF), its confirmation step with
// the field diff, field errors with the values kept, the history, and import conflicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import { getLieu } from '../lieux/lieux.use-cases.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { runImport } from '../imports/imports.use-cases.ts';
import { formValuesOf, type FormValues } from './edit-form.ts';

let t: TestApp;
let now = new Date('2026-05-04T08:00:00Z');
let lieuId: string;
let manager: { cookie: string; csrf: string };
let stranger: { cookie: string; csrf: string };
const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,horaires,services';
const file = (horaires: string) =>
  Buffer.from(`${header}\nh1,21390198000024,Médiathèque de Dole,Dole,39100,39198,2 rue Bauzonnet,47.0920,5.4900,2024-05-02,${horaires},Aide aux démarches administratives\n`);

const body = (values: FormValues) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value ?? '']) params.append(name, v);
  return params.toString();
};
const post = (url: string, who: { cookie: string }, values: FormValues) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: body(values) });
const get = (url: string, who?: { cookie: string }) => t.app.inject({ url, headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
const editUrl = () => `/compte/lieux/${lieuId}/modifier`;
const current = async () => formValuesOf(await getLieu(t.deps, lieuId));

beforeAll(async () => {
  t = await buildTestApp({ clock: { now: () => new Date(now) } });
  await addSource(t.deps, { name: 'cd39', producer: 'Département du Jura' });
  await runImport(t.deps, { source: 'cd39', bytes: file('Mo-Fr 09:00-12:00') });
  lieuId = (await t.deps.db.selectFrom('lieu_sources').select('lieu_id').executeTakeFirstOrThrow()).lieu_id;
  const accounts = { db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' };
  const sessionOf = async (email: string, scopes: { kind: 'lieu'; code: string }[]) => {
    const { id } = await createAccountByOperator(accounts, { email, role: 'gestionnaire', scopes });
    const s = await openSession(t.deps, id);
    return { cookie: `${SESSION_COOKIE}=${s.sessionId}`, csrf: s.csrfToken };
  };
  manager = await sessionOf('dole@example.org', [{ kind: 'lieu', code: lieuId }]);
  stranger = await sessionOf('autre@example.org', [{ kind: 'lieu', code: '0b7e6a52-3a44-4d7c-9a55-0d9a3c7d1f10' }]);
});
afterAll(async () => t?.close());

describe('edit page', () => {
  it('asks to sign in, and refuses an account that does not manage the place', async () => {
    const anonymous = await get(editUrl());
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/connexion');
    const refused = await get(editUrl(), stranger);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Ce lieu n’est pas géré par votre compte.');
  });

  it('is linked from “Mes lieux”, “Mon compte” and the public place page of its manager only', async () => {
    expect((await get('/compte/lieux', manager)).body).toContain(`href="/compte/lieux/${lieuId}/modifier"`);
    expect((await get('/compte', manager)).body).toContain('href="/compte/lieux"');
    expect((await get(`/lieux/${lieuId}`, manager)).body).toContain(`href="/compte/lieux/${lieuId}/modifier"`);
    expect((await get(`/lieux/${lieuId}`, stranger)).body).not.toContain(`/compte/lieux/${lieuId}/modifier`);
    expect((await get(`/lieux/${lieuId}`)).body).not.toContain(`/compte/lieux/${lieuId}/modifier`);
  });

  it('shows every editable field pre-filled, enumerations as checkboxes, with the session’s CSRF token', async () => {
    const res = await get(editUrl(), manager);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`name="_csrf" value="${manager.csrf}"`);
    expect(res.body).toMatch(/<label class="fr-label" for="champ-horaires">Horaires d’ouverture/);
    expect(res.body).toContain('id="champ-horaires" name="horaires" aria-describedby="champ-horaires-messages"');
    expect(res.body).toContain('value="Mo-Fr 09:00-12:00"');
    expect(res.body).toMatch(/name="services" value="Aide aux démarches administratives" checked/);
    expect(res.body).toMatch(/name="services" value="Loisirs et créations numériques"\/>/);
    expect(res.body).toContain('name="frais_a_charge" value="Payant"');
  });

  it('refuses a submission without the CSRF token and changes nothing', async () => {
    const res = await post(editUrl(), manager, { ...(await current()), horaires: 'Mo 10:00-11:00', etape: 'verifier' });
    expect(res.statusCode).toBe(403);
    const saved = await post(editUrl(), manager, { ...(await current()), horaires: 'Mo 10:00-11:00', etape: 'enregistrer', _csrf: 'faux' });
    expect(saved.statusCode).toBe(403);
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 09:00-12:00');
  });

  it('shows the field errors in French with a summary, keeps the values, saves nothing', async () => {
    const res = await post(editUrl(), manager, { ...(await current()), horaires: 'quand on peut', code_postal: '', telephone: '12', _csrf: manager.csrf, etape: 'verifier' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('3 champs sont à corriger');
    expect(res.body).toContain('href="#champ-horaires"');
    expect(res.body).toContain('fr-input-group fr-input-group--error');
    expect(res.body).toContain('value="quand on peut"');
    expect(res.body).toMatch(/<p class="fr-message fr-message--error">[^<]+<\/p>/);
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 09:00-12:00');
  });

  it('confirms with the field diff before saving; “Revenir au formulaire” keeps the values', async () => {
    const values = { ...(await current()), horaires: 'Mo-Fr 10:00-18:00', services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'] };
    const res = await post(editUrl(), manager, { ...values, _csrf: manager.csrf, etape: 'verifier' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<caption>Vos modifications</caption>');
    expect(res.body).toContain('<td>Horaires d’ouverture</td><td>Mo-Fr 09:00-12:00</td><td>Mo-Fr 10:00-18:00</td>');
    expect(res.body).toContain('<td>Services proposés</td><td>—</td><td>Ajouté : Loisirs et créations numériques</td>');
    expect(res.body).toContain('name="etape" value="enregistrer"');
    expect(res.body).toContain('<input type="hidden" name="services" value="Loisirs et créations numériques"/>');
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 09:00-12:00');

    const back = await post(editUrl(), manager, { ...values, _csrf: manager.csrf, etape: 'corriger' });
    expect(back.body).toContain('value="Mo-Fr 10:00-18:00"');
  });

  it('says so when nothing changed', async () => {
    const res = await post(editUrl(), manager, { ...(await current()), _csrf: manager.csrf, etape: 'verifier' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Vous n’avez modifié aucune information');
  });

  it('does not save over a change made since the diff was shown: shows the diff again (409)', async () => {
    const values = { ...(await current()), nom: 'Médiathèque Bauzonnet' };
    const res = await post(editUrl(), manager, { ...values, _csrf: manager.csrf, etape: 'enregistrer', vu: '2020-01-01T00:00:00.000Z' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Ce lieu a été modifié par ailleurs');
    expect(res.body).toContain('<td>Nom du lieu</td><td>Médiathèque de Dole</td><td>Médiathèque Bauzonnet</td>');
    expect((await getLieu(t.deps, lieuId)).nom).toBe('Médiathèque de Dole');
  });

  it('saves on confirmation, then shows the history with the edit', async () => {
    const lieu = await getLieu(t.deps, lieuId);
    const values = { ...formValuesOf(lieu), horaires: 'Mo-Fr 10:00-18:00', services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'] };
    const res = await post(editUrl(), manager, { ...values, _csrf: manager.csrf, etape: 'enregistrer', vu: lieu.updated_at });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/compte/lieux/${lieuId}/historique?enregistre=1`);
    expect(await getLieu(t.deps, lieuId)).toMatchObject({ horaires: 'Mo-Fr 10:00-18:00', services: ['Aide aux démarches administratives', 'Loisirs et créations numériques'] });

    const history = await get(res.headers.location as string, manager);
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('Vos modifications sont enregistrées.');
    expect(history.body).toMatch(/Version 2 : Modification/);
    expect(history.body).toContain('par <strong>Vous</strong>');
    expect(history.body).toContain('par <strong>Source « cd39 » (Département du Jura)</strong>');
    expect(history.body).not.toContain('dole@example.org');
    expect((await get(`/compte/lieux/${lieuId}/historique`, stranger)).statusCode).toBe(403);
  });
});

describe('import conflicts', () => {
  it('are shown on “Mes lieux” and the edit page, and “Garder ma valeur” closes them', async () => {
    now = new Date('2026-05-06T08:00:00Z');
    await runImport(t.deps, { source: 'cd39', bytes: file('Mo-Sa 09:00-12:00') });
    const text = 'La source « cd39 » indique une autre valeur pour « Horaires d’ouverture » : <strong>Mo-Sa 09:00-12:00</strong>. Votre valeur est conservée';
    expect((await get('/compte/lieux', manager)).body).toContain(text);
    const page = await get(editUrl(), manager);
    expect(page.body).toContain(text);
    const conflict = await t.deps.db.selectFrom('lieu_conflicts').select('id').executeTakeFirstOrThrow();
    const url = `/compte/lieux/${lieuId}/conflits/${conflict.id}`;

    expect((await post(url, manager, { decision: 'garder', retour: 'liste' })).statusCode).toBe(403); // no CSRF token
    expect((await post(url, stranger, { decision: 'garder', _csrf: stranger.csrf })).statusCode).toBe(403);
    const res = await post(url, manager, { decision: 'garder', retour: 'liste', _csrf: manager.csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/compte/lieux?conflit=garde');
    const list = await get('/compte/lieux?conflit=garde', manager);
    expect(list.body).toContain('Votre valeur est conservée : ce conflit est clos.');
    expect(list.body).not.toContain(text);
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Fr 10:00-18:00');
  });

  it('“Reprendre la valeur de la source” applies it as the manager’s edit', async () => {
    now = new Date('2026-05-07T08:00:00Z');
    await runImport(t.deps, { source: 'cd39', bytes: file('Mo-Sa 08:00-12:00') });
    const conflict = await t.deps.db.selectFrom('lieu_conflicts').select('id').where('status', '=', 'open').executeTakeFirstOrThrow();
    const res = await post(`/compte/lieux/${lieuId}/conflits/${conflict.id}`, manager, { decision: 'reprendre', retour: 'modifier', _csrf: manager.csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${editUrl()}?conflit=repris`);
    expect((await getLieu(t.deps, lieuId)).horaires).toBe('Mo-Sa 08:00-12:00');
    const missing = await post(`/compte/lieux/${lieuId}/conflits/${conflict.id}`, manager, { decision: 'reprendre', _csrf: manager.csrf });
    expect(missing.statusCode).toBe(404);
  });
});
