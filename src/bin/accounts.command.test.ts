import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { systemClock } from '../lib/clock.ts';
import { createMemoryMailer } from '../lib/mailer.ts';
import { ValidationError } from '../lib/errors.ts';
import { insertLieu } from '../../test/builders/lieu.ts';
import { resetPassword, login, type AccountsDeps } from '../modules/accounts/accounts.use-cases.ts';
import { accountsCreate, type AccountsCreateOptions } from './accounts.command.ts';

const options = (o: Partial<AccountsCreateOptions>): AccountsCreateOptions => ({ email: '', role: '', territoire: [], lieu: [], source: [], ...o });

describe('maillage accounts create (function)', () => {
  let handle: DbHandle;
  let deps: AccountsDeps;
  const lines: string[] = [];
  const out = (text: string) => lines.push(text);
  beforeAll(async () => {
    handle = await createTestDatabase();
    deps = { db: handle.db, clock: systemClock, mailer: createMemoryMailer(), publicUrl: 'https://maillage.test' };
  });
  afterAll(async () => handle?.close());

  it('creates a moderator whose printed link sets the password', async () => {
    const id = await accountsCreate(deps, options({ email: 'Moderation@Example.org', role: 'moderateur' }), out);
    const text = lines.join('');
    expect(text).toContain(`Compte créé (modérateur) : ${id}`);
    const token = /jeton=([A-Za-z0-9_-]+)/.exec(text)![1]!;
    await resetPassword(deps, token, 'mot de passe du modérateur');
    const session = await login(deps, 'moderation@example.org', 'mot de passe du modérateur');
    expect(session.accountId).toBe(id);
    // Signing in again drops the account's expired sessions, keeps the live one.
    await handle.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', id).execute();
    const next = await login(deps, 'moderation@example.org', 'mot de passe du modérateur');
    const left = await handle.db.selectFrom('sessions').select('account_id').where('account_id', '=', id).execute();
    expect(left).toHaveLength(1);
    expect(next.accountId).toBe(id);
  });

  it('creates a territorial agent and a place manager with their scopes', async () => {
    const agent = await accountsCreate(deps, options({ email: 'agent@example.org', role: 'agent_territorial', territoire: ['departement:69', 'commune:69123'] }), out);
    const lieu = await insertLieu(handle.db);
    const manager = await accountsCreate(deps, options({ email: 'gestion@example.org', role: 'gestionnaire', lieu: [lieu.id.toUpperCase()] }), out);
    const scopes = await handle.db.selectFrom('account_scopes').select(['account_id', 'kind', 'code']).where('account_id', 'in', [agent, manager]).orderBy('code').execute();
    expect(scopes).toEqual([
      { account_id: agent, kind: 'departement', code: '69' },
      { account_id: agent, kind: 'commune', code: '69123' },
      { account_id: manager, kind: 'lieu', code: lieu.id },
    ].sort((a, b) => a.code.localeCompare(b.code)));
  });

  it('refuses bad input in French, writing nothing', async () => {
    const count = async () => (await handle.db.selectFrom('accounts').select('id').execute()).length;
    const before = await count();
    const cases: [Partial<AccountsCreateOptions>, string][] = [
      [{ email: 'x@example.org', role: 'chef' }, 'Le rôle doit être l’un de'],
      [{ email: 'pas une adresse', role: 'moderateur' }, 'L’adresse e-mail n’est pas valide'],
      [{ email: 'y@example.org', role: 'agent_territorial' }, 'doit avoir un territoire'],
      [{ email: 'y@example.org', role: 'agent_territorial', territoire: ['pays:FR'] }, 'n’est pas un territoire'],
      [{ email: 'y@example.org', role: 'gestionnaire', lieu: ['00000000-0000-4000-8000-000000000000'] }, 'Aucun lieu ne porte'],
      [{ email: 'agent@example.org', role: 'moderateur' }, 'existe déjà'],
    ];
    for (const [input, message] of cases) {
      const error = await accountsCreate(deps, options(input), out).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(JSON.stringify((error as ValidationError).errors)).toContain(message);
    }
    expect(await count()).toBe(before);
  });
});

describe('maillage accounts create (process)', () => {
  it('prints a French error and exits non-zero on a bad role', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-accounts-cli-'));
    const env: NodeJS.ProcessEnv = { ...process.env, MAILLAGE_DATA_DIR: dataDir, MAILLAGE_SEED_DEMO: 'false', MAILLAGE_REFERENCE_DIR: path.resolve('../shared/data'), LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    try {
      const result = await promisify(execFile)('node', ['bin/maillage.js', 'accounts', 'create', '--email', 'a@example.org', '--role', 'chef'], { env, timeout: 120_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('Le rôle doit être l’un de');
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
