import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { DbHandle } from '../../db/kysely.ts';
import { fixedClock } from '../../lib/clock.ts';
import { createTerritories } from '../territories/territories.use-cases.ts';
import { createLieu } from './lieux.use-cases.ts';
import { validateLieu } from './lieux.validation.ts';
import { enumerations } from './lieux.schema.ts';
import { demoRecords, seedDemoData, type SeedDemoDeps } from './lieux.demo.ts';
import { generateLieux } from '../../../bench/generate.ts';

const territories = createTerritories({ referenceDir: path.resolve('../shared/data') });
const clock = fixedClock('2026-11-28T10:00:00Z');

let handle: DbHandle;
let deps: SeedDemoDeps;

beforeAll(async () => {
  handle = await createTestDatabase();
  deps = { db: handle.db, clock, territories, config: { seedDemo: true } };
});
afterAll(async () => {
  await handle.close();
});

async function clearRegistry(): Promise<void> {
  await sql`DELETE FROM lieu_changes`.execute(handle.db);
  await sql`DELETE FROM lieux`.execute(handle.db);
}

async function countLieux(): Promise<{ total: number; published: number; versions: number }> {
  const { rows } = await sql<{ total: number; published: number; versions: number }>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'published')::int AS published,
           (SELECT count(*)::int FROM lieu_versions) AS versions
    FROM lieux`.execute(handle.db);
  return rows[0]!;
}

describe('demonstration data', () => {
  it('holds 150 to 250 places that each pass the standard validation', () => {
    const records = demoRecords();
    expect(records.length).toBeGreaterThanOrEqual(150);
    expect(records.length).toBeLessThanOrEqual(250);
    const failures = records
      .map((record, index) => ({ index, nom: record.nom, result: validateLieu(record, territories) }))
      .filter((r) => !r.result.ok);
    expect(failures).toEqual([]);
  });

  it('spreads over many regions, with QPV and rural places, and realistic values', () => {
    const records = demoRecords();
    const values = records.map((record) => {
      const result = validateLieu(record, territories);
      if (!result.ok) throw new Error(`invalid ${String(record.nom)}`);
      return result.value;
    });
    expect(new Set(values.map((v) => v.code_region)).size).toBeGreaterThanOrEqual(12);
    const qpvCommunes = new Set(values.filter((v) => v.autres_formations_labels.includes('QPV')).map((v) => v.commune));
    expect([...qpvCommunes].sort()).toEqual(['Montpellier', 'Rennes', 'Toulouse']);
    const rural = values.filter((v) => (territories.getCommune(v.code_insee!)?.population ?? Infinity) < 5000);
    expect(rural.length).toBeGreaterThanOrEqual(3);
    for (const v of values) {
      expect(v.pivot).toMatch(/^\d{14}$/);
      expect(v.date_maj >= '2024-11-20' && v.date_maj <= '2026-11-28').toBe(true);
      expect(v.position_approximate).toBe(false);
      if (v.telephone) expect(v.telephone).toMatch(/^\+(33|262|596)\d{9}$/);
      for (const service of v.services) expect(enumerations.services).toContain(service);
    }
    // Names are unique: the demo must not look like generated duplicates.
    expect(new Set(values.map((v) => v.nom)).size).toBe(values.length);
    expect(values.some((v) => v.horaires?.includes('PH off'))).toBe(true);
  });
});

describe('seedDemoData', () => {
  beforeEach(clearRegistry);

  it('fills an empty registry with published, versioned places', async () => {
    const created = await seedDemoData(deps);
    expect(created).toBe(demoRecords().length);
    const counts = await countLieux();
    expect(counts).toEqual({ total: created, published: created, versions: created });
    const { rows } = await sql<{ actor_kind: string; actor_id: string }>`
      SELECT DISTINCT actor_kind, actor_id FROM lieu_versions`.execute(handle.db);
    expect(rows).toEqual([{ actor_kind: 'system', actor_id: 'demo' }]);
  }, 120_000);

  it('does not duplicate anything when run twice', async () => {
    const first = await seedDemoData(deps);
    const second = await seedDemoData(deps);
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
    expect((await countLieux()).total).toBe(first);
  }, 120_000);

  it('leaves a registry that already holds a place alone', async () => {
    await createLieu(deps, demoRecords()[0]!, { kind: 'cli' });
    expect(await seedDemoData(deps)).toBe(0);
    expect((await countLieux()).total).toBe(1);
  }, 60_000);

  it('does nothing when seeding is disabled', async () => {
    expect(await seedDemoData({ ...deps, config: { seedDemo: false } })).toBe(0);
    expect((await countLieux()).total).toBe(0);
  });
});

describe('generateLieux (benchmark generator)', () => {
  it('is deterministic for a seed and gives valid, uniquely named places spread over France', () => {
    const a = generateLieux(400, 7);
    expect(generateLieux(400, 7)).toEqual(a);
    expect(generateLieux(400, 8)).not.toEqual(a);
    expect(new Set(a.map((l) => l.nom)).size).toBe(400);
    expect(new Set(a.map((l) => l.code_insee.slice(0, 2))).size).toBeGreaterThan(40);
    const invalid = a.map((l) => ({ nom: l.nom, result: validateLieu({ ...l }, territories) })).filter((r) => !r.result.ok);
    expect(invalid).toEqual([]);
  }, 60_000);
});
