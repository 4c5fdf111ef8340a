// The moderators' API of the review queue: list, merge (and the 301 of the merged place),
// split, reject; who may call it; problem+json errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { scorePair } from './imports.dedup.ts';

let t: TestApp;
let counter = 0;
const besancon = (overrides: Record<string, unknown> = {}) => ({
  pivot: '00000000000000',
  nom: 'Espace numérique de Planoise',
  commune: 'Besançon',
  code_postal: '25000',
  adresse: '1 rue Jean Wyrsch',
  latitude: 47.224,
  longitude: 5.976,
  date_maj: '2026-01-10',
  ...overrides,
});

async function signedIn(role: Role, scopes: { kind: 'lieu' | 'source' | 'departement'; code: string }[] = []) {
  const { id } = await createAccountByOperator(
    { db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' },
    { email: `doublons${++counter}@example.org`, role, scopes },
  );
  const session = await openSession(t.deps, id);
  return { id, headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken } };
}

async function pair(x: Lieu, y: Lieu) {
  const rows = await t.deps.db.selectFrom('lieux').selectAll().where('id', 'in', [x.id, y.id]).execute();
  const [first, second] = rows.sort((r, s) => (r.id < s.id ? -1 : 1)) as [(typeof rows)[0], (typeof rows)[0]];
  const score = scorePair(first, second);
  await t.deps.db.insertInto('lieu_duplicates').values({ lieu_a: first.id, lieu_b: second.id, score: score.score, decision: score.decision === 'merge' ? 'merge' : 'review', signals: JSON.stringify(score.signals), reason: score.reason ?? null, found_run_id: null, found_at: new Date() }).execute();
}

let moderator: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  t = await buildTestApp({ mailer: createMemoryMailer() });
  moderator = await signedIn('moderateur');
});
afterAll(async () => t?.close());

describe('/api/v1/doublons', () => {
  it('lists, merges with a 301 for the merged place, and splits', async () => {
    const a = await createLieu(t.deps, besancon(), { kind: 'cli' });
    const b = await createLieu(t.deps, besancon({ nom: 'EPN Planoise', adresse: '1 r. Jean Wyrsch', pivot: '21250056500016', horaires: 'Tu 14:00-18:00' }), { kind: 'cli' });
    await pair(a, b);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/doublons', headers: moderator.headers });
    expect(list.statusCode, list.body).toBe(200);
    const found = list.json().doublons.find((p: { lieu_a: { id: string }; lieu_b: { id: string } }) => [p.lieu_a.id, p.lieu_b.id].sort().join() === [a.id, b.id].sort().join());
    expect(found).toMatchObject({ decision: 'merge', status: 'pending', signals: { pivot: 'unknown' } });
    expect(found.score).toBeGreaterThanOrEqual(85);

    const merge = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/fusion', headers: moderator.headers, payload: { lieu_conserve: a.id, lieu_fusionne: b.id }, remoteAddress: '192.0.2.9' });
    expect(merge.statusCode, merge.body).toBe(200);
    expect(merge.json()).toMatchObject({ fusionne: b.id, lieu: { id: a.id, pivot: '21250056500016', horaires: 'Tu 14:00-18:00' } });

    const moved = await t.app.inject({ method: 'GET', url: `/api/v1/lieux/${b.id}` });
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/api/v1/lieux/${a.id}`);
    expect(moved.headers['content-type']).toContain('application/problem+json');
    expect(moved.json()).toMatchObject({ status: 301, lieu: a.id });
    const page = await t.app.inject({ method: 'GET', url: `/lieux/${b.id}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(301);
    expect(page.headers.location).toBe(`/lieux/${a.id}`);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'target_id', 'ip']).where('account_id', '=', moderator.id).execute();
    expect(audit).toContainEqual({ action: 'lieu.merge', target_id: b.id, ip: '192.0.2.9' });

    const split = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/separation', headers: moderator.headers, payload: { lieu: b.id } });
    expect(split.statusCode, split.body).toBe(200);
    expect(split.json()).toMatchObject({ lieu: { id: a.id, pivot: '00000000000000', horaires: null }, separe: { id: b.id, status: 'published' } });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/lieux/${b.id}` })).statusCode).toBe(200);
  });

  it('rejects a pair so it is not proposed again', async () => {
    const a = await createLieu(t.deps, besancon({ nom: 'Médiathèque Nelson Mandela', adresse: '13 avenue de l’Île-de-France' }), { kind: 'cli' });
    const b = await createLieu(t.deps, besancon({ nom: 'Maison de quartier Nelson Mandela', adresse: '13 avenue de l’Île-de-France' }), { kind: 'cli' });
    await pair(a, b);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/rejet', headers: moderator.headers, payload: { lieu_a: a.id, lieu_b: b.id } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('rejected');
    const pending = (await t.app.inject({ method: 'GET', url: '/api/v1/doublons', headers: moderator.headers })).json().doublons as { lieu_a: { id: string } }[];
    expect(pending.some((p) => p.lieu_a.id === a.id || p.lieu_a.id === b.id)).toBe(false);
    const rejected = (await t.app.inject({ method: 'GET', url: '/api/v1/doublons?statut=rejetes', headers: moderator.headers })).json().doublons as unknown[];
    expect(rejected.length).toBeGreaterThanOrEqual(1);
  });

  it('answers problem+json in French for bad input and conflicts', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/fusion', headers: moderator.headers, payload: { lieu_conserve: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().errors).toContainEqual(expect.objectContaining({ field: 'lieu_fusionne' }));
    const notUuid = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/fusion', headers: moderator.headers, payload: { lieu_conserve: 'x', lieu_fusionne: 'y' } });
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().errors[0].field).toBe('lieu_conserve');
    const x = await createLieu(t.deps, besancon({ nom: 'Centre social Palente', adresse: '3 rue de Palente', pivot: '44306184100047' }), { kind: 'cli' });
    const y = await createLieu(t.deps, besancon({ nom: 'Centre social Palente', adresse: '3 rue de Palente', pivot: '21250056500016' }), { kind: 'cli' });
    const sirets = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/fusion', headers: moderator.headers, payload: { lieu_conserve: x.id, lieu_fusionne: y.id } });
    expect(sirets.statusCode).toBe(409);
    expect(sirets.json().title).toContain('SIRET/RNA différents');
    const nothing = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/separation', headers: moderator.headers, payload: { lieu: x.id } });
    expect(nothing.statusCode).toBe(409);
    const badStatus = await t.app.inject({ method: 'GET', url: '/api/v1/doublons?statut=tous', headers: moderator.headers });
    expect(badStatus.statusCode).toBe(400);
  });

  it('is reserved to moderators and administrators', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/doublons' })).statusCode).toBe(401);
    const scopes = { gestionnaire: [{ kind: 'lieu' as const, code: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' }], reseau: [{ kind: 'source' as const, code: 'reseau-test' }], agent_territorial: [{ kind: 'departement' as const, code: '25' }] };
    for (const role of ['gestionnaire', 'reseau', 'agent_territorial'] as const) {
      const { headers } = await signedIn(role, scopes[role]);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/doublons', headers });
      expect(res.statusCode, role).toBe(403);
      expect(res.json().title).toContain('réservées aux modérateurs et aux administrateurs');
    }
    const admin = await signedIn('administrateur');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/doublons', headers: admin.headers })).statusCode).toBe(200);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/doublons/rejet', headers: { cookie: moderator.headers.cookie }, payload: { lieu_a: 'a', lieu_b: 'b' } });
    expect(noCsrf.statusCode).toBe(403);
  });
});
