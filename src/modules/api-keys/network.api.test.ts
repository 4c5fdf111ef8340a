// API keys and the network API: keys created in the back-office (shown once, stored hashed),
// revoked, and used to push a source's complete list of places with PUT /api/v1/sources/{id}/lieux
// (idempotent, per-record feedback, 422 when nothing is usable, rights, rate limit, audit).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import { sha256 } from '../accounts/accounts.crypto.ts';
import type { Role, ScopeKind } from '../accounts/accounts.tables.ts';
import { addSource } from '../sources/sources.use-cases.ts';
import { pushesPerMinute } from './network.api.ts';
import { newApiKeyToken } from './api-keys.use-cases.ts';

const place = (id: string, nom: string, extra: Record<string, unknown> = {}) => ({
  id,
  nom,
  pivot: '21580194700019',
  adresse: '12 rue du Commandant Rivière',
  commune: 'Nevers',
  code_postal: '58000',
  code_insee: '58194',
  latitude: 46.9896,
  longitude: 3.159,
  date_maj: '2024-05-02',
  services: ['Aide aux démarches administratives'],
  ...extra,
});
const n1 = place('n1', 'Médiathèque Jean-Jaurès');
const n2 = place('n2', 'EPN de la Fontaine d’Ouche', { pivot: '21210231500017', adresse: '2 place de la Fontaine d’Ouche', commune: 'Dijon', code_postal: '21000', code_insee: '21231', latitude: 47.315, longitude: 5.005 });

let t: TestApp;
const mailer = createMemoryMailer();
let counter = 0;

async function signIn(role: Role, scopes: { kind: ScopeKind; code: string }[] = []) {
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer, publicUrl: 'http://test' }, { email: `reseau-api${++counter}@example.org`, role, scopes });
  const session = await openSession(t.deps, id);
  return { id, cookies: { [SESSION_COOKIE]: session.sessionId }, csrf: session.csrfToken };
}
type Who = Awaited<ReturnType<typeof signIn>>;

const form = (url: string, who: Who, fields: [string, string][]) =>
  t.app.inject({ method: 'POST', url, cookies: who.cookies, payload: new URLSearchParams([['_csrf', who.csrf], ...fields]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });

async function createKey(who: Who, label: string, sourceIds: string[] = []): Promise<string> {
  const res = await form('/compte/cles-api', who, [['label', label], ...sourceIds.map((s): [string, string] => ['source_ids', s])]);
  expect(res.statusCode, res.body).toBe(201);
  const token = /mlg_[A-Za-z0-9_-]{43}/.exec(res.body)?.[0];
  expect(token).toBeDefined();
  return token!;
}

const push = (sourceId: string, key: string | null, body: unknown, contentType = 'application/json') =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/sources/${sourceId}/lieux`,
    headers: { 'content-type': contentType, ...(key ? { authorization: `Bearer ${key}` } : {}) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

const runsOf = async (sourceId: string) => Number((await t.deps.db.selectFrom('import_runs').select((e) => e.fn.countAll().as('n')).where('source_id', '=', sourceId).executeTakeFirstOrThrow()).n);

let reseau: Who;
let other: Who;
let admin: Who;
let mine: string;
let second: string;
let theirs: string;

beforeAll(async () => {
  t = await buildTestApp({ mailer });
  const deps = { db: t.deps.db, clock: t.deps.clock };
  mine = (await addSource(deps, { name: 'reseau-a', producer: 'Réseau A', format: 'standard-json' })).id;
  second = (await addSource(deps, { name: 'reseau-a-bis', producer: 'Réseau A' })).id;
  theirs = (await addSource(deps, { name: 'reseau-b', producer: 'Réseau B' })).id;
  reseau = await signIn('reseau', [
    { kind: 'source', code: mine },
    { kind: 'source', code: second },
  ]);
  other = await signIn('reseau', [{ kind: 'source', code: theirs }]);
  admin = await signIn('administrateur');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('API keys in the back-office', () => {
  it('shows a new key once and stores only its SHA-256', async () => {
    const token = await createKey(reseau, 'Export nocturne');
    const row = await t.deps.db.selectFrom('api_keys').selectAll().where('label', '=', 'Export nocturne').executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(token));
    expect(row.account_id).toBe(reseau.id);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.prefix).toBe(token.slice(0, 10));
    const page = await t.app.inject({ method: 'GET', url: '/compte/cles-api', cookies: reseau.cookies, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Export nocturne');
    expect(page.body).toContain(`${token.slice(0, 10)}…`);
    expect(page.body).not.toContain(token);
    expect(page.headers['cache-control']).toBe('no-store');
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_key.create').where('target_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a key without a label, or for a source of another network, with French messages', async () => {
    const res = await form('/compte/cles-api', reseau, [
      ['label', ' '],
      ['source_ids', theirs],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Le libellé de la clé est obligatoire');
    expect(res.body).toContain('n’est pas rattachée à votre compte');
    expect(res.body).not.toMatch(/mlg_[A-Za-z0-9_-]{43}/);
  });

  it('lets only réseau and administrateur accounts manage keys, with the CSRF token', async () => {
    const scopes = { gestionnaire: [{ kind: 'lieu' as const, code: '00000000-0000-4000-8000-000000000001' }], agent_territorial: [{ kind: 'departement' as const, code: '58' }], moderateur: [] };
    for (const role of ['gestionnaire', 'agent_territorial', 'moderateur'] as const) {
      const who = await signIn(role, scopes[role]);
      expect((await t.app.inject({ method: 'GET', url: '/compte/cles-api', cookies: who.cookies, headers: { accept: 'text/html' } })).statusCode, role).toBe(403);
      expect((await form('/compte/cles-api', who, [['label', 'x']])).statusCode, role).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/compte/cles-api', headers: { accept: 'text/html' } })).headers.location).toBe('/connexion');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/compte/cles-api', cookies: reseau.cookies, payload: 'label=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await createKey(admin, 'Clé admin')).toMatch(/^mlg_/);
  });
});

describe('PUT /api/v1/sources/{id}/lieux', () => {
  let key: string;
  beforeAll(async () => {
    key = await createKey(reseau, 'SI du réseau');
  });

  it('imports the list, and the same list again changes nothing', async () => {
    const first = await push(mine, key, [n1, n2]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().stats).toMatchObject({ read: 2, accepted: 2, new: 2, rejected: 0 });
    const again = await push(mine, key, [n1, n2]);
    expect(again.statusCode).toBe(200);
    expect(again.json().stats).toMatchObject({ read: 2, accepted: 2, new: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(again.json().run_id).not.toBe(first.json().run_id);
    const pushed = await t.deps.db.selectFrom('source_pushes').selectAll().where('source_id', '=', mine).executeTakeFirstOrThrow();
    expect(pushed.body_sha256).toMatch(/^standard-json:[0-9a-f]{64}$/);
    const used = await t.deps.db.selectFrom('api_keys').select('last_used_at').where('key_hash', '=', sha256(key)).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'source.push').where('target_id', '=', mine).execute();
    expect(audit.length).toBe(2);
    expect(audit[0]!.account_id).toBe(reseau.id);
  });

  it('reports rejected records one by one, and places absent from the body lose the source', async () => {
    const res = await push(mine, key, [n1, place('n3', '', { code_postal: '5800' })]);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.stats).toMatchObject({ read: 2, rejected: 1, unchanged: 1, removed: 1 });
    const errors = body.problems.filter((p: { severity: string }) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(e.row).toBe(2);
      expect(e.message).toMatch(/[a-zé]/);
    }
    expect(errors.map((e: { field: string }) => e.field)).toContain('nom');
  });

  it('answers 422 with the per-record errors and writes nothing when no record is usable', async () => {
    const before = await runsOf(mine);
    const res = await push(mine, key, [place('x1', ''), place('x2', '', { code_postal: '' })]);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json();
    expect(problem.title).toContain('aucun des 2 enregistrements');
    expect(problem.errors.map((e: { row: number }) => e.row)).toEqual(expect.arrayContaining([1, 2]));
    for (const [body, text] of [
      ['{pas du json', 'JSON'],
      ['[]', 'rien n’a été modifié'],
      ['', 'vide'],
    ] as const) {
      const bad = await push(mine, key, body);
      expect(bad.statusCode, body).toBe(422);
      expect(bad.json().title).toContain(text);
    }
    expect(await runsOf(mine)).toBe(before);
    const stillListed = await t.deps.db.selectFrom('lieu_sources').select('lieu_id').where('source_id', '=', mine).where('removed_at', 'is', null).execute();
    expect(stillListed).toHaveLength(1);
  });

  it('accepts the standard CSV and refuses other content types in French', async () => {
    const csv = ['id,pivot,nom,adresse,commune,code_postal,code_insee,latitude,longitude,date_maj', 'c1,21580194700019,Tiers-lieu du Port,1 quai du Port,Nevers,58000,58194,46.99,3.16,2024-05-02'].join('\n');
    const res = await push(second, key, csv, 'text/csv; charset=utf-8');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ format: 'standard-csv', stats: { new: 1 } });
    const xml = await push(second, key, '<lieux/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json().title).toContain('application/json');
  });

  it('refuses another network’s source (403), an unknown one (404), a key limited to other sources (403)', async () => {
    const res = await push(theirs, key, [n1]);
    expect(res.statusCode).toBe(403);
    expect(res.json().title).toBe('Action refusée : Cette source n’est pas rattachée à votre compte réseau.');
    expect((await push('00000000-0000-4000-8000-000000000000', key, [n1])).statusCode).toBe(404);
    const limited = await createKey(reseau, 'Seulement la première', [mine]);
    expect((await push(second, limited, [n1])).statusCode).toBe(403);
    expect((await push(mine, limited, [n1])).statusCode).toBe(200);
    const adminKey = await createKey(admin, 'Admin partout');
    expect((await push(theirs, adminKey, [n2])).statusCode).toBe(200);
  });

  it('refuses a key whose account is not, or no longer, a réseau holding the source (rights read at each push)', async () => {
    const scopes = { gestionnaire: [{ kind: 'lieu' as const, code: '00000000-0000-4000-8000-000000000002' }], agent_territorial: [{ kind: 'departement' as const, code: '58' }], moderateur: [] };
    for (const role of ['gestionnaire', 'agent_territorial', 'moderateur'] as const) {
      // Such keys cannot be created in the back-office: planted in the table, as if the role had changed.
      const who = await signIn(role, scopes[role]);
      const token = newApiKeyToken();
      await t.deps.db.insertInto('api_keys').values({ id: randomUUID(), account_id: who.id, label: role, key_hash: sha256(token), prefix: token.slice(0, 10) }).execute();
      const res = await push(mine, token, [n1]);
      expect(res.statusCode, role).toBe(403);
      expect(res.json().title).toContain('réservée aux comptes réseau et aux administrateurs');
    }
    // A réseau whose scope lost the source: its existing key stops working for it.
    const former = await signIn('reseau', [{ kind: 'source', code: second }]);
    const token = await createKey(former, 'Ancien réseau');
    expect((await push(second, token, [n1])).statusCode).toBe(200);
    await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', former.id).execute();
    expect((await push(second, token, [n1])).statusCode).toBe(403);
  });

  it('answers 401 problem+json in French without a key, with an unknown key, and with a revoked key', async () => {
    const none = await push(mine, null, [n1]);
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.json().title).toContain('Clé d’API absente');
    expect((await push(mine, `mlg_${'A'.repeat(43)}`, [n1])).json().title).toContain('Clé d’API inconnue');
    const doomed = await createKey(reseau, 'À révoquer');
    expect((await push(mine, doomed, [n1])).statusCode).toBe(200);
    const row = await t.deps.db.selectFrom('api_keys').select('id').where('key_hash', '=', sha256(doomed)).executeTakeFirstOrThrow();
    // Another account cannot revoke it.
    expect((await form(`/compte/cles-api/${row.id}/revoquer`, other, [])).statusCode).toBe(404);
    const revoke = await form(`/compte/cles-api/${row.id}/revoquer`, reseau, []);
    expect(revoke.statusCode).toBe(303);
    const refused = await push(mine, doomed, [n1]);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().title).toContain('révoquée');
    // A session cookie does not open the network API.
    const withCookie = await t.app.inject({ method: 'PUT', url: `/api/v1/sources/${mine}/lieux`, cookies: reseau.cookies, headers: { 'content-type': 'application/json', 'x-csrf-token': reseau.csrf }, payload: JSON.stringify([n1]) });
    expect(withCookie.statusCode).toBe(401);
  });

  it('limits the pushes per key and per minute', async () => {
    const bogus = `mlg_${'B'.repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= pushesPerMinute; i++) statuses.push((await push(mine, bogus, [n1])).statusCode);
    expect(statuses.slice(0, pushesPerMinute).every((s) => s === 401)).toBe(true);
    const limited = await push(mine, bogus, [n1]);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().title).toContain('Trop d’envois');
  });
});
