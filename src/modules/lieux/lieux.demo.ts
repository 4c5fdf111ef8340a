// Demonstration data: a fresh, empty registry gets about two hundred realistic places (real
// communes, invented organisations) so the site, map and API have something to show. They go
// through the normal batch use case, so they are validated, versioned and logged like any other.
import { sql } from 'kysely';
import type { Config } from '../../server/config.ts';
import type { Logger } from '../../lib/logger.ts';
import { ConflictError } from '../../lib/errors.ts';
import { createLieux, type Actor, type LieuxDeps } from './lieux.use-cases.ts';
import { demoLieux } from './lieux.demo.data.ts';

export const DEMO_ACTOR: Actor = { kind: 'system', id: 'demo' };

export type SeedDemoDeps = LieuxDeps & { config: Pick<Config, 'seedDemo'>; logger?: Logger };

/** The demonstration places, as createLieux accepts them (a fresh copy each call). */
export function demoRecords(): Record<string, unknown>[] {
  return demoLieux.map((lieu) => structuredClone(lieu));
}

/**
 * Creates the demonstration places when seeding is enabled and the registry holds no place at
 * all (published or not); returns how many were created (0 when skipped). All or nothing.
 */
export async function seedDemoData(deps: SeedDemoDeps): Promise<number> {
  if (!deps.config.seedDemo) return 0;
  // Any existing row, even unpublished, means the registry is in use: never add demo data to it.
  const existing = await sql<{ one: number }>`SELECT 1 AS one FROM lieux LIMIT 1`.execute(deps.db);
  if (existing.rows.length > 0) return 0;
  try {
    const created = await createLieux(deps, demoRecords(), DEMO_ACTOR);
    deps.logger?.info({ count: created.length }, 'demonstration places created');
    return created.length;
  } catch (error) {
    // Another process seeding at the same moment won the race (same fixed ids): nothing to do.
    if (error instanceof ConflictError || isUniqueViolation(error)) return 0;
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
