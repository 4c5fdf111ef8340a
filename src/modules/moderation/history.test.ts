// A place's history and "revert to a version" (use case, pages with their confirmation step,
// JSON route), and the split of merges from the moderation pages; e-mails delivered to a real
// SMTP server on 127.0.0.1. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailBody, startSmtpServer, type CapturedMail, type TestSmtpServer } from '../../../test/helpers/smtp-server.ts';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMailer, createMemoryMailer } from '../../lib/mailer.ts';
import { createLogger } from '../../lib/logger.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { accountsDeps } from '../accounts/accounts.api.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import type { AccountPrincipal, Scope } from '../accounts/authorize.ts';
import { mergeLieux } from '../imports/imports.duplicates.ts';
import { createLieu, getLieu, listLieuVersions, unpublishLieu } from '../lieux/lieux.use-cases.ts';
import { updateLieuAsAccount } from '../lieux/lieux.account-writes.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { createReport } from '../reports/reports.use-cases.ts';
import { getLieuHistory, previewRevert, revertLieuToVersion } from './history.use-cases.ts';
import type { ModerationDeps } from './moderation.use-cases.ts';

const captured: CapturedMail[] = [];
let smtp: TestSmtpServer;
let t: TestApp;
let mod: ModerationDeps;
let counter = 0;

const mailsTo = (address: string) => captured.filter((m) => m.to.includes(address)).map((m) => mailBody(m.data));

const place = (extra: Record<string, unknown> = {}) => ({
  pivot: '21690123100011',
  nom: `Espace numérique ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: `${counter} rue Paul Bert`,
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
  telephone: '+33472000000',
  ...extra,
});

async function signedIn(role: Role, scopes: Scope[] = []) {
  const email = `compte${++counter}@structure-exemple.fr`;
  const placeholder: Scope = { kind: 'lieu', code: '00000000-0000-4000-8000-000000000000' };
  const initial = role === 'gestionnaire' && scopes.length === 0 ? [placeholder] : scopes;
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes: initial });
  await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).where('code', '=', placeholder.code).execute();
  const session = await openSession(t.deps, id);
  const principal: AccountPrincipal = { id, role, scopes };
  return { id, email, principal, csrf: session.csrfToken, cookies: { [SESSION_COOKIE]: session.sessionId } };
}
type Session = Awaited<ReturnType<typeof signedIn>>;

const get = (url: string, who?: Session) => t.app.inject({ method: 'GET', url, cookies: who?.cookies ?? {}, headers: { accept: 'text/html' } });
function post(url: string, who: Session, fields: Record<string, string>, csrf = true) {
  return t.app.inject({
    method: 'POST',
    url,
    cookies: who.cookies,
    payload: new URLSearchParams({ ...(csrf ? { _csrf: who.csrf } : {}), ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
  });
}
const api = (url: string, who: Session, body: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url, cookies: who.cookies, headers: { 'x-csrf-token': who.csrf }, payload: body });
const ctx = (who: Session) => ({ account: who.principal, ip: '192.0.2.9' });
const versionCount = async (lieu: Lieu) => (await listLieuVersions(t.deps, lieu.id)).length;
const auditCount = async (action: string) => (await t.deps.db.selectFrom('audit_log').select('seq').where('action', '=', action).execute()).length;
const changeCount = async (lieu: Lieu) => (await t.deps.db.selectFrom('lieu_changes').select('seq').where('lieu_id', '=', lieu.id).execute()).length;

/** The place as the search read model serves it, once it has read the change log. */
async function searched(lieu: Lieu): Promise<Record<string, unknown> | undefined> {
  await t.deps.search.refresh();
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/lieux?q=${encodeURIComponent(lieu.nom)}` });
  return (res.json() as { items: Record<string, unknown>[] }).items.find((i) => i.id === lieu.id);
}

/** A place created by the CLI (v1), edited by its manager (v2: phone) then by an agent (v3: hours). */
async function editedPlace() {
  const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
  const manager = await signedIn('gestionnaire', [{ kind: 'lieu', code: lieu.id }]);
  await t.deps.db.updateTable('accounts').set({ email_verified_at: new Date() }).where('id', '=', manager.id).execute();
  await updateLieuAsAccount(t.deps, lieu.id, { telephone: '+33472999999', date_maj: '2025-06-01' }, ctx(manager));
  const agent = await signedIn('agent_territorial', [{ kind: 'departement', code: '69' }]);
  await updateLieuAsAccount(t.deps, lieu.id, { horaires: 'Mo-Fr 09:00-12:00', date_maj: '2025-07-01' }, ctx(agent));
  return { lieu, manager, agent };
}

beforeAll(async () => {
  smtp = await startSmtpServer(captured);
  t = await buildTestApp({ mailer: createMailer({ smtpUrl: smtp.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') }) });
  mod = { ...accountsDeps(t.deps), territories: t.deps.territories };
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

describe('revert to a version (use case)', () => {
  it('is refused to every role but moderators and administrators, with the French reason', async () => {
    const { lieu, manager, agent } = await editedPlace();
    const reseau = await signedIn('reseau');
    for (const who of [manager, agent, reseau]) {
      await expect(revertLieuToVersion(mod, lieu.id, 1, {}, ctx(who))).rejects.toMatchObject({ status: 403, message: expect.stringContaining('Action refusée : L’historique des lieux') });
      await expect(getLieuHistory(mod, who.principal, lieu.id)).rejects.toMatchObject({ status: 403 });
      await expect(previewRevert(mod, who.principal, lieu.id, 1)).rejects.toMatchObject({ status: 403 });
    }
    expect(await versionCount(lieu)).toBe(3);
    const admin = await signedIn('administrateur');
    expect((await revertLieuToVersion(mod, lieu.id, 2, {}, ctx(admin))).version).toBe(4);
  });

  it('writes a new version « Retour à la version N », keeps the older ones, feeds the change log and the audit log, and tells the accounts whose edits are undone', async () => {
    const { lieu, manager } = await editedPlace();
    const moderator = await signedIn('moderateur');
    const before = await listLieuVersions(t.deps, lieu.id);
    const changes = await changeCount(lieu);
    const audits = await auditCount('lieu.revert');
    expect(await searched(lieu)).toMatchObject({ telephone: '+33472999999', horaires: 'Mo-Fr 09:00-12:00' });

    const result = await revertLieuToVersion(mod, lieu.id, '1', { comment: 'Numéro erroné, vérifié par téléphone.', expectedVersion: '3' }, ctx(moderator));
    expect(result).toMatchObject({ reverted_to: 1, version: 4, notified: 2 });
    expect(result.lieu).toMatchObject({ telephone: '+33472000000', horaires: null, date_maj: '2025-01-15' });
    expect(await getLieu(t.deps, lieu.id)).toMatchObject({ telephone: '+33472000000', horaires: null });

    const after = await listLieuVersions(t.deps, lieu.id);
    expect(after.slice(0, 3)).toEqual(before); // history is never rewritten
    expect(after[3]).toMatchObject({ version: 4, action: 'update', actor_kind: 'account', actor_id: moderator.id, reason: 'Retour à la version 1 : Numéro erroné, vérifié par téléphone.' });
    expect(after[3]!.changes).toMatchObject({ telephone: { from: '+33472999999', to: '+33472000000' }, horaires: { from: 'Mo-Fr 09:00-12:00', to: null } });
    expect(await changeCount(lieu)).toBe(changes + 1);
    expect(await searched(lieu)).toMatchObject({ telephone: '+33472000000', horaires: null }); // the read model sees it like any update
    expect(await auditCount('lieu.revert')).toBe(audits + 1);
    expect(mailsTo(manager.email).at(-1)).toContain('Numéro erroné, vérifié par téléphone.');
    expect(mailsTo(manager.email).at(-1)).toContain('version 1');
    expect(mailsTo(moderator.email)).toEqual([]);
  });

  it('refuses, writing nothing, to revert to the current version or to a state the place is already in', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    const audits = await auditCount('lieu.revert');
    await expect(revertLieuToVersion(mod, lieu.id, 3, {}, ctx(moderator))).rejects.toMatchObject({ status: 409, message: 'La version 3 est la version actuelle du lieu : il n’y a rien à rétablir.' });
    await revertLieuToVersion(mod, lieu.id, 1, {}, ctx(moderator));
    await expect(revertLieuToVersion(mod, lieu.id, 1, {}, ctx(moderator))).rejects.toMatchObject({ status: 409, message: 'Le lieu est déjà dans l’état de la version 1 : il n’y a rien à rétablir.' });
    expect(await versionCount(lieu)).toBe(4);
    expect(await auditCount('lieu.revert')).toBe(audits + 1);
  });

  it('refuses a place that changed since the confirmation, and a merged place until it is split', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    await expect(revertLieuToVersion(mod, lieu.id, 1, { expectedVersion: 2 }, ctx(moderator))).rejects.toMatchObject({ status: 409, message: expect.stringContaining('a été modifié depuis l’affichage de la confirmation') });
    const kept = await createLieu(t.deps, place(), { kind: 'cli' });
    await mergeLieux(t.deps, kept.id, lieu.id, { kind: 'cli' });
    await expect(revertLieuToVersion(mod, lieu.id, 1, {}, ctx(moderator))).rejects.toMatchObject({ status: 409, message: expect.stringContaining('séparez-le d’abord') });
    expect((await previewRevert(mod, moderator.principal, lieu.id, 1)).blocked).toContain('séparez-le d’abord');
  });

  it('brings back the values of an unpublished place without publishing it or telling the change feed', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    await unpublishLieu(t.deps, lieu.id, { kind: 'cli' }, 'Fermé');
    const changes = await changeCount(lieu);
    expect((await previewRevert(mod, moderator.principal, lieu.id, 1)).status_note).toContain('il reste retiré du registre');
    const result = await revertLieuToVersion(mod, lieu.id, 1, {}, ctx(moderator));
    expect(result.lieu).toMatchObject({ status: 'unpublished', telephone: '+33472000000' });
    expect(await changeCount(lieu)).toBe(changes);
  });

  it('answers 404 in French for an unknown version or place', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    await expect(revertLieuToVersion(mod, lieu.id, 99, {}, ctx(moderator))).rejects.toMatchObject({ status: 404, message: `Le lieu « ${lieu.nom} » n’a pas de version 99 (sa version actuelle est la 3).` });
    await expect(revertLieuToVersion(mod, lieu.id, 'abc', {}, ctx(moderator))).rejects.toMatchObject({ status: 404 });
    await expect(revertLieuToVersion(mod, '6f1e2d3c-0000-4000-8000-000000000001', 1, {}, ctx(moderator))).rejects.toMatchObject({ status: 404, message: expect.stringContaining('Aucun lieu') });
  });
});

describe('history and revert pages', () => {
  it('shows the history to a moderator (actors by role or source, never by e-mail); refuses other roles; sends anonymous visitors to sign in', async () => {
    const { lieu, manager } = await editedPlace();
    const moderator = await signedIn('moderateur');
    const page = await get(`/moderation/lieux/${lieu.id}/historique`, moderator);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Version 3 (actuelle)');
    expect(page.body).toContain(`Compte gestionnaire de lieu n° ${manager.id.slice(0, 8)}`);
    expect(page.body).toContain('Ligne de commande');
    expect(page.body).toContain('+33472999999');
    expect(page.body).toContain('Champs modifiés par la version 1'); // a creation lists its fields (derived from its snapshot)
    expect((await getLieuHistory(mod, moderator.principal, lieu.id)).versions.at(-1)!.changes).toContainEqual({ field: 'nom', from: null, to: lieu.nom });
    expect(page.body).not.toContain(manager.email);
    expect(page.body).toContain(`href="/moderation/lieux/${lieu.id}/historique/1"`);
    expect((await get(`/moderation/lieux/${lieu.id}/historique`, manager)).statusCode).toBe(403);
    const anonymous = await get(`/moderation/lieux/${lieu.id}/historique`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/connexion');
    expect((await get(`/moderation/lieux/6f1e2d3c-0000-4000-8000-000000000002/historique`, moderator)).statusCode).toBe(404);
  });

  it('is reachable from the queue items that concern a place, and the queue links to the merges', async () => {
    const { lieu } = await editedPlace();
    await createReport(t.deps, lieu.id, { kind: 'horaires', message: 'Fermé le samedi.' }, '198.51.100.8');
    const queue = await get('/moderation', await signedIn('moderateur'));
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`href="/moderation/lieux/${lieu.id}/historique"`);
    expect(queue.body).toContain('href="/moderation/fusions"');
  });

  it('confirms with the diff first, refuses a POST without the CSRF token, then reverts', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    const confirm = await get(`/moderation/lieux/${lieu.id}/historique/1`, moderator);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Différences entre l’état actuel et la version 1');
    expect(confirm.body).toContain("+33472999999</td><td>+33472000000");
    expect(confirm.body).toContain('name="version_actuelle" value="3"');
    expect(await versionCount(lieu)).toBe(3); // showing the confirmation writes nothing

    const forged = await post(`/moderation/lieux/${lieu.id}/historique/1`, moderator, { version_actuelle: '3' }, false);
    expect(forged.statusCode).toBe(403);
    expect(await versionCount(lieu)).toBe(3);

    const done = await post(`/moderation/lieux/${lieu.id}/historique/1`, moderator, { version_actuelle: '3', commentaire: 'Retour demandé par la commune.' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/moderation/lieux/${lieu.id}/historique?retour=1`);
    const history = await get(String(done.headers.location), moderator);
    expect(history.body).toContain('Le lieu a retrouvé les informations de sa version 1 (nouvelle version 4).');
    expect(history.body).toContain('Retour à la version 1 : Retour demandé par la commune.');

    // A second, stale confirmation is refused on its page, with the reason.
    const stale = await post(`/moderation/lieux/${lieu.id}/historique/2`, moderator, { version_actuelle: '3' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('a été modifié depuis l’affichage de la confirmation');
    expect((await get(`/moderation/lieux/${lieu.id}/historique/4`, moderator)).body).toContain('La version 4 est la version actuelle du lieu');
  });

  it('reverts through the JSON route, with French problems', async () => {
    const { lieu } = await editedPlace();
    const moderator = await signedIn('moderateur');
    const manager = await signedIn('gestionnaire', [{ kind: 'lieu', code: lieu.id }]);
    const refused = await api(`/api/v1/lieux/${lieu.id}/versions/1/retablir`, manager);
    expect(refused.statusCode).toBe(403);
    const missing = await api(`/api/v1/lieux/${lieu.id}/versions/42/retablir`, moderator);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().title).toContain('n’a pas de version 42');
    const ok = await api(`/api/v1/lieux/${lieu.id}/versions/2/retablir`, moderator, { commentaire: 'Horaires non confirmés.', version_actuelle: 3 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version_retablie: 2, version: 4, lieu: { telephone: '+33472999999', horaires: null } });
    expect((await api(`/api/v1/lieux/${lieu.id}/versions/2/retablir`, moderator)).statusCode).toBe(409);
  });
});

describe('merges page and split', () => {
  it('lists merges in force, confirms, refuses a POST without CSRF, then splits and keeps the comment', async () => {
    const kept = await createLieu(t.deps, place(), { kind: 'cli' });
    const merged = await createLieu(t.deps, place({ telephone: '0478111111' }), { kind: 'cli' });
    await mergeLieux(t.deps, kept.id, merged.id, { kind: 'cli' });
    const moderator = await signedIn('moderateur');
    const manager = await signedIn('gestionnaire', [{ kind: 'lieu', code: kept.id }]);
    expect((await get('/moderation/fusions', manager)).statusCode).toBe(403);

    const list = await get('/moderation/fusions', moderator);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`id="fusion-${merged.id}"`);
    expect(list.body).toContain(`href="/moderation/fusions/${merged.id}"`);
    const confirm = await get(`/moderation/fusions/${merged.id}`, moderator);
    expect(confirm.body).toContain('Confirmer la séparation');
    expect((await post(`/moderation/fusions/${merged.id}`, moderator, {}, false)).statusCode).toBe(403);
    const active = () => t.deps.db.selectFrom('lieu_merges').select('id').where('lieu_id', '=', merged.id).where('split_at', 'is', null).execute();
    expect(await active()).toHaveLength(1);

    const done = await post(`/moderation/fusions/${merged.id}`, moderator, { commentaire: 'Deux antennes distinctes.' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/moderation/fusions?info=separe');
    expect(await active()).toHaveLength(0);
    expect((await getLieu(t.deps, merged.id)).status).toBe('published');
    const [x, y] = [kept.id, merged.id].sort();
    const comment = await t.deps.db.selectFrom('moderation_comments').select(['decision', 'comment']).where('item_type', '=', 'duplicate').where('item_id', '=', `${x}:${y}`).executeTakeFirst();
    expect(comment).toEqual({ decision: 'split', comment: 'Deux antennes distinctes.' });
    expect((await t.deps.db.selectFrom('audit_log').select('action').where('account_id', '=', moderator.id).execute()).map((r) => r.action)).toContain('lieu.split');

    const again = await post(`/moderation/fusions/${merged.id}`, moderator, {});
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('n’est fusionné dans aucun autre');
    expect((await get(`/moderation/fusions/${merged.id}`, moderator)).statusCode).toBe(404);
  });
});
