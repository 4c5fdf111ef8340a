// Reminder campaign end to end against a real SMTP server on 127.0.0.1: who is selected, the
// 30-day rate, the e-mail and its link, and the link's confirmation (expired, forged, reused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailBody, startSmtpServer, type CapturedMail, type TestSmtpServer } from '../../../test/helpers/smtp-server.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createLogger } from '../../lib/logger.ts';
import { createMailer, createMemoryMailer } from '../../lib/mailer.ts';
import { loadConfig } from '../../server/config.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { createAccountByOperator } from '../accounts/accounts.use-cases.ts';
import { createLieu, getLieu, listLieuVersions, unpublishLieu } from '../lieux/lieux.use-cases.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { confirmByReminderLink, confirmFreshness, listReminderTargets, openReminderLink, sendFreshnessReminders, type FreshnessDeps } from './freshness.use-cases.ts';

const captured: CapturedMail[] = [];
let server: TestSmtpServer;
let handle: DbHandle;
let deps: FreshnessDeps;
let now = new Date('2026-08-15T10:00:00Z');
const day = 86_400_000;

const subjectOf = (data: string) => /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(data)?.[1] ?? '';
const tokenOf = (text: string) => /\/fraicheur\/confirmer\?jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1];

let counter = 0;
const place = (date_maj: string) => ({
  pivot: '21690123100011',
  nom: `Médiathèque ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: '30 boulevard Vivier-Merle',
  date_maj,
  latitude: 45.7607,
  longitude: 4.8583,
});

let old: Lieu, stale: Lieu, fresh: Lieu, gone: Lieu, orphan: Lieu;
let managerId: string;

beforeAll(async () => {
  server = await startSmtpServer(captured);
  handle = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', MAILLAGE_REFERENCE_DIR: '../shared/data', MAILLAGE_PUBLIC_URL: 'https://maillage.test' });
  deps = {
    db: handle.db,
    clock: { now: () => new Date(now) },
    territories: createTerritories({ referenceDir: config.referenceDir }),
    config,
    mailer: createMailer({ smtpUrl: server.url, from: 'Maillage <ne-pas-repondre@maillage.test>', logger: createLogger('silent') }),
  };
  old = await createLieu(deps, place('2025-03-01'), { kind: 'cli' });
  stale = await createLieu(deps, place('2026-01-20'), { kind: 'cli' });
  fresh = await createLieu(deps, place('2026-06-01'), { kind: 'cli' });
  gone = await createLieu(deps, place('2024-01-01'), { kind: 'cli' });
  orphan = await createLieu(deps, place('2024-01-01'), { kind: 'cli' }); // nobody manages it
  await unpublishLieu(deps, gone.id, { kind: 'cli' });
  const accounts = { db: deps.db, clock: deps.clock, mailer: createMemoryMailer(), publicUrl: 'https://maillage.test' };
  ({ id: managerId } = await createAccountByOperator(accounts, {
    email: 'gestion@example.org',
    role: 'gestionnaire',
    scopes: [old, stale, fresh, gone].map((l) => ({ kind: 'lieu' as const, code: l.id })),
  }));
  // An unverified address gets nothing.
  const { id: unverified } = await createAccountByOperator(accounts, { email: 'pas-verifie@example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: old.id }] });
  await deps.db.updateTable('accounts').set({ email_verified_at: null }).where('id', '=', unverified).execute();
});
afterAll(async () => {
  deps?.mailer.close();
  await handle?.close();
  await server?.close();
});

describe('reminder campaign', () => {
  it('selects the verified managers of published places at least 6 months old, oldest first', async () => {
    const targets = await listReminderTargets(deps);
    expect(targets.map((t) => t.lieu_id)).toEqual([old.id, stale.id]);
    expect(targets.every((t) => t.email === 'gestion@example.org')).toBe(true);
    expect(targets.map((t) => t.lieu_id)).not.toContain(orphan.id);
  });

  it('e-mails each of them once with a French text and a working one-click link', async () => {
    const result = await sendFreshnessReminders(deps);
    expect(result).toMatchObject({ sent: 2, lieux: 2, failed: 0 });
    expect(captured).toHaveLength(2);
    const mail = captured.find((m) => mailBody(m.data).includes(old.nom))!;
    expect(mail.to).toEqual(['gestion@example.org']);
    const text = mailBody(mail.data);
    expect(subjectOf(mail.data)).toBeTruthy();
    expect(text).toContain(`Vous gérez le lieu « ${old.nom} » (Lyon)`);
    expect(text).toContain('le 1 mars 2025 (il y a 1 an)');
    expect(text).toContain('valable 30 jours');
    expect(text).toMatch(/https:\/\/maillage\.test\/fraicheur\/confirmer\?jeton=[A-Za-z0-9_-]{43}/);
    const link = await openReminderLink(deps, tokenOf(text));
    expect(link.lieu.id).toBe(old.id);
    expect(link.account.id).toBe(managerId);
    const rows = await deps.db.withTables<{ freshness_reminders: { lieu_id: string; status: string } }>().selectFrom('freshness_reminders').select(['lieu_id', 'status']).execute();
    expect(rows.find((r) => r.lieu_id === old.id)?.status).toBe('ancienne');
    expect(rows.find((r) => r.lieu_id === stale.id)?.status).toBe('a_verifier');
  });

  it('sends no second e-mail for a place within 30 days, and again after', async () => {
    expect((await sendFreshnessReminders(deps)).sent).toBe(0);
    now = new Date(now.getTime() + 29 * day);
    expect((await sendFreshnessReminders(deps)).sent).toBe(0);
    expect(captured).toHaveLength(2);
    now = new Date(now.getTime() + 2 * day);
    const again = await sendFreshnessReminders(deps);
    expect(again.sent).toBe(2);
    expect(captured).toHaveLength(4);
  });

  it('a failed e-mail is not recorded, so the next run retries it', async () => {
    const broken: FreshnessDeps = { ...deps, mailer: { async send() { throw new Error('SMTP en panne'); }, close() {} } };
    now = new Date(now.getTime() + 31 * day);
    const failed = await sendFreshnessReminders(broken);
    expect(failed).toMatchObject({ sent: 0, failed: 2 });
    expect((await listReminderTargets(deps)).length).toBe(2);
  });
});

describe('confirmation by the e-mailed link', () => {
  let token: string;
  beforeAll(async () => {
    captured.length = 0;
    await sendFreshnessReminders(deps);
    token = tokenOf(mailBody(captured.find((m) => mailBody(m.data).includes(stale.nom))!.data))!;
  });

  it('refuses a forged or truncated token with a French message', async () => {
    await expect(openReminderLink(deps, 'x'.repeat(43))).rejects.toThrow('n’est pas valide');
    await expect(openReminderLink(deps, token.slice(0, 20))).rejects.toThrow('n’est pas valide');
    await expect(openReminderLink(deps, undefined)).rejects.toMatchObject({ status: 400 });
  });

  it('refuses an expired link', async () => {
    const saved = now;
    now = new Date(now.getTime() + 31 * day);
    await expect(openReminderLink(deps, token)).rejects.toMatchObject({ status: 410, message: expect.stringContaining('a expiré') });
    await expect(confirmByReminderLink(deps, token, '192.0.2.1')).rejects.toThrow('a expiré');
    now = saved;
  });

  it('confirms the place: date_maj is today, one history version changing only date_maj, an audit entry', async () => {
    const before = await getLieu(deps, stale.id);
    const lieu = await confirmByReminderLink(deps, token, '192.0.2.1');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
    expect(lieu.date_maj).toBe(today);
    expect({ ...lieu, date_maj: before.date_maj }).toMatchObject({ ...before, updated_at: expect.anything() });
    const [last] = (await listLieuVersions(deps, stale.id)).reverse();
    expect(last).toMatchObject({ actor_kind: 'account', actor_id: managerId, action: 'update' });
    expect(Object.keys(last!.changes)).toEqual(['date_maj']);
    const audit = await deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', stale.id).execute();
    expect(audit).toMatchObject([{ action: 'lieu.confirm_freshness', account_id: managerId, ip: '192.0.2.1' }]);
    expect((await listReminderTargets(deps)).map((t) => t.lieu_id)).not.toContain(stale.id);
  });

  it('refuses a second use of the same link', async () => {
    await expect(confirmByReminderLink(deps, token, null)).rejects.toMatchObject({ status: 410, message: expect.stringContaining('déjà servi') });
  });

  it('refuses a manager who no longer manages the place, leaving the link unused', async () => {
    const link = tokenOf(mailBody(captured.find((m) => mailBody(m.data).includes(old.nom))!.data))!;
    await deps.db.deleteFrom('account_scopes').where('account_id', '=', managerId).where('code', '=', old.id).execute();
    await expect(confirmByReminderLink(deps, link, null)).rejects.toMatchObject({ status: 403 });
    await expect(openReminderLink(deps, link)).resolves.toMatchObject({ lieu: { id: old.id } });
    await expect(confirmFreshness(deps, old.id, { account: { id: managerId, role: 'gestionnaire', scopes: [] }, ip: null })).rejects.toThrow('Action refusée');
  });
});
