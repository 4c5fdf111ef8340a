// Account data export (/compte/donnees) and deletion (/compte/suppression), and the rule that
// account e-mails never reach open data exports, the place pages or the place history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from './accounts.use-cases.ts';
import { hashPassword } from './accounts.crypto.ts';
import type { Role } from './accounts.tables.ts';
import type { Scope } from './authorize.ts';
import { createLieu, listLieuVersions } from '../lieux/lieux.use-cases.ts';
import { createReport } from '../reports/reports.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';

let t: TestApp;
let place: Lieu;
let n = 0;
const PASSWORD = 'un mot de passe solide';

beforeAll(async () => {
  t = await buildTestApp({ mailer: createMemoryMailer() });
  place = await createLieu(t.deps, { pivot: '21690123100011', nom: 'Médiathèque des données', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle', date_maj: '2025-01-15', latitude: 45.7607, longitude: 4.8583 }, { kind: 'cli' });
});
afterAll(async () => t?.close());

async function account(role: Role, scopes: Scope[] = []) {
  const email = `personne.${++n}@exemple-prive.fr`;
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes });
  await t.deps.db.updateTable('accounts').set({ password_hash: await hashPassword(PASSWORD) }).where('id', '=', id).execute();
  const session = await openSession(t.deps, id);
  return { id, email, session, cookie: `${SESSION_COOKIE}=${session.sessionId}` };
}

const remoteAddress = '192.0.2.77';
async function editPlace(a: Awaited<ReturnType<typeof account>>, nom: string) {
  const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/lieux/${place.id}`, remoteAddress, headers: { cookie: a.cookie, 'x-csrf-token': a.session.csrfToken }, payload: { nom } });
  expect(res.statusCode).toBe(200);
}
const deletion = (a: Awaited<ReturnType<typeof account>>, password: string, csrf: string = a.session.csrfToken) =>
  t.app.inject({
    method: 'POST',
    url: '/compte/suppression',
    remoteAddress,
    headers: { cookie: a.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, password }).toString(),
  });
const exists = async (id: string) => Boolean(await t.deps.db.selectFrom('accounts').select('id').where('id', '=', id).executeTakeFirst());

describe('account data export', () => {
  it('downloads everything held about the account as JSON, without any secret', async () => {
    const a = await account('gestionnaire', [{ kind: 'lieu', code: place.id }]);
    await editPlace(a, 'Médiathèque exportée');
    await createReport(t.deps, place.id, { kind: 'autre', message: 'Les horaires ont changé cet hiver', email: a.email }, '192.0.2.1');
    const res = await t.app.inject({ method: 'GET', url: '/compte/donnees', headers: { cookie: a.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="maillage-mes-donnees-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = res.json();
    expect(data.compte).toMatchObject({ id: a.id, email: a.email, role: 'gestionnaire' });
    expect(data.perimetres).toEqual([{ kind: 'lieu', code: place.id }]);
    expect(data.sessions).toHaveLength(1);
    expect(Object.keys(data.sessions[0]).sort()).toEqual(['created_at', 'expires_at']);
    expect(data.journal_audit.map((e: { action: string; ip: string }) => [e.action, e.ip])).toEqual([['lieu.update', remoteAddress]]);
    expect(data.signalements).toHaveLength(1);
    expect(res.body).not.toContain('password_hash');
    expect(res.body).not.toContain(a.session.sessionId);
    expect(res.body).not.toContain(a.session.csrfToken);
  });

  it('is for signed-in accounts only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/compte/donnees' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/connexion');
  });
});

describe('account deletion', () => {
  it('refuses a wrong password or a missing CSRF token, in French, and keeps the account', async () => {
    const a = await account('gestionnaire', [{ kind: 'lieu', code: place.id }]);
    const form = await t.app.inject({ method: 'GET', url: '/compte/suppression', headers: { cookie: a.cookie } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Supprimer définitivement mon compte');
    const wrong = await deletion(a, 'pas le bon mot de passe');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Mot de passe incorrect : le compte n’a pas été supprimé.');
    const forged = await deletion(a, PASSWORD, 'jeton-forge');
    expect(forged.statusCode).toBe(403);
    expect(await exists(a.id)).toBe(true);
  });

  it('revokes the sessions, erases the e-mail and pseudonymises audit entries and history', async () => {
    const a = await account('gestionnaire', [{ kind: 'lieu', code: place.id }]);
    const second = await openSession(t.deps, a.id);
    await editPlace(a, 'Médiathèque avant suppression');
    await createReport(t.deps, place.id, { kind: 'autre', message: 'Le lieu est fermé le lundi', email: a.email }, '192.0.2.2');
    const res = await deletion(a, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Votre compte a été supprimé');
    expect(await exists(a.id)).toBe(false);
    expect(await t.deps.db.selectFrom('sessions').select('id_hash').where('account_id', '=', a.id).execute()).toEqual([]);
    const afterward = await t.app.inject({ method: 'GET', url: '/compte', headers: { cookie: `${SESSION_COOKIE}=${second.sessionId}` } });
    expect(afterward.headers.location).toBe('/connexion');
    expect(await t.deps.db.selectFrom('audit_log').select('seq').where('account_id', '=', a.id).execute()).toEqual([]);
    const history = await listLieuVersions(t.deps, place.id);
    const edit = history.find((v) => v.changes.nom && (v.changes.nom as { to: unknown }).to === 'Médiathèque avant suppression')!;
    expect(edit).toMatchObject({ actor_kind: 'account', actor_id: 'compte supprimé' });
    expect(JSON.stringify(history)).not.toContain(a.id);
    const reports = await t.deps.db.selectFrom('reports').select('email').where('message', '=', 'Le lieu est fermé le lundi').execute();
    expect(reports).toEqual([{ email: null }]);
    const deletions = await t.deps.db.selectFrom('audit_log').select(['account_id', 'ip']).where('action', '=', 'account.delete').execute();
    expect(deletions.length).toBeGreaterThanOrEqual(1);
    expect(deletions.every((d) => d.account_id === null && d.ip === null)).toBe(true);
  });

  it('the last administrateur cannot delete itself; it can once another one exists', async () => {
    await t.deps.db.deleteFrom('accounts').where('role', '=', 'administrateur').execute();
    const admin = await account('administrateur');
    const refused = await deletion(admin, PASSWORD);
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Vous êtes le dernier administrateur');
    expect(await exists(admin.id)).toBe(true);
    await account('administrateur');
    expect((await deletion(admin, PASSWORD)).statusCode).toBe(200);
    expect(await exists(admin.id)).toBe(false);
  });
});

describe('account e-mails stay private', () => {
  it('never appear in open data exports, the place API and page, or the place history', async () => {
    const a = await account('gestionnaire', [{ kind: 'lieu', code: place.id }]);
    await editPlace(a, 'Médiathèque publique');
    const urls = [
      '/api/v1/exports/lieux.csv',
      '/api/v1/exports/lieux.json',
      '/api/v1/exports/lieux.geojson',
      '/api/v1/exports/data-inclusion/structures.json',
      '/api/v1/exports/data-inclusion/services.json',
      `/api/v1/lieux/${place.id}`,
      `/lieux/${place.id}`,
      '/api/v1/lieux/changes',
    ];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBeLessThan(400);
      expect(res.body, url).not.toContain('@exemple-prive.fr');
    }
    const exported = await t.app.inject({ method: 'GET', url: '/api/v1/exports/lieux.json' });
    expect(exported.body).toContain('Médiathèque publique'); // the export does carry the account's edit
    expect(JSON.stringify(await listLieuVersions(t.deps, place.id))).not.toContain('@exemple-prive.fr');
  });
});
