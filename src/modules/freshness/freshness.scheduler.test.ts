import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { loadConfig } from '../../server/config.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { createAccountByOperator } from '../accounts/accounts.use-cases.ts';
import { createLieu } from '../lieux/lieux.use-cases.ts';
import { isSendingHour, runFreshnessTick } from './freshness.scheduler.ts';
import type { FreshnessDeps } from './freshness.use-cases.ts';

describe('daily freshness run', () => {
  let handle: DbHandle;
  let deps: FreshnessDeps & { mailer: ReturnType<typeof createMemoryMailer> };
  let now = new Date('2026-08-15T01:00:00Z'); // 3:00 in Paris
  beforeAll(async () => {
    handle = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', MAILLAGE_REFERENCE_DIR: '../shared/data' });
    deps = { db: handle.db, clock: { now: () => new Date(now) }, territories: createTerritories({ referenceDir: config.referenceDir }), config, mailer: createMemoryMailer() };
    const lieu = await createLieu(deps, { pivot: '21690123100011', nom: 'Vieux lieu', commune: 'Lyon', code_postal: '69003', adresse: '1 rue Test', date_maj: '2025-01-01' }, { kind: 'cli' });
    await createAccountByOperator({ ...deps, publicUrl: 'https://maillage.test', mailer: createMemoryMailer() }, { email: 'g@example.org', role: 'gestionnaire', scopes: [{ kind: 'lieu', code: lieu.id }] });
  });
  afterAll(async () => handle?.close());

  it('sends only during French office hours', () => {
    expect(isSendingHour(new Date('2026-08-15T06:59:00Z'))).toBe(false); // 8:59 in Paris (summer)
    expect(isSendingHour(new Date('2026-08-15T07:00:00Z'))).toBe(true);
    expect(isSendingHour(new Date('2026-01-15T08:30:00Z'))).toBe(true); // 9:30 in Paris (winter)
    expect(isSendingHour(new Date('2026-01-15T17:00:00Z'))).toBe(false);
  });

  it('hourly ticks send each due reminder once', async () => {
    expect(await runFreshnessTick(deps)).toBeNull();
    expect(deps.mailer.sent).toHaveLength(0);
    now = new Date('2026-08-15T08:00:00Z');
    expect(await runFreshnessTick(deps)).toEqual({ sent: 1, lieux: 1, failed: 0 });
    now = new Date('2026-08-15T09:00:00Z');
    expect(await runFreshnessTick(deps)).toEqual({ sent: 0, lieux: 0, failed: 0 });
    expect(deps.mailer.sent).toHaveLength(1);
  });
});
