// X-Forwarded-For is believed only when MAILLAGE_TRUST_PROXY says so: otherwise a forged header
// would reset the per-IP rate limits and put any address in the audit log.
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/helpers/app.ts';
import { createMemoryMailer } from '../lib/mailer.ts';
import { ConfigError, loadConfig } from './config.ts';
import { SESSION_COOKIE } from './plugins/auth.ts';
import { createAccountByOperator, openSession } from '../modules/accounts/accounts.use-cases.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const signIn = (app: TestApp, forwardedFor: string) =>
  app.app.inject({
    method: 'POST',
    url: '/api/v1/compte/connexion',
    payload: { email: 'personne@example.org', password: 'un mauvais mot de passe' },
    remoteAddress: '192.0.2.50',
    headers: { 'x-forwarded-for': forwardedFor },
  });

async function auditedWriteIp(app: TestApp, forwardedFor: string): Promise<string | null> {
  const deps = { db: app.deps.db, clock: app.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' };
  const { id } = await createAccountByOperator(deps, { email: `moderation${Math.random().toString(36).slice(2)}@example.org`, role: 'moderateur', scopes: [] });
  const session = await openSession(app.deps, id);
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/v1/lieux',
    remoteAddress: '192.0.2.50',
    headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken, 'x-forwarded-for': forwardedFor },
    payload: { pivot: '21690123100011', nom: 'Médiathèque du proxy', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle', date_maj: '2025-01-15', latitude: 45.7607, longitude: 4.8583 },
  });
  expect(res.statusCode).toBe(201);
  const row = await app.deps.db.selectFrom('audit_log').select('ip').where('account_id', '=', id).executeTakeFirstOrThrow();
  return row.ip;
}

describe('MAILLAGE_TRUST_PROXY', () => {
  it('is off by default and accepts addresses/CIDRs, with a French error otherwise', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ MAILLAGE_TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ MAILLAGE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,loopback' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'loopback']);
    expect(() => loadConfig({ MAILLAGE_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAILLAGE_TRUST_PROXY: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAILLAGE_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/entrée invalide : « 10\.0\.0\.0\/33 »/);
  });

  it('off: a forged X-Forwarded-For neither resets the sign-in rate limit nor reaches the audit log', async () => {
    t = await buildTestApp({ env: { MAILLAGE_AUTH_RATE_LIMIT: '2' } });
    const statuses = [];
    for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) statuses.push((await signIn(t, forged)).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    expect(await auditedWriteIp(t, '198.51.100.9')).toBe('192.0.2.50');
  });

  it('on (the peer is a listed proxy): the forwarded address is the client, for the rate limit and the audit log', async () => {
    t = await buildTestApp({ env: { MAILLAGE_AUTH_RATE_LIMIT: '2', MAILLAGE_TRUST_PROXY: '192.0.2.0/24' } });
    const statuses = [];
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) statuses.push((await signIn(t, client)).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    expect((await signIn(t, '198.51.100.1')).statusCode).toBe(401);
    expect((await signIn(t, '198.51.100.1')).statusCode).toBe(429);
    expect(await auditedWriteIp(t, '198.51.100.9')).toBe('198.51.100.9');
  });

  it('on: a peer that is not a listed proxy is not believed', async () => {
    t = await buildTestApp({ env: { MAILLAGE_TRUST_PROXY: '10.0.0.0/8' } });
    expect(await auditedWriteIp(t, '198.51.100.9')).toBe('192.0.2.50'); // 192.0.2.50 is not a listed proxy
  });
});
