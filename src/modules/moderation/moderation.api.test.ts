// The JSON routes of claims and moderation: every moderation route × every role (moderators
// and administrators allowed, the others refused with a French problem+json), and a claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import type { Scope } from '../accounts/authorize.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import { createReport } from '../reports/reports.use-cases.ts';

const mailer = createMemoryMailer();
let t: TestApp;
let counter = 0;

const place = () => ({
  pivot: '21690123100011',
  nom: `Point numérique ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: `${counter} rue Garibaldi`,
  date_maj: '2025-01-15',
  latitude: 45.76,
  longitude: 4.85,
  site_web: ['https://numerique.lyon.fr'],
});

async function headersOf(role: Role, email: string, scopes: Scope[] = []) {
  const placeholder: Scope = { kind: 'lieu', code: '00000000-0000-4000-8000-000000000000' };
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes: role === 'gestionnaire' && !scopes.length ? [placeholder] : scopes });
  await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).where('code', '=', placeholder.code).execute();
  const session = await openSession(t.deps, id);
  return { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken };
}

beforeAll(async () => {
  t = await buildTestApp({ mailer });
});
afterAll(async () => t?.close());

describe('moderation JSON routes × roles', () => {
  const refused: Role[] = ['gestionnaire', 'reseau', 'agent_territorial'];
  for (const role of refused) {
    it(`refuses every moderation route to a ${role} account with a French reason`, async () => {
      const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
      const headers = await headersOf(role, `${role}${++counter}@exemple.fr`, role === 'agent_territorial' ? [{ kind: 'departement', code: '69' }] : role === 'gestionnaire' ? [{ kind: 'lieu', code: lieu.id }] : []);
      const report = await createReport(t.deps, lieu.id, { kind: 'horaires', message: 'Fermé le samedi depuis mars.' }, `203.0.113.${counter}`);
      const requests = [
        t.app.inject({ method: 'GET', url: '/api/v1/moderation', headers }),
        t.app.inject({ method: 'POST', url: `/api/v1/moderation/signalements/${report.stored ? report.id : ''}`, headers, payload: { decision: 'traite' } }),
        t.app.inject({ method: 'POST', url: '/api/v1/moderation/revendications/00000000-0000-4000-8000-000000000001', headers, payload: { decision: 'accepter' } }),
        t.app.inject({ method: 'POST', url: '/api/v1/moderation/doublons', headers, payload: { decision: 'rejeter', lieu_a: lieu.id, lieu_b: lieu.id } }),
      ];
      for (const res of await Promise.all(requests)) {
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json().title).toBe('Action refusée : la file de modération est réservée aux modérateurs et aux administrateurs.');
      }
    });
  }

  for (const role of ['moderateur', 'administrateur'] as const) {
    it(`lets a ${role} read the queue and decide`, async () => {
      const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
      const claimant = await headersOf('gestionnaire', `demandeur${++counter}@gmail.com`);
      const claim = await t.app.inject({ method: 'POST', url: `/api/v1/lieux/${lieu.id}/revendication`, headers: claimant, payload: { message: 'Responsable du lieu' } });
      expect(claim.statusCode).toBe(202);
      expect(claim.json()).toMatchObject({ statut: 'en-attente', lieu: { id: lieu.id }, raison: expect.stringContaining('messagerie grand public') });
      await createReport(t.deps, lieu.id, { kind: 'autre', message: 'Le lieu a déménagé en face.', email: 'habitant@exemple.org' }, `203.0.113.${++counter}`);

      const headers = await headersOf(role, `${role}${++counter}@anct.example.org`);
      const queue = await t.app.inject({ method: 'GET', url: '/api/v1/moderation', headers });
      expect(queue.statusCode).toBe(200);
      const body = queue.json();
      const pending = body.revendications.find((c: { lieu: { id: string } }) => c.lieu.id === lieu.id);
      const open = body.signalements.find((r: { lieu: { id: string } }) => r.lieu.id === lieu.id);
      expect(pending).toMatchObject({ message: 'Responsable du lieu' });
      expect(open).toMatchObject({ message: 'Le lieu a déménagé en face.', reponse_attendue: true });
      expect(JSON.stringify(body)).not.toContain('habitant@exemple.org');

      const refusedWithoutComment = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/revendications/${pending.id}`, headers, payload: { decision: 'refuser' } });
      expect(refusedWithoutComment.statusCode).toBe(400);
      expect(refusedWithoutComment.json().errors[0].field).toBe('commentaire');
      const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/revendications/${pending.id}`, headers, payload: { decision: 'accepter', commentaire: 'Vérifié.' } });
      expect(accepted.json()).toEqual({ notifie: true });
      const resolved = await t.app.inject({ method: 'POST', url: `/api/v1/moderation/signalements/${open.id}`, headers, payload: { decision: 'traite' } });
      expect(resolved.json()).toEqual({ notifie: true });
      expect(mailer.sent.at(-1)!.to).toBe('habitant@exemple.org');
      // The claimant now manages the place.
      const edit = await t.app.inject({ method: 'PATCH', url: `/api/v1/lieux/${lieu.id}`, headers: claimant, payload: { telephone: '0478000000' } });
      expect(edit.statusCode).toBe(200);
    });
  }

  it('accepts a claim at once on a matching domain, and refuses anonymous claims', async () => {
    const lieu = await createLieu(t.deps, place(), { kind: 'cli' });
    const headers = await headersOf('gestionnaire', `epn${++counter}@lyon.fr`);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/lieux/${lieu.id}/revendication`, headers, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ statut: 'acceptee', raison: null });
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/v1/lieux/${lieu.id}/revendication`, payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });
});
