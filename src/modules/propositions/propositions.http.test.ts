// The routes of "Proposer un lieu": the form page (signed out, signed in, plain POST with
// field errors and a summary, success), address suggestions against a local BAN stand-in
// (and when the service is off, down or broken), the validation endpoint giving the same
// messages as POST /api/v1/lieux, the JSON proposal and the moderators' decisions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { banAddresses, startBanServer, type BanServer } from '../../../test/helpers/ban-server.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import { services } from '../lieux/lieux.schema.ts';
import { SUGGESTIONS_DOWN, SUGGESTIONS_OFF, suggestAddresses } from './adresses.suggest.ts';

let t: TestApp;
let ban: BanServer;
const mailer = createMemoryMailer();
let counter = 0;

async function signedIn(role: Role) {
  const email = `proposition${++counter}@exemple.org`;
  const placeholder = { kind: 'lieu' as const, code: '00000000-0000-4000-8000-000000000000' };
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes: role === 'gestionnaire' ? [placeholder] : [] });
  await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).execute();
  const session = await openSession(t.deps, id);
  return { id, email, csrf: session.csrfToken, cookies: { [SESSION_COOKIE]: session.sessionId }, json: { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken } };
}
type Session = Awaited<ReturnType<typeof signedIn>>;

const postForm = (url: string, who: Session | null, body: URLSearchParams) =>
  t.app.inject({ method: 'POST', url, cookies: who?.cookies, payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, remoteAddress: `192.0.2.${++counter % 250}` });

const formOf = (who: Session, fields: [string, string][]) => new URLSearchParams([['_csrf', who.csrf], ...fields]);
const valid = (): [string, string][] => [
  ['nom', `Espace public numérique de la Pique ${++counter}`],
  ['pivot', '215 801 947 00017'],
  ['adresse', '8 rue de la Pique'],
  ['code_postal', '58000'],
  ['commune', 'Nevers'],
  ['latitude', '46.98623'],
  ['longitude', '3.15731'],
  ['horaires', 'Mo-Fr 09:00-12:00,14:00-17:30'],
  ['services', 'Aide aux démarches administratives'],
  ['services', 'Accès internet et matériel informatique'],
  ['frais_a_charge', 'Gratuit'],
];

beforeAll(async () => {
  ban = await startBanServer(banAddresses);
  t = await buildTestApp({ mailer, env: { MAILLAGE_GEOCODER_URL: ban.url } });
});
afterAll(async () => {
  await t?.close();
  await ban?.close();
});

describe('/lieux/proposer', () => {
  it('tells a signed-out visitor to sign in, with no form, and sends an anonymous POST to sign-in', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/lieux/proposer' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Connectez-vous pour proposer un lieu');
    expect(page.body).not.toContain('id="proposer"');
    const post = await postForm('/lieux/proposer', null, new URLSearchParams(valid()));
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/connexion');
  });

  it('shows the standard’s fields, every service of the schema as a checkbox, the CSRF token', async () => {
    const who = await signedIn('gestionnaire');
    const page = await t.app.inject({ method: 'GET', url: '/lieux/proposer', cookies: who.cookies });
    expect(page.statusCode).toBe(200);
    for (const name of ['nom', 'pivot', 'adresse', 'code_postal', 'commune', 'latitude', 'longitude', 'telephone', 'courriels', 'site_web', 'horaires']) expect(page.body).toContain(`name="${name}"`);
    expect(page.body.match(/name="services"/g)).toHaveLength(services.length);
    expect(page.body).toContain(`value="${who.csrf}"`);
    expect(page.body).toContain('data-suggest-url="/api/v1/adresses"');
    expect(page.body).toMatch(/<script type="module" src="\/assets\/propose\.[^"]+\.js">/);
  });

  it('refuses a POST without the session’s CSRF token', async () => {
    const who = await signedIn('gestionnaire');
    const res = await postForm('/lieux/proposer', who, new URLSearchParams(valid()));
    expect(res.statusCode).toBe(403);
  });

  it('re-renders an invalid proposal with a summary linking each field and the message under it, keeping what was typed', async () => {
    const who = await signedIn('gestionnaire');
    const fields = valid().map(([k, v]): [string, string] => (k === 'code_postal' ? [k, '580'] : k === 'horaires' ? [k, 'le matin'] : [k, v]));
    const res = await postForm('/lieux/proposer', who, formOf(who, fields));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Erreur : proposer un lieu');
    expect(res.body).toContain('href="#lieu-code_postal"');
    expect(res.body).toContain('href="#lieu-horaires"');
    expect(res.body).toContain('Le code postal « 580 » doit comporter 5 chiffres.');
    expect(res.body).toMatch(/class="fr-input-group fr-input-group--error"[\s\S]*?id="lieu-code_postal"/);
    expect(res.body).toContain('value="le matin"');
    expect(res.body).toMatch(/value="Aide aux démarches administratives" checked/);
    expect(await t.deps.db.selectFrom('lieu_propositions').select('id').where('account_id', '=', who.id).execute()).toEqual([]);
  });

  it('keeps a valid proposal for moderation and redirects to a thank-you', async () => {
    const who = await signedIn('reseau');
    const fields: [string, string][] = [...valid(), ['typologie', 'EPN, BIB'], ['autres_formations_labels', 'Label Numérique Inclusif\r\nPass local\r\n']];
    const res = await postForm('/lieux/proposer', who, formOf(who, fields));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/lieux/proposer?envoyee=1');
    const row = await t.deps.db.selectFrom('lieu_propositions').select(['record', 'status']).where('account_id', '=', who.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.record).toMatchObject({ nom: fields[0]![1], services: ['Aide aux démarches administratives', 'Accès internet et matériel informatique'], frais_a_charge: ['Gratuit'], typologie: ['EPN', 'BIB'], autres_formations_labels: ['Label Numérique Inclusif', 'Pass local'] });
    const thanks = await t.app.inject({ method: 'GET', url: '/lieux/proposer?envoyee=1', cookies: who.cookies });
    expect(thanks.body).toContain('Proposition envoyée');
    // The proposer's own data export lists it; the account page links to the form.
    const data = (await t.app.inject({ method: 'GET', url: '/compte/donnees', cookies: who.cookies })).json();
    expect(data.lieux_proposes).toMatchObject([{ status: 'pending', record: { nom: fields[0]![1] } }]);
    expect((await t.app.inject({ method: 'GET', url: '/compte', cookies: who.cookies })).body).toContain('href="/lieux/proposer"');
  });
});

describe('GET /api/v1/adresses', () => {
  it('answers the BAN’s suggestions as the standard’s address fields', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/adresses?q=12%20rue%20du%20commandant%20riviere' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      adresses: [{ label: '12 Rue du Commandant Rivière 58000 Nevers', adresse: '12 Rue du Commandant Rivière', code_postal: '58000', commune: 'Nevers', code_insee: '58194', latitude: 46.98955, longitude: 3.15868, type: 'housenumber' }],
      message: null,
    });
    const asked = ban.requests.at(-1)!;
    expect(asked.query.get('autocomplete')).toBe('1');
  });

  it('gives an empty list and a French message when the service fails, never a 500', async () => {
    for (const fault of ['server-error', 'malformed'] as const) {
      ban.faults.push(fault);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/adresses?q=8%20rue%20de%20la%20pique' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ adresses: [], message: SUGGESTIONS_DOWN });
    }
    expect(await suggestAddresses(null, '8 rue de la pique')).toEqual({ adresses: [], message: SUGGESTIONS_OFF });
    expect(await suggestAddresses('http://127.0.0.1:1', '8 rue de la pique')).toEqual({ adresses: [], message: SUGGESTIONS_DOWN });
    expect(await suggestAddresses(ban.url, 'ab')).toEqual({ adresses: [], message: null });
    const tooLong = await t.app.inject({ method: 'GET', url: `/api/v1/adresses?q=${'a'.repeat(201)}` });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('q');
  });
});

describe('POST /api/v1/lieux/validation', () => {
  it('gives the same field messages as POST /api/v1/lieux, and the normalised place when valid', async () => {
    const moderator = await signedIn('moderateur');
    const bad = { nom: 'EPN', pivot: '123', adresse: '1 place', code_postal: '58000', commune: 'Nevers', date_maj: '2026-01-10', telephone: '12', services: ['Pas un service'] };
    const checked = await t.app.inject({ method: 'POST', url: '/api/v1/lieux/validation', payload: bad });
    expect(checked.statusCode).toBe(200);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/lieux', headers: moderator.json, payload: bad });
    expect(created.statusCode).toBe(400);
    expect(checked.json().valide).toBe(false);
    expect(checked.json().errors).toEqual(created.json().errors.map((e: { field: string; message: string }) => ({ field: e.field, message: e.message })));
    expect(checked.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['pivot', 'services', 'telephone']);
    const good = await t.app.inject({ method: 'POST', url: '/api/v1/lieux/validation', payload: { ...bad, pivot: '21580194700017', telephone: '0386211234', services: 'aide aux demarches administratives' } });
    expect(good.json()).toMatchObject({ valide: true, errors: [], lieu: { pivot: '21580194700017', telephone: '+33386211234', services: ['Aide aux démarches administratives'], code_insee: '58194' } });
  });
});

describe('JSON proposal and moderation', () => {
  it('a proposal sent as JSON waits in the queue; a moderator accepts it through the HTML queue and the place page exists', async () => {
    const who = await signedIn('gestionnaire');
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/propositions', payload: { nom: 'x' } });
    expect(anonymous.statusCode).toBe(401);
    const nom = `Point numérique Saint-Romain ${++counter}`;
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/propositions', headers: who.json, payload: { nom, pivot: '21580062200018', adresse: '2 place Saint-Romain', code_postal: '58120', commune: 'Château-Chinon (Ville)' } });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({ statut: 'en-attente', nom, notifie: true });
    const invalid = await t.app.inject({ method: 'POST', url: '/api/v1/propositions', headers: who.json, payload: { nom, code_postal: 'abc' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field)).toContain('code_postal');

    const moderator = await signedIn('moderateur');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/moderation', headers: who.json })).statusCode).toBe(403);
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/moderation', headers: moderator.json });
    const item = queue.json().propositions.find((p: { nom: string }) => p.nom === nom);
    expect(item).toMatchObject({ id: sent.json().id, commune: 'Château-Chinon (Ville)', courriel: who.email });
    const page = await t.app.inject({ method: 'GET', url: '/moderation', cookies: moderator.cookies });
    expect(page.body).toContain(`action="/moderation/propositions/${item.id}"`);

    const refusedByManager = await postForm(`/moderation/propositions/${item.id}`, who, formOf(who, [['decision', 'accepter']]));
    expect(refusedByManager.statusCode).toBe(403);
    const noReason = await postForm(`/moderation/propositions/${item.id}`, moderator, formOf(moderator, [['decision', 'refuser']]));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Expliquez à la personne pourquoi sa proposition est refusée.');
    const accepted = await postForm(`/moderation/propositions/${item.id}`, moderator, formOf(moderator, [['decision', 'accepter']]));
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe('/moderation?info=proposition-acceptee');
    const lieu = await t.deps.db.selectFrom('lieux').select(['id', 'code_insee']).where('nom', '=', nom).executeTakeFirstOrThrow();
    expect(lieu.code_insee).toBe('58062');
    const place = await t.app.inject({ method: 'GET', url: `/lieux/${lieu.id}` });
    expect(place.statusCode).toBe(200);
    expect(place.body).toContain(nom);
    expect(mailer.sent.at(-1)).toMatchObject({ to: who.email, subject: expect.stringContaining('est publié') });
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/propositions/${item.id}`, headers: moderator.json, payload: { decision: 'refuser', commentaire: 'Doublon.' } });
    expect(again.statusCode).toBe(404);
  });

  it('a moderator rejects through the JSON API with a reason', async () => {
    const who = await signedIn('gestionnaire');
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/propositions', headers: who.json, payload: { nom: `Lieu en double ${++counter}`, pivot: '21580194700017', adresse: '8 rue de la Pique', code_postal: '58000', commune: 'Nevers' } });
    const moderator = await signedIn('administrateur');
    const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/propositions/${sent.json().id}`, headers: moderator.json, payload: { decision: 'refuser' } });
    expect(noReason.statusCode).toBe(400);
    const rejected = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/propositions/${sent.json().id}`, headers: moderator.json, payload: { decision: 'refuser', commentaire: 'Déjà dans le registre.' } });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toEqual({ notifie: true, lieu: null });
    expect(mailer.sent.at(-1)!.text).toContain('Déjà dans le registre.');
  });
});
