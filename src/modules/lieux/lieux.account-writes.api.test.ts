// The authorisation matrix of account writes on places: every write route × every role ×
// inside/outside the account's scope, plus 401 without a session and CSRF on writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Scope } from '../accounts/authorize.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import { createLieu } from './lieux.use-cases.ts';
import type { Lieu } from './lieux.schema.ts';

let t: TestApp;
let counter = 0;

const lyon = () => ({
  pivot: '21690123100011',
  nom: `Médiathèque lyonnaise ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: '30 boulevard Vivier-Merle',
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
});
const paris = () => ({
  pivot: '21750001600019',
  nom: `Espace numérique parisien ${++counter}`,
  commune: 'Paris',
  code_postal: '75011',
  adresse: '12 place Léon Blum',
  date_maj: '2025-01-15',
  latitude: 48.8574,
  longitude: 2.38,
});

let lyonCodes: Lieu;

beforeAll(async () => {
  t = await buildTestApp({ mailer: createMemoryMailer() });
  lyonCodes = await createLieu(t.deps, lyon(), { kind: 'cli' });
  const parisCodes = await createLieu(t.deps, paris(), { kind: 'cli' });
  // The matrix is only meaningful if the two places share no territory.
  expect(lyonCodes.code_departement).toBe('69');
  expect(parisCodes.code_departement).toBe('75');
  expect(lyonCodes.code_region).not.toBe(parisCodes.code_region);
});
afterAll(async () => t?.close());

type Profile = { name: string; role: Role; scopes: (inside: Lieu) => Scope[] };
const profiles: Profile[] = [
  { name: 'gestionnaire du lieu', role: 'gestionnaire', scopes: (inside) => [{ kind: 'lieu', code: inside.id }] },
  { name: 'réseau', role: 'reseau', scopes: () => [{ kind: 'source', code: 'reseau-test' }] },
  { name: 'agent territorial (commune)', role: 'agent_territorial', scopes: () => [{ kind: 'commune', code: lyonCodes.code_insee! }] },
  { name: 'agent territorial (EPCI)', role: 'agent_territorial', scopes: () => [{ kind: 'epci', code: lyonCodes.code_epci! }] },
  { name: 'agent territorial (département)', role: 'agent_territorial', scopes: () => [{ kind: 'departement', code: '69' }] },
  { name: 'agent territorial (région)', role: 'agent_territorial', scopes: () => [{ kind: 'region', code: lyonCodes.code_region! }] },
  { name: 'modérateur', role: 'moderateur', scopes: () => [] },
  { name: 'administrateur', role: 'administrateur', scopes: () => [] },
];

type Route = 'POST /api/v1/lieux' | 'PATCH /api/v1/lieux/:id' | 'DELETE /api/v1/lieux/:id';
const routes: Route[] = ['POST /api/v1/lieux', 'PATCH /api/v1/lieux/:id', 'DELETE /api/v1/lieux/:id'];

/** Expected outcome: true allowed, or the start of the French refusal. */
function expected(profile: Profile, route: Route, inside: boolean): true | string {
  switch (profile.role) {
    case 'moderateur':
    case 'administrateur':
      return true;
    case 'reseau':
      return 'Un compte réseau modifie ses lieux par ses sources';
    case 'gestionnaire':
      if (route === 'POST /api/v1/lieux') return 'Un gestionnaire de lieu ne peut pas publier directement';
      return inside ? true : 'Ce lieu n’est pas géré par votre compte';
    case 'agent_territorial':
      return inside ? true : 'Ce lieu n’est pas situé sur le territoire de votre compte';
  }
}

let accountCounter = 0;
async function signedIn(profile: Profile, inside: Lieu) {
  const { id } = await createAccountByOperator(
    { db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' },
    { email: `compte${++accountCounter}@example.org`, role: profile.role, scopes: profile.scopes(inside) },
  );
  const session = await openSession(t.deps, id);
  return { id, headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken } };
}

function request(route: Route, target: Lieu, body: Record<string, unknown>, headers: Record<string, string>) {
  const [method, path] = route.split(' ') as ['POST' | 'PATCH' | 'DELETE', string];
  const url = path.replace(':id', target.id);
  return t.app.inject({ method, url, headers, remoteAddress: '192.0.2.7', ...(method === 'DELETE' ? {} : { payload: body }) });
}

describe('account writes on places: route × role × scope', () => {
  for (const route of routes) {
    for (const profile of profiles) {
      for (const inside of [true, false]) {
        const outcome = expected(profile, route, inside);
        it(`${route} by ${profile.name}, ${inside ? 'inside' : 'outside'} its scope: ${outcome === true ? 'allowed' : 'refused'}`, async () => {
          const mine = await createLieu(t.deps, lyon(), { kind: 'cli' });
          const target = inside ? mine : await createLieu(t.deps, paris(), { kind: 'cli' });
          const { id, headers } = await signedIn(profile, mine);
          const body = route === 'POST /api/v1/lieux' ? (inside ? lyon() : paris()) : { presentation_resume: 'Nouveaux horaires d’été.' };
          const res = await request(route, target, body, headers);
          const audit = await t.deps.db.selectFrom('audit_log').selectAll().where('account_id', '=', id).execute();
          if (outcome === true) {
            expect(res.statusCode, res.body).toBe(route === 'POST /api/v1/lieux' ? 201 : 200);
            const lieuId = res.json().id as string;
            const versions = await t.deps.db.selectFrom('lieu_versions').select(['actor_kind', 'actor_id']).where('lieu_id', '=', lieuId).orderBy('version', 'desc').execute();
            expect(versions[0]).toEqual({ actor_kind: 'account', actor_id: id });
            expect(audit).toHaveLength(1);
            expect(audit[0]).toMatchObject({ action: route === 'POST /api/v1/lieux' ? 'lieu.create' : route === 'PATCH /api/v1/lieux/:id' ? 'lieu.update' : 'lieu.unpublish', target_type: 'lieu', target_id: lieuId, ip: '192.0.2.7' });
            if (route === 'DELETE /api/v1/lieux/:id') expect(res.json().status).toBe('unpublished');
            if (route === 'PATCH /api/v1/lieux/:id') expect(res.json().presentation_resume).toBe('Nouveaux horaires d’été.');
          } else {
            expect(res.statusCode, res.body).toBe(403);
            expect(res.json().title).toContain('Action refusée');
            expect(res.json().title).toContain(outcome);
            expect(audit).toHaveLength(0);
            const after = await t.deps.db.selectFrom('lieux').select(['version', 'status']).where('id', '=', target.id).executeTakeFirstOrThrow();
            expect(after).toEqual({ version: 1, status: 'published' });
          }
        });
      }
    }
    it(`${route} without a session: 401`, async () => {
      const target = await createLieu(t.deps, lyon(), { kind: 'cli' });
      const res = await request(route, target, route === 'POST /api/v1/lieux' ? lyon() : { nom: 'X' }, {});
      expect(res.statusCode).toBe(401);
      expect(res.json().title).toBe('Connectez-vous pour effectuer cette action.');
    });
    it(`${route} with a session but no CSRF token: 403, nothing written`, async () => {
      const target = await createLieu(t.deps, lyon(), { kind: 'cli' });
      const { headers } = await signedIn(profiles.find((p) => p.role === 'administrateur')!, target);
      const res = await request(route, target, route === 'POST /api/v1/lieux' ? lyon() : { nom: 'Y' }, { cookie: headers.cookie, 'x-csrf-token': 'x'.repeat(43) });
      expect(res.statusCode).toBe(403);
      expect(res.json().title).toContain('CSRF');
      const after = await t.deps.db.selectFrom('lieux').select('version').where('id', '=', target.id).executeTakeFirstOrThrow();
      expect(after.version).toBe(1);
    });
  }

  it('refuses a territorial agent moving a place out of its territory', async () => {
    const mine = await createLieu(t.deps, lyon(), { kind: 'cli' });
    const { headers } = await signedIn(profiles.find((p) => p.name === 'agent territorial (département)')!, mine);
    const res = await request('PATCH /api/v1/lieux/:id', mine, { commune: 'Paris', code_postal: '75011', adresse: '12 place Léon Blum', latitude: 48.8574, longitude: 2.38 }, headers);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().title).toContain('territoire');
  });

  it('gives field-level French errors to an authorised account', async () => {
    const mine = await createLieu(t.deps, lyon(), { kind: 'cli' });
    const { headers } = await signedIn(profiles.find((p) => p.role === 'moderateur')!, mine);
    const res = await request('POST /api/v1/lieux', mine, { nom: 'Sans adresse' }, headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('adresse');
  });
});

describe('GET /api/v1/audit', () => {
  it('is readable by moderators and administrators only', async () => {
    const mine = await createLieu(t.deps, lyon(), { kind: 'cli' });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/audit' });
    expect(anonymous.statusCode).toBe(401);
    const manager = await signedIn(profiles[0]!, mine);
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: manager.headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().title).toContain('réservé aux modérateurs');
    const moderator = await signedIn(profiles.find((p) => p.role === 'moderateur')!, mine);
    const page = await t.app.inject({ method: 'GET', url: '/api/v1/audit?limite=5', headers: moderator.headers });
    expect(page.statusCode).toBe(200);
    const entries = page.json() as { seq: number; action: string; account_id: string }[];
    expect(entries).toHaveLength(5);
    expect(entries[0]!.seq).toBeGreaterThan(entries[4]!.seq);
    const older = await t.app.inject({ method: 'GET', url: `/api/v1/audit?limite=5&avant=${entries[4]!.seq}`, headers: moderator.headers });
    expect(older.json()[0].seq).toBeLessThan(entries[4]!.seq);
    // No e-mail address in the log.
    expect(page.body).not.toContain('@');
  });
});
