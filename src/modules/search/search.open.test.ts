// "Open at" filtering in both engines, on the hard days: around midnight, on the days the
// clocks change (Europe/Paris) and on public holidays, national and regional.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/kysely.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { insertLieux } from '../../../test/builders/lieu.ts';
import { loadSnapshot } from './search-index.ts';
import { searchLieux } from './search-engine.ts';
import { searchLieuxSql } from './search.repository.ts';
import type { SearchSnapshot } from './read-model.ts';

let handle: DbHandle;
let snapshot: SearchSnapshot;

beforeAll(async () => {
  handle = await createTestDatabase();
  await insertLieux(handle.db, [
    { nom: 'Soirée', horaires: 'Mo-Su 22:00-02:00' },
    { nom: 'Bureaux', horaires: 'Mo-Fr 09:00-17:00; PH off' },
    { nom: 'Dimanche matin', horaires: 'Su 03:00-05:00' },
    { nom: 'Strasbourg bureaux', horaires: 'Mo-Fr 09:00-17:00; PH off', code_departement: '67', code_region: '44', latitude: 48.58, longitude: 7.75 },
    { nom: 'Sans horaires', horaires: null },
    { nom: 'Horaires illisibles', horaires: 'quand il fait beau' },
  ]);
  snapshot = await loadSnapshot(handle.db);
});

afterAll(async () => {
  await handle.close();
});

async function openAt(iso: string): Promise<string[]> {
  const query = { ouvert_le: new Date(iso), limit: 100 };
  const memory = searchLieux(snapshot, query, new Date());
  const reference = await searchLieuxSql(handle.db, query, new Date());
  expect(memory.items.map((i) => i.id)).toEqual(reference.items.map((i) => i.id));
  return memory.items.map((item) => item.nom);
}

describe('open at an instant', () => {
  it('follows hours that run past midnight', async () => {
    // Thursday 12 June 2025 (CEST, UTC+2)
    expect(await openAt('2025-06-12T21:59:00+02:00')).toEqual([]);
    expect(await openAt('2025-06-12T23:30:00+02:00')).toEqual(['Soirée']);
    expect(await openAt('2025-06-13T00:00:00+02:00')).toEqual(['Soirée']);
    expect(await openAt('2025-06-13T01:59:00+02:00')).toEqual(['Soirée']);
    expect(await openAt('2025-06-13T02:00:00+02:00')).toEqual([]);
  });

  it('reads local time across the spring and autumn clock changes', async () => {
    // 30 March 2025: 02:00 CET becomes 03:00 CEST, i.e. at 01:00 UTC.
    expect(await openAt('2025-03-30T00:59:00Z')).not.toContain('Dimanche matin'); // 01:59 local
    expect(await openAt('2025-03-30T01:00:00Z')).toContain('Dimanche matin'); // 03:00 local
    expect(await openAt('2025-03-30T02:59:00Z')).toContain('Dimanche matin'); // 04:59 local
    expect(await openAt('2025-03-30T03:00:00Z')).not.toContain('Dimanche matin'); // 05:00 local
    // 26 October 2025: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 03:00 local is then 02:00 UTC.
    expect(await openAt('2025-10-26T01:30:00Z')).not.toContain('Dimanche matin'); // 02:30 CET
    expect(await openAt('2025-10-26T02:00:00Z')).toContain('Dimanche matin'); // 03:00 CET
    expect(await openAt('2025-10-26T03:59:00Z')).toContain('Dimanche matin'); // 04:59 CET
    expect(await openAt('2025-10-26T04:00:00Z')).not.toContain('Dimanche matin'); // 05:00 CET
  });

  it('closes on public holidays, including regional ones', async () => {
    // Monday 14 July 2025 (national holiday) vs Tuesday 15 July.
    expect(await openAt('2025-07-14T10:00:00+02:00')).toEqual([]);
    expect(await openAt('2025-07-15T10:00:00+02:00')).toEqual(['Bureaux', 'Strasbourg bureaux']);
    // Friday 26 December 2025: a holiday in Alsace-Moselle only.
    expect(await openAt('2025-12-26T10:00:00+01:00')).toEqual(['Bureaux']);
    // Good Friday 18 April 2025: the same.
    expect(await openAt('2025-04-18T10:00:00+02:00')).toEqual(['Bureaux']);
  });

  it('uses the given clock for ouvert_maintenant', async () => {
    const query = { ouvert_maintenant: true };
    const now = new Date('2025-07-15T10:00:00+02:00');
    expect(searchLieux(snapshot, query, now).items.map((i) => i.nom)).toEqual(['Bureaux', 'Strasbourg bureaux']);
    expect((await searchLieuxSql(handle.db, query, now)).total).toBe(2);
  });
});
