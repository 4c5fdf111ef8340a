import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { insertLieu } from '../../../test/builders/lieu.ts';
import { purgeExpiredPersonalData } from './retention.ts';
import { accountsPurge } from '../../bin/accounts.command.ts';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.close());

const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('purge of expired personal data', () => {
  it('drops expired sessions and tokens, audit entries and handled reports older than a year, and nothing else', async () => {
    const db = handle.db;
    const accountId = randomUUID();
    await db.insertInto('accounts').values({ id: accountId, email: 'garde@example.org', password_hash: 'x', role: 'gestionnaire', created_at: daysAgo(800), updated_at: daysAgo(800) }).execute();
    await db.insertInto('sessions').values([
      { id_hash: 'expiree', account_id: accountId, csrf_token: 'a', created_at: daysAgo(10), expires_at: daysAgo(3) },
      { id_hash: 'vivante', account_id: accountId, csrf_token: 'b', created_at: daysAgo(1), expires_at: daysAgo(-6) },
    ]).execute();
    await db.insertInto('account_tokens').values([
      { token_hash: 'vieux', account_id: accountId, purpose: 'reset', expires_at: daysAgo(1) },
      { token_hash: 'neuf', account_id: accountId, purpose: 'verify', expires_at: daysAgo(-1) },
    ]).execute();
    await db.insertInto('audit_log').values([
      { account_id: accountId, action: 'ancienne', target_type: 'lieu', target_id: null, ip: '192.0.2.1', at: daysAgo(400) },
      { account_id: accountId, action: 'recente', target_type: 'lieu', target_id: null, ip: '192.0.2.1', at: daysAgo(30) },
    ]).execute();
    const lieu = await insertLieu(db);
    const report = (status: string, age: number) => ({ id: randomUUID(), lieu_id: lieu.id, kind: 'autre', message: `${status} ${age}`, email: 'x@example.org', ip_hash: 'h', status, created_at: daysAgo(age) });
    await db.insertInto('reports').values([report('resolved', 400), report('rejected', 400), report('open', 400), report('resolved', 30)] as never).execute();

    const purged = await purgeExpiredPersonalData({ db, clock: { now: () => now } });
    expect(purged).toEqual({ sessions: 1, jetons: 1, journal_audit: 1, signalements: 2 });
    expect((await db.selectFrom('sessions').select('id_hash').execute()).map((r) => r.id_hash)).toEqual(['vivante']);
    expect((await db.selectFrom('account_tokens').select('token_hash').execute()).map((r) => r.token_hash)).toEqual(['neuf']);
    expect((await db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)).toEqual(['recente']);
    expect((await db.selectFrom('reports').select('message').orderBy('message').execute()).map((r) => r.message)).toEqual(['open 400', 'resolved 30']);
  });

  it('maillage accounts purge says what it removed, in French', async () => {
    const lines: string[] = [];
    await accountsPurge({ db: handle.db, clock: { now: () => new Date(now.getTime() + 400 * 86_400_000) } }, (text) => lines.push(text));
    expect(lines.join('')).toBe('Supprimés : 1 session(s) et 1 lien(s) expirés, 1 entrée(s) du journal d’audit et 1 signalement(s) traité(s) de plus de 365 jours.\n');
  });
});
