// An audited write and its audit entry commit or roll back together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { auditedWrite } from './audit.use-cases.ts';
import { createLieu, getLieu, updateLieu } from '../lieux/lieux.use-cases.ts';
import { createLieuAsAccount, updateLieuAsAccount } from '../lieux/lieux.account-writes.ts';
import type { AccountPrincipal } from '../accounts/authorize.ts';
import { ValidationError } from '../../lib/errors.ts';

let t: TestApp;
const moderator: AccountPrincipal = { id: randomUUID(), role: 'moderateur', scopes: [] };
const ctx = { account: moderator, ip: '203.0.113.7' };
let n = 0;
const lieu = () => ({
  pivot: '21690123100011',
  nom: `Médiathèque de test ${++n}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: '30 boulevard Vivier-Merle',
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
});

const auditRows = (targetId: string) => t.deps.db.selectFrom('audit_log').selectAll().where('target_id', '=', targetId).execute();

beforeAll(async () => {
  t = await buildTestApp({ mailer: createMemoryMailer() });
});
afterAll(async () => t?.close());

describe('audited writes', () => {
  it('a successful account write has exactly one audit entry', async () => {
    const created = await createLieuAsAccount(t.deps, lieu(), ctx);
    expect((await auditRows(created.id)).map((r) => [r.action, r.account_id, r.ip])).toEqual([['lieu.create', moderator.id, '203.0.113.7']]);
    await updateLieuAsAccount(t.deps, created.id, { nom: 'Nouveau nom' }, ctx);
    expect((await auditRows(created.id)).map((r) => r.action).sort()).toEqual(['lieu.create', 'lieu.update']);
  });

  it('a failing account write leaves no audit entry', async () => {
    const created = await createLieu(t.deps, lieu(), { kind: 'cli' });
    await expect(updateLieuAsAccount(t.deps, created.id, { code_postal: 'pas un code' }, ctx)).rejects.toBeInstanceOf(ValidationError);
    expect(await auditRows(created.id)).toEqual([]);
  });

  it('when the audit entry cannot be written, the write is rolled back', async () => {
    const created = await createLieu(t.deps, lieu(), { kind: 'cli' });
    await expect(
      auditedWrite(
        t.deps,
        (db) => updateLieu({ ...t.deps, db }, created.id, { nom: 'Jamais enregistré' }, { kind: 'account', id: moderator.id }),
        // action is NOT NULL: the insert of the entry fails after the write succeeded.
        (written) => ({ account_id: moderator.id, action: null as unknown as string, target_type: 'lieu', target_id: written.id, ip: null }),
      ),
    ).rejects.toThrow();
    const after = await getLieu(t.deps, created.id);
    expect(after.nom).toBe(created.nom);
    expect(after.updated_at).toBe(created.updated_at);
    expect(await auditRows(created.id)).toEqual([]);
  });
});
