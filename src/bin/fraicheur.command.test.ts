import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import type { DbHandle } from '../db/kysely.ts';
import { createMemoryMailer } from '../lib/mailer.ts';
import { loadConfig } from '../server/config.ts';
import { createTerritories } from '../modules/territories/territories.use-cases.ts';
import { createAccountByOperator } from '../modules/accounts/accounts.use-cases.ts';
import { createLieu } from '../modules/lieux/lieux.use-cases.ts';
import type { FreshnessDeps } from '../modules/freshness/freshness.use-cases.ts';
import { fraicheurRappels } from './fraicheur.command.ts';

describe('maillage fraicheur rappels', () => {
  let handle: DbHandle;
  let deps: FreshnessDeps & { mailer: ReturnType<typeof createMemoryMailer> };
  const lines: string[] = [];
  const out = (text: string) => lines.push(text);
  beforeAll(async () => {
    handle = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', MAILLAGE_REFERENCE_DIR: '../shared/data', MAILLAGE_FRAICHEUR_A_VERIFIER_MOIS: '3' });
    deps = { db: handle.db, clock: { now: () => new Date('2026-08-15T10:00:00Z') }, territories: createTerritories({ referenceDir: config.referenceDir }), config, mailer: createMemoryMailer() };
    const base = { pivot: '21690123100011', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle' };
    const a = await createLieu(deps, { ...base, nom: 'Quatre mois', date_maj: '2026-04-10' }, { kind: 'cli' });
    const b = await createLieu(deps, { ...base, nom: 'Deux mois', date_maj: '2026-06-10' }, { kind: 'cli' });
    await createAccountByOperator({ ...deps, publicUrl: 'https://maillage.test', mailer: createMemoryMailer() }, { email: 'g@example.org', role: 'gestionnaire', scopes: [a, b].map((l) => ({ kind: 'lieu' as const, code: l.id })) });
  });
  afterAll(async () => handle?.close());

  it('--simulation lists the places concerned (threshold from MAILLAGE_FRAICHEUR_A_VERIFIER_MOIS) and sends nothing', async () => {
    expect(await fraicheurRappels(deps, { simulation: true }, out)).toBe(0);
    expect(lines.join('')).toContain('1 e-mail(s) de rappel seraient envoyés pour 1 lieu(x)');
    expect(lines.join('')).toContain('- Quatre mois (Lyon), mis à jour le 2026-04-10');
    expect(lines.join('')).not.toContain('Deux mois');
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('sends, then sends nothing on a second run the same day', async () => {
    lines.length = 0;
    expect(await fraicheurRappels(deps, {}, out)).toBe(0);
    expect(lines.join('')).toContain('1 e-mail(s) de rappel envoyés pour 1 lieu(x)');
    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.mailer.sent[0]!.subject).toBe('Maillage : les informations de « Quatre mois » sont-elles toujours à jour ?');
    lines.length = 0;
    await fraicheurRappels(deps, {}, out);
    expect(lines.join('')).toContain('0 e-mail(s) de rappel envoyés pour 0 lieu(x)');
    expect(deps.mailer.sent).toHaveLength(1);
  });
});
