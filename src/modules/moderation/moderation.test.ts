// Claims ("Je gère ce lieu") and the moderation queue through the HTML routes, with e-mails
// delivered to a real SMTP server on 127.0.0.1: automatic vs moderated vs webmail claims, the
// queue listing each kind, each decision by a moderator, and refusals for every other role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailBody, startSmtpServer, type CapturedMail, type TestSmtpServer } from '../../../test/helpers/smtp-server.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMailer, createMemoryMailer } from '../../lib/mailer.ts';
import { createLogger } from '../../lib/logger.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import type { Scope } from '../accounts/authorize.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { createReport } from '../reports/reports.use-cases.ts';
import { checkClaimDomain, isWebmailDomain } from './claims.domains.ts';

const captured: CapturedMail[] = [];
let smtp: TestSmtpServer;
let t: TestApp;
let counter = 0;

const mailsTo = (address: string) => captured.filter((m) => m.to.includes(address)).map((m) => mailBody(m.data));

const place = (extra: Record<string, unknown> = {}) => ({
  pivot: '21690123100011',
  nom: `Médiathèque du quartier ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: `${counter} boulevard Vivier-Merle`,
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
  site_web: ['https://www.mediatheque-lyon.fr/epn'],
  courriels: ['contact@bibliotheques.lyon.fr'],
  ...extra,
});

async function signedIn(role: Role, email = `compte${++counter}@exemple-structure.fr`, scopes: Scope[] = []) {
  // A gestionnaire signed up by itself has no place yet; the operator command requires one.
  const placeholder: Scope = { kind: 'lieu', code: '00000000-0000-4000-8000-000000000000' };
  const initial = role === 'gestionnaire' && scopes.length === 0 ? [placeholder] : scopes;
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes: initial });
  await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).where('code', '=', placeholder.code).execute();
  const session = await openSession(t.deps, id);
  return { id, email, csrf: session.csrfToken, cookies: { [SESSION_COOKIE]: session.sessionId } };
}
type Session = Awaited<ReturnType<typeof signedIn>>;

function post(url: string, who: Session, fields: Record<string, string>) {
  return t.app.inject({
    method: 'POST',
    url,
    cookies: who.cookies,
    payload: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    remoteAddress: '192.0.2.9',
  });
}
const get = (url: string, who: Session) => t.app.inject({ method: 'GET', url, cookies: who.cookies, headers: { accept: 'text/html' } });
const patchLieu = (lieu: Lieu, who: Session) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/lieux/${lieu.id}`, cookies: who.cookies, headers: { 'x-csrf-token': who.csrf }, payload: { telephone: '0472000000' } });
const scopesOf = async (accountId: string) => (await t.deps.db.selectFrom('account_scopes').select(['kind', 'code']).where('account_id', '=', accountId).execute()).map((s) => `${s.kind}:${s.code}`);
const auditActions = async (accountId: string) => (await t.deps.db.selectFrom('audit_log').select('action').where('account_id', '=', accountId).execute()).map((r) => r.action);
const claimIdOf = async (lieu: Lieu, accountId: string) =>
  (await t.deps.db.selectFrom('lieu_claims').select('id').where('lieu_id', '=', lieu.id).where('account_id', '=', accountId).executeTakeFirstOrThrow()).id;

async function pendingPair(a: Lieu, b: Lieu) {
  const [x, y] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
  await t.deps.db
    .insertInto('lieu_duplicates')
    .values({ lieu_a: x, lieu_b: y, score: 70, decision: 'review', signals: JSON.stringify({ name: 0.8, address: 0.9, distance_m: 12, pivot: 'same', phone: null, email: null }), reason: null, status: 'pending', found_run_id: null, found_at: new Date() })
    .execute();
}

beforeAll(async () => {
  smtp = await startSmtpServer(captured);
  t = await buildTestApp({ mailer: createMailer({ smtpUrl: smtp.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') }) });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('claim domains', () => {
  const lieu = { site_web: ['https://www.mediatheque-lyon.fr/epn'], courriels: ['contact@bibliotheques.lyon.fr', 'epn.lyon@gmail.com'] };
  it('accepts the website host, the e-mail domain and their parent domains', () => {
    expect(checkClaimDomain('agent@mediatheque-lyon.fr', lieu).automatic).toBe(true);
    expect(checkClaimDomain('agent@bibliotheques.lyon.fr', lieu).automatic).toBe(true);
    expect(checkClaimDomain('agent@lyon.fr', lieu).automatic).toBe(true);
  });
  it('sends other domains and webmail domains to moderation, saying why', () => {
    const other = checkClaimDomain('agent@autre-structure.fr', lieu);
    expect(other).toEqual({ automatic: false, reason: expect.stringContaining('ne correspond ni au site web ni au courriel') });
    // The place's own address is at gmail.com: a gmail.com account proves nothing.
    const webmail = checkClaimDomain('epn.lyon@gmail.com', lieu);
    expect(webmail).toEqual({ automatic: false, reason: expect.stringContaining('messagerie grand public') });
    for (const d of ['gmail.com', 'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'hotmail.fr', 'outlook.com', 'yahoo.co.uk']) expect(isWebmailDomain(d)).toBe(true);
    expect(isWebmailDomain('lyon.fr')).toBe(false);
    expect(checkClaimDomain('a@fr', { site_web: ['pas une adresse'], courriels: [] }).automatic).toBe(false);
  });
});

describe('claiming a place', () => {
  it('is automatic when the e-mail domain matches: the account manages the place at once and is told by e-mail', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    const who = await signedIn('gestionnaire', 'mediation@mediatheque-lyon.fr');
    expect((await patchLieu(lieu, who)).statusCode).toBe(403);
    const page = await get(`/lieux/${lieu.id}/revendiquer`, who);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Je gère ce lieu');
    const res = await post(`/lieux/${lieu.id}/revendiquer`, who, { message: '' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Vous gérez ce lieu');
    expect(await scopesOf(who.id)).toContain(`lieu:${lieu.id}`);
    // A new session reads the new scope.
    const again = { ...who, ...(await openSession(t.deps, who.id)) };
    const fresh = { ...again, csrf: again.csrfToken, cookies: { [SESSION_COOKIE]: again.sessionId } };
    expect((await patchLieu(lieu, fresh)).statusCode).toBe(200);
    expect(mailsTo(who.email).at(-1)).toContain('Vous pouvez désormais tenir à jour');
    expect(await auditActions(who.id)).toContain('claim.accept');
    expect((await post(`/lieux/${lieu.id}/revendiquer`, fresh, {})).statusCode).toBe(409);
  });

  it('waits for a moderator when the domain differs or is a webmail domain, once per place', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    for (const [email, why] of [
      ['quelquun@gmail.com', 'messagerie grand public'],
      ['benevole@association-voisine.fr', 'ne correspond ni au site web'],
    ] as const) {
      const who = await signedIn('gestionnaire', email);
      const res = await post(`/lieux/${lieu.id}/revendiquer`, who, { message: 'Je suis la coordinatrice du lieu.' });
      expect(res.statusCode).toBe(202);
      expect(res.body).toContain(why);
      expect(await scopesOf(who.id)).toEqual([]);
      expect(mailsTo(email).at(-1)).toContain('a bien été reçue');
      const twice = await post(`/lieux/${lieu.id}/revendiquer`, who, {});
      expect(twice.statusCode).toBe(409);
      expect(twice.body).toContain('déjà en attente');
    }
  });

  it('answers 409, never 500, to two simultaneous claims of one account on one place', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    const who = await signedIn('gestionnaire', `double${++counter}@association-voisine.fr`);
    const statuses = (await Promise.all([1, 2, 3].map(() => post(`/lieux/${lieu.id}/revendiquer`, who, {})))).map((r) => r.statusCode).sort();
    expect(statuses).toEqual([202, 409, 409]);
    expect(await t.deps.db.selectFrom('lieu_claims').select('id').where('lieu_id', '=', lieu.id).execute()).toHaveLength(1);
  });

  it('is refused to other roles and to anonymous visitors, in French', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    const network = await signedIn('reseau', 'reseau@mediatheque-lyon.fr');
    const res = await post(`/lieux/${lieu.id}/revendiquer`, network, {});
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Action refusée : seuls les comptes gestionnaire de lieu revendiquent un lieu');
    const anonymous = await t.app.inject({ method: 'GET', url: `/lieux/${lieu.id}/revendiquer`, headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/connexion');
    const tooLong = await post(`/lieux/${lieu.id}/revendiquer`, await signedIn('gestionnaire'), { message: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('au plus 2000 caractères');
  });
});

describe('moderation queue', () => {
  let moderator: Session;
  let admin: Session;
  let others: Session[];
  let claimed: Lieu;
  let claimant: Session;
  let reported: Lieu;
  let pairA: Lieu;
  let pairB: Lieu;

  beforeAll(async () => {
    moderator = await signedIn('moderateur');
    admin = await signedIn('administrateur');
    claimed = await createLieu(t.deps, place(), { kind: 'cli' });
    others = [
      await signedIn('gestionnaire', undefined, [{ kind: 'lieu', code: claimed.id }]),
      await signedIn('reseau'),
      await signedIn('agent_territorial', undefined, [{ kind: 'departement', code: '69' }]),
    ];
    claimant = await signedIn('gestionnaire', 'claire@association-voisine.fr');
    expect((await post(`/lieux/${claimed.id}/revendiquer`, claimant, { message: 'Coordinatrice' })).statusCode).toBe(202);
    reported = await createLieu(t.deps, place(), { kind: 'cli' });
    await createReport(t.deps, reported.id, { kind: 'horaires', message: 'Le lieu est fermé le lundi matin.', email: 'usager@exemple.org' }, '198.51.100.1');
    await createReport(t.deps, reported.id, { kind: 'autre', message: 'Le nom a changé depuis un an.' }, '198.51.100.2');
    pairA = await createLieu(t.deps, place({ nom: 'Espace numérique Vivier' }), { kind: 'cli' });
    pairB = await createLieu(t.deps, place({ nom: 'Espace numerique du Vivier', pivot: '00000000000000' }), { kind: 'cli' });
    await pendingPair(pairA, pairB);
  });

  it('lists pending claims, open reports and duplicate pairs with their details', async () => {
    const res = await get('/moderation', moderator);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('claire@association-voisine.fr');
    expect(res.body).toContain(claimed.nom);
    expect(res.body).toContain('ne correspond ni au site web');
    expect(res.body).toContain('Le lieu est fermé le lundi matin.');
    expect(res.body).toContain('elle sera prévenue de la décision');
    expect(res.body).not.toContain('usager@exemple.org');
    expect(res.body).toContain('Espace numérique Vivier');
    expect(res.body).toContain('Espace numerique du Vivier');
    expect((await get('/moderation', admin)).statusCode).toBe(200);
  });

  it('refuses the queue and every decision to other roles, with the French reason', async () => {
    const claimId = await claimIdOf(claimed, claimant.id);
    const report = await t.deps.db.selectFrom('reports').select('id').where('lieu_id', '=', reported.id).executeTakeFirstOrThrow();
    for (const who of others) {
      const page = await get('/moderation', who);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('Action refusée : la file de modération est réservée aux modérateurs et aux administrateurs.');
      for (const [url, fields] of [
        [`/moderation/revendications/${claimId}`, { decision: 'accepter' }],
        [`/moderation/signalements/${report.id}`, { decision: 'traite' }],
        ['/moderation/doublons', { decision: 'rejeter', lieu_a: pairA.id, lieu_b: pairB.id }],
      ] as const) {
        const res = await post(url, who, fields);
        expect(res.statusCode, `${url}`).toBe(403);
        expect(res.body).toContain('réservée aux modérateurs et aux administrateurs');
      }
    }
    // Without a session, or without the session's CSRF token: refused too.
    const anonymous = await t.app.inject({ method: 'POST', url: `/moderation/revendications/${claimId}`, payload: 'decision=accepter', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(401);
    expect((await post(`/moderation/revendications/${claimId}`, { ...moderator, csrf: 'pas-le-bon-jeton' }, { decision: 'accepter' })).statusCode).toBe(403);
    // Nothing changed.
    expect((await t.deps.db.selectFrom('lieu_claims').select('status').where('id', '=', claimId).executeTakeFirstOrThrow()).status).toBe('pending');
    expect((await t.deps.db.selectFrom('reports').select('status').where('id', '=', report.id).executeTakeFirstOrThrow()).status).toBe('open');
  });

  it('accepts a claim: the account manages the place, is told by e-mail with the comment, the decision is audited', async () => {
    const claimId = await claimIdOf(claimed, claimant.id);
    const noComment = await post(`/moderation/revendications/${claimId}`, moderator, { decision: 'refuser', commentaire: '' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.body).toContain('Expliquez au demandeur pourquoi');
    const res = await post(`/moderation/revendications/${claimId}`, moderator, { decision: 'accepter', commentaire: 'Vérifié par téléphone avec la mairie.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/moderation?info=revendication-acceptee');
    expect(await scopesOf(claimant.id)).toContain(`lieu:${claimed.id}`);
    const mail = mailsTo(claimant.email).at(-1)!;
    expect(mail).toContain('acceptée par l’équipe de modération');
    expect(mail).toContain('Vérifié par téléphone avec la mairie.');
    expect(await auditActions(moderator.id)).toContain('claim.accept');
    const comment = await t.deps.db.selectFrom('moderation_comments').selectAll().where('item_id', '=', claimId).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ item_type: 'claim', decision: 'accept', comment: 'Vérifié par téléphone avec la mairie.', account_id: moderator.id });
    const again = await post(`/moderation/revendications/${claimId}`, moderator, { decision: 'accepter' });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('déjà été traitée');
  });

  it('rejects a claim with the reason sent to the claimant', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    const who = await signedIn('gestionnaire', 'inconnu@ailleurs.fr');
    await post(`/lieux/${lieu.id}/revendiquer`, who, {});
    const res = await post(`/moderation/revendications/${await claimIdOf(lieu, who.id)}`, admin, { decision: 'refuser', commentaire: 'Aucun lien vérifiable avec ce lieu.' });
    expect(res.statusCode).toBe(303);
    expect(await scopesOf(who.id)).toEqual([]);
    expect(mailsTo(who.email).at(-1)).toContain('Aucun lien vérifiable avec ce lieu.');
    expect(await auditActions(admin.id)).toContain('claim.reject');
  });

  it('marks reports handled or rejected; only a reporter who left an address gets an e-mail', async () => {
    const reports = await t.deps.db.selectFrom('reports').select(['id', 'email']).where('lieu_id', '=', reported.id).execute();
    const withEmail = reports.find((r) => r.email)!;
    const anonymous = reports.find((r) => !r.email)!;
    const before = captured.length;
    expect((await post(`/moderation/signalements/${withEmail.id}`, moderator, { decision: 'traite', commentaire: 'Horaires corrigés.' })).statusCode).toBe(303);
    expect(captured.length).toBe(before + 1);
    const mail = mailsTo('usager@exemple.org').at(-1)!;
    expect(mail).toContain('a été pris en compte');
    expect(mail).toContain('Horaires corrigés.');
    expect((await post(`/moderation/signalements/${anonymous.id}`, moderator, { decision: 'rejete' })).statusCode).toBe(303);
    expect(captured.length).toBe(before + 1);
    const statuses = await t.deps.db.selectFrom('reports').select(['id', 'status']).where('lieu_id', '=', reported.id).execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [withEmail.id]: 'resolved', [anonymous.id]: 'rejected' });
    expect(await auditActions(moderator.id)).toEqual(expect.arrayContaining(['report.resolve', 'report.reject']));
    expect((await post(`/moderation/signalements/${withEmail.id}`, moderator, { decision: 'peut-etre' })).statusCode).toBe(400);
    const unknown = await post('/moderation/signalements/pas-un-identifiant', moderator, { decision: 'traite' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Le signalement « pas-un-identifiant » n’existe pas.');
    const badPair = await post('/moderation/doublons', moderator, { decision: 'rejeter', lieu_a: 'x', lieu_b: reported.id });
    expect(badPair.statusCode).toBe(400);
    expect(badPair.body).toContain('n’est pas celui d’un lieu');
  });

  it('merges a duplicate pair through the review use case, or rejects one, keeping the comment', async () => {
    const res = await post('/moderation/doublons', moderator, { decision: 'fusionner', conserve: 'a', lieu_a: pairA.id, lieu_b: pairB.id, commentaire: 'Même lieu, deux saisies.' });
    expect(res.statusCode).toBe(303);
    const merged = await t.deps.db.selectFrom('lieu_merges').select(['lieu_id', 'merged_into']).where('lieu_id', '=', pairB.id).executeTakeFirstOrThrow();
    expect(merged.merged_into).toBe(pairA.id);
    expect(await auditActions(moderator.id)).toContain('lieu.merge');
    const [x, y] = [pairA.id, pairB.id].sort();
    const comment = await t.deps.db.selectFrom('moderation_comments').selectAll().where('item_id', '=', `${x}:${y}`).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ item_type: 'duplicate', decision: 'merge', comment: 'Même lieu, deux saisies.' });

    const c = await createLieu(t.deps, place({ nom: 'Point numérique Gare' }), { kind: 'cli' });
    const d = await createLieu(t.deps, place({ nom: 'Point numérique de la Gare' }), { kind: 'cli' });
    await pendingPair(c, d);
    expect((await post('/moderation/doublons', admin, { decision: 'rejeter', lieu_a: c.id, lieu_b: d.id })).statusCode).toBe(303);
    const [p, q] = [c.id, d.id].sort();
    expect((await t.deps.db.selectFrom('lieu_duplicates').select('status').where('lieu_a', '=', p!).where('lieu_b', '=', q!).executeTakeFirstOrThrow()).status).toBe('rejected');
    expect(await auditActions(admin.id)).toContain('doublon.reject');
    const queue = await get('/moderation', moderator);
    expect(queue.body).toContain('Aucun doublon en attente.');
  });
});
