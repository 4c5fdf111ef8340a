// The audit log page for moderators (/moderation/journal): who may read it, what it shows, the
// account filter and paging backwards. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import type { Scope } from '../accounts/authorize.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import { updateLieuAsAccount } from '../lieux/lieux.account-writes.ts';
import { recordAudit } from './audit.use-cases.ts';

let t: TestApp;
let counter = 0;

async function signedIn(role: Role, scopes: Scope[]) {
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email: `audit${++counter}@exemple.fr`, role, scopes });
  const session = await openSession(t.deps, id);
  return { id, role, scopes, cookies: { [SESSION_COOKIE]: session.sessionId } };
}
const get = (url: string, who?: { cookies: Record<string, string> }) => t.app.inject({ method: 'GET', url, cookies: who?.cookies ?? {}, headers: { accept: 'text/html' } });

let lieuId: string;
let manager: Awaited<ReturnType<typeof signedIn>>;
let moderator: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  t = await buildTestApp();
  const lieu = await createLieu(t.deps, { pivot: '21690123100011', nom: 'Médiathèque du Vieux-Lyon', commune: 'Lyon', code_postal: '69005', adresse: '4 rue de la Bombarde', date_maj: '2025-01-15', latitude: 45.7622, longitude: 4.8268 }, { kind: 'cli' });
  lieuId = lieu.id;
  manager = await signedIn('gestionnaire', [{ kind: 'lieu', code: lieuId }]);
  moderator = await signedIn('moderateur', []);
  await updateLieuAsAccount(t.deps, lieuId, { telephone: '+33478000001' }, { account: manager, ip: '192.0.2.44' });
  // Enough other entries for two pages.
  for (let i = 0; i < 55; i++) await recordAudit(t.deps.db, t.deps.clock, { account_id: moderator.id, action: 'test.entry', target_type: 'essai', target_id: null, ip: '192.0.2.1' });
});
afterAll(async () => t?.close());

describe('GET /moderation/journal', () => {
  it('sends a signed-out visitor to sign in, and refuses a place manager with the use case’s reason', async () => {
    expect((await get('/moderation/journal')).headers.location).toBe('/connexion');
    const refused = await get('/moderation/journal', manager);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Action refusée');
  });

  it('shows a moderator the newest entries first, 50 a page, and pages backwards', async () => {
    const first = await get('/moderation/journal', moderator);
    expect(first.statusCode).toBe(200);
    const seqs = [...first.body.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(seqs).toHaveLength(50);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    const older = first.body.match(/href="\/moderation\/journal\?avant=(\d+)"/);
    expect(Number(older?.[1])).toBe(seqs.at(-1));
    const second = await get(`/moderation/journal?avant=${older![1]}`, moderator);
    const next = [...second.body.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(next.length).toBeGreaterThan(0);
    expect(Math.max(...next)).toBeLessThan(Math.min(...seqs));
  });

  it('keeps only one account’s entries, names accounts by id (never by e-mail) and links places to their history', async () => {
    const page = await get(`/moderation/journal?compte=${manager.id}`, moderator);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lieu.update');
    expect(page.body).not.toContain('test.entry');
    expect(page.body).toContain(`/moderation/lieux/${lieuId}/historique`);
    expect(page.body).toContain('192.0.2.44');
    expect(page.body).toContain(`compte ${manager.id.slice(0, 8)}`);
    expect(page.body).not.toMatch(/audit\d+@exemple\.fr/);
  });

  it('ignores a malformed page or account value instead of failing', async () => {
    const page = await get('/moderation/journal?avant=abc&compte=pas-un-id', moderator);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('test.entry');
  });
});
