// Where a place merged into another now lives, so its URLs redirect there. Merges and their
// pointer (lieu_merges, migration 0009) are written by the imports module's merge use cases;
// reading the pointer here keeps the redirect with the place routes.
import { sql, type Kysely } from 'kysely';
import validator from 'validator';
import type { Database } from '../../db/database.ts';

/** The place a merged place now lives in (following merges of merges), or null when not merged. */
export async function findMergedInto(db: Kysely<Database>, id: string): Promise<string | null> {
  if (!validator.isUUID(id)) return null;
  let current = id.toLowerCase();
  for (let hops = 0; hops < 20; hops++) {
    const { rows } = await sql<{ merged_into: string }>`select merged_into from lieu_merges where lieu_id = ${current} and split_at is null`.execute(db);
    if (rows.length === 0) return hops === 0 ? null : current;
    current = rows[0]!.merged_into;
  }
  return current;
}
