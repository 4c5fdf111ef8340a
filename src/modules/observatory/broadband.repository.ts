// SQL of the broadband (FttH) and digital fragility (IFN) reference figures.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { BroadbandCoverageTable, BroadbandTerritoryType, DigitalFragilityTable } from './observatory.tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type BroadbandRow = Selectable<BroadbandCoverageTable>;
export type FragilityRow = Selectable<DigitalFragilityTable>;

const CHUNK = 1000;

export async function replaceBroadband(db: Db, type: BroadbandTerritoryType, rows: Insertable<BroadbandCoverageTable>[]): Promise<void> {
  await db.deleteFrom('broadband_coverage').where('territory_type', '=', type).execute();
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('broadband_coverage').values(rows.slice(i, i + CHUNK)).execute();
}

export async function replaceFragility(db: Db, type: 'commune' | 'epci', rows: Insertable<DigitalFragilityTable>[]): Promise<void> {
  await db.deleteFrom('digital_fragility').where('territory_type', '=', type).execute();
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('digital_fragility').values(rows.slice(i, i + CHUNK)).execute();
}

export async function findBroadband(db: Db, type: BroadbandTerritoryType, code: string): Promise<BroadbandRow | undefined> {
  return db.selectFrom('broadband_coverage').selectAll().where('territory_type', '=', type).where('code', '=', code).executeTakeFirst();
}

export async function findFragility(db: Db, type: 'commune' | 'epci', code: string): Promise<FragilityRow | undefined> {
  return db.selectFrom('digital_fragility').selectAll().where('territory_type', '=', type).where('code', '=', code).executeTakeFirst();
}

export async function listBroadband(db: Db, type: BroadbandTerritoryType): Promise<BroadbandRow[]> {
  return db.selectFrom('broadband_coverage').selectAll().where('territory_type', '=', type).execute();
}

export async function listFragility(db: Db, type: 'commune' | 'epci'): Promise<FragilityRow[]> {
  return db.selectFrom('digital_fragility').selectAll().where('territory_type', '=', type).execute();
}
