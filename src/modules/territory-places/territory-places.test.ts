// The places of an agent's territory: who sees which places (use cases), the page with its
// filters and pages, the CSRF-protected "toujours à jour" form and the standard CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { AccountPrincipal, Scope } from '../accounts/authorize.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import { createLieu, getLieu, unpublishLieu } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { standardFields } from '../lieux/lieux.schema.ts';
import { confirmFreshness } from '../freshness/freshness.use-cases.ts';
import { listTerritoryPlaces, parseTerritoryFilters, territoryPageSize } from './territory-places.use-cases.ts';

let t: TestApp;
const now = new Date('2026-08-15T10:00:00Z');
let fresh: Lieu, stale: Lieu, old: Lieu, removed: Lieu, paris: Lieu;
let counter = 0;

const lyon = (date_maj: string, extra: Record<string, unknown> = {}) => ({
  pivot: '21690123100011',
  nom: `Espace Lyon ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: `${counter} boulevard Vivier-Merle`,
  date_maj,
  latitude: 45.7607,
  longitude: 4.8583,
  ...extra,
});
const principal = (role: Role, scopes: Scope[]): AccountPrincipal => ({ id: '00000000-0000-4000-8000-000000000001', role, scopes });
const names = (places: { nom: string }[]) => places.map((p) => p.nom);

async function session(role: Role, scopes: Scope[]): Promise<{ cookie: string; csrf: string }> {
  const accounts = { db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' };
  const { id } = await createAccountByOperator(accounts, { email: `territoire${++counter}@example.org`, role, scopes });
  const s = await openSession(t.deps, id);
  return { cookie: `${SESSION_COOKIE}=${s.sessionId}`, csrf: s.csrfToken };
}

beforeAll(async () => {
  t = await buildTestApp({ clock: { now: () => new Date(now) } });
  fresh = await createLieu(t.deps, lyon('2026-06-01', { nom: 'Médiathèque Part-Dieu', horaires: 'Mo-Fr 09:00-12:00' }), { kind: 'cli' });
  stale = await createLieu(t.deps, lyon('2025-12-01', { nom: 'Espace numérique Vivier' }), { kind: 'cli' });
  old = await createLieu(t.deps, lyon('2024-03-01', { nom: 'Tiers-lieu des Pentes' }), { kind: 'cli' });
  removed = await createLieu(t.deps, lyon('2026-07-01', { nom: 'Ancien point numérique' }), { kind: 'cli' });
  await unpublishLieu(t.deps, removed.id, { kind: 'cli' }, 'fermé');
  paris = await createLieu(t.deps, { ...lyon('2024-01-01'), nom: 'Maison France services Paris 15', commune: 'Paris', code_postal: '75015', adresse: '1 rue de Vaugirard', latitude: 48.84, longitude: 2.3 }, { kind: 'cli' });
  expect(fresh.code_departement).toBe('69');
  expect(fresh.code_epci).toBeTruthy();
});
afterAll(async () => t?.close());

describe('listTerritoryPlaces', () => {
  it('shows an agent of département 69 the Lyon places of every status, not the Paris ones, the oldest first', async () => {
    const result = await listTerritoryPlaces(t.deps, principal('agent_territorial', [{ kind: 'departement', code: '69' }]), { page: 1 });
    expect(names(result.places)).toEqual(['Tiers-lieu des Pentes', 'Espace numérique Vivier', 'Médiathèque Part-Dieu', 'Ancien point numérique']);
    expect(result.total).toBe(4);
    expect(result.places.find((p) => p.id === removed.id)!.status).toBe('unpublished');
    expect(result.places.find((p) => p.id === old.id)!.freshness.status).toBe('ancienne');
    expect(result.places.find((p) => p.id === fresh.id)!.completeness.score).toBe(23); // horaires 15 + position 8
  });

  it('shows an EPCI agent the places of its EPCI, and a Paris agent only Paris', async () => {
    const epci = await listTerritoryPlaces(t.deps, principal('agent_territorial', [{ kind: 'epci', code: fresh.code_epci! }]), { page: 1 });
    expect(epci.total).toBe(4);
    expect(names(epci.places)).not.toContain(paris.nom);
    const other = await listTerritoryPlaces(t.deps, principal('agent_territorial', [{ kind: 'departement', code: '75' }]), { page: 1 });
    expect(names(other.places)).toEqual([paris.nom]);
  });

  it('filters by freshness and by publication status', async () => {
    const agent = principal('agent_territorial', [{ kind: 'region', code: fresh.code_region! }]);
    expect(names((await listTerritoryPlaces(t.deps, agent, { page: 1, fraicheur: 'a_verifier' })).places)).toEqual(['Espace numérique Vivier']);
    expect(names((await listTerritoryPlaces(t.deps, agent, { page: 1, fraicheur: 'ancienne' })).places)).toEqual(['Tiers-lieu des Pentes']);
    expect(names((await listTerritoryPlaces(t.deps, agent, { page: 1, fraicheur: 'a_jour', statut: 'published' })).places)).toEqual(['Médiathèque Part-Dieu']);
    expect(names((await listTerritoryPlaces(t.deps, agent, { page: 1, statut: 'unpublished' })).places)).toEqual(['Ancien point numérique']);
  });

  it('refuses a gestionnaire and an agent without territory; a moderator names a département', async () => {
    await expect(listTerritoryPlaces(t.deps, principal('gestionnaire', [{ kind: 'lieu', code: fresh.id }]), { page: 1 })).rejects.toMatchObject({ status: 403 });
    await expect(listTerritoryPlaces(t.deps, principal('agent_territorial', []), { page: 1 })).rejects.toMatchObject({ status: 403 });
    const moderator = principal('moderateur', []);
    expect((await listTerritoryPlaces(t.deps, moderator, { page: 1 })).total).toBe(0);
    expect(names((await listTerritoryPlaces(t.deps, moderator, { page: 1, departement: '75' })).places)).toEqual([paris.nom]);
  });

  it('rejects bad filters with a French message naming the field', () => {
    expect(parseTerritoryFilters({ fraicheur: 'ancienne', statut: 'published', page: '2' })).toEqual({ fraicheur: 'ancienne', statut: 'published', page: 2 });
    expect(() => parseTerritoryFilters({ fraicheur: 'vieux' })).toThrow(/Fraîcheur inconnue/);
    expect(() => parseTerritoryFilters({ page: '0' })).toThrow(/page/);
  });
});

describe('confirmFreshness by an agent', () => {
  it('confirms a place inside the territory and refuses one outside', async () => {
    const agent = principal('agent_territorial', [{ kind: 'commune', code: stale.code_insee! }]);
    const confirmed = await confirmFreshness(t.deps, stale.id, { account: agent, ip: null });
    expect(confirmed.date_maj).toBe('2026-08-15');
    await expect(confirmFreshness(t.deps, paris.id, { account: agent, ip: null })).rejects.toMatchObject({ status: 403 });
    expect((await getLieu(t.deps, paris.id)).date_maj).toBe('2024-01-01');
  });
});

describe('/compte/territoire over HTTP', () => {
  let agent: { cookie: string; csrf: string };
  beforeAll(async () => {
    agent = await session('agent_territorial', [{ kind: 'departement', code: '69' }]);
  });

  it('asks to sign in, refuses a gestionnaire, and is linked from the agent’s account page', async () => {
    expect((await t.app.inject({ url: '/compte/territoire' })).headers.location).toBe('/connexion');
    const manager = await session('gestionnaire', [{ kind: 'lieu', code: fresh.id }]);
    const refused = await t.app.inject({ url: '/compte/territoire', headers: { cookie: manager.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('réservée aux agents territoriaux');
    expect((await t.app.inject({ url: '/compte/territoire/export.csv', headers: { cookie: manager.cookie } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/compte', headers: { cookie: agent.cookie } })).body).toContain('href="/compte/territoire"');
    expect((await t.app.inject({ url: '/compte', headers: { cookie: manager.cookie } })).body).not.toContain('href="/compte/territoire"');
  });

  it('lists the places with status, freshness, completeness and links, filtered by GET parameters', async () => {
    const res = await t.app.inject({ url: '/compte/territoire', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    for (const lieu of [fresh, old, removed]) expect(res.body).toContain(lieu.nom);
    expect(res.body).not.toContain(paris.nom);
    expect(res.body).toContain('Retiré');
    expect(res.body).toContain('Mis à jour il y a 2 ans');
    expect(res.body).toContain(`href="/compte/lieux/${old.id}/modifier"`);
    expect(res.body).toContain(`href="/lieux/${old.id}"`);
    expect(res.body).toContain(`action="/compte/territoire/${old.id}/confirmer"`);
    expect(res.body).not.toContain(`action="/compte/territoire/${removed.id}/confirmer"`); // nothing to confirm once removed
    const filtered = await t.app.inject({ url: '/compte/territoire?fraicheur=ancienne&statut=published', headers: { cookie: agent.cookie } });
    expect(filtered.body).toContain(old.nom);
    expect(filtered.body).not.toContain(fresh.nom);
    expect(filtered.body).toContain('href="/compte/territoire/export.csv?fraicheur=ancienne&amp;statut=published"');
    const bad = await t.app.inject({ url: '/compte/territoire?statut=brouillon', headers: { cookie: agent.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Statut inconnu');
  });

  it('confirms “toujours à jour” with the CSRF token only, and comes back to the same filters', async () => {
    const target = await createLieu(t.deps, lyon('2025-01-01', { nom: 'Point relais Guillotière' }), { kind: 'cli' });
    const headers = { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' };
    const noCsrf = await t.app.inject({ method: 'POST', url: `/compte/territoire/${target.id}/confirmer`, headers, payload: '' });
    expect(noCsrf.statusCode).toBe(403);
    expect((await getLieu(t.deps, target.id)).date_maj).toBe('2025-01-01');
    const ok = await t.app.inject({ method: 'POST', url: `/compte/territoire/${target.id}/confirmer?fraicheur=ancienne`, headers, payload: `_csrf=${agent.csrf}` });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/compte/territoire?fraicheur=ancienne&confirme=${target.id}`);
    expect((await getLieu(t.deps, target.id)).date_maj).toBe('2026-08-15');
    const back = await t.app.inject({ url: ok.headers.location as string, headers: { cookie: agent.cookie } });
    expect(back.body).toContain('sont confirmées à jour');
    const outside = await t.app.inject({ method: 'POST', url: `/compte/territoire/${paris.id}/confirmer`, headers, payload: `_csrf=${agent.csrf}` });
    expect(outside.statusCode).toBe(403);
    expect(outside.body).toContain('n’est pas situé sur le territoire de votre compte');
  });

  it('exports the published places of the territory as a standard v1 CSV attachment', async () => {
    const res = await t.app.inject({ url: '/compte/territoire/export.csv', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="lieux-territoire.csv"');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...standardFields]);
    const exported = rows.map((r) => r.nom);
    expect(exported).toContain(fresh.nom);
    expect(exported).toContain(old.nom);
    expect(exported).not.toContain(removed.nom); // the standard has no status column
    expect(exported).not.toContain(paris.nom);
    const filtered = await t.app.inject({ url: '/compte/territoire/export.csv?fraicheur=ancienne', headers: { cookie: agent.cookie } });
    expect((parse(filtered.body, { columns: true }) as Record<string, string>[]).map((r) => r.nom)).toEqual([old.nom]);
  });

  it('pages a territory of more than one page', async () => {
    const many = Array.from({ length: territoryPageSize + 2 }, (_, i) => lyon('2023-01-01', { nom: `Borne Villeurbanne ${String(i).padStart(3, '0')}`, commune: 'Villeurbanne', code_postal: '69100' }));
    for (const raw of many) await createLieu(t.deps, raw, { kind: 'cli' });
    const villeurbanne = await session('agent_territorial', [{ kind: 'commune', code: '69266' }]);
    const first = await t.app.inject({ url: '/compte/territoire', headers: { cookie: villeurbanne.cookie } });
    expect(first.body).toContain(`page 1 sur 2`);
    expect(first.body).toContain('href="/compte/territoire?page=2"');
    const second = await t.app.inject({ url: '/compte/territoire?page=2', headers: { cookie: villeurbanne.cookie } });
    expect(second.body).toContain('page 2 sur 2');
    expect((second.body.match(/Borne Villeurbanne/g) ?? []).length).toBeGreaterThan(0);
    expect((second.body.match(/action="\/compte\/territoire\/[^"]+\/confirmer/g) ?? []).length).toBe(2);
  });
});
