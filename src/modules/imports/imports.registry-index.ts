// The registry's published places as the duplicate scorer sees them during a run, loaded one
// département at a time when a chunk of records first needs it (a run then reads only the
// départements its file touches, and never before it knows them). Each load becomes its own
// DedupIndex: a place is in exactly one, so scoring against all of them is scoring against
// their union.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { DedupIndex } from './imports.dedup-index.ts';
import type { DedupRecord, PairScore } from './imports.dedup.ts';
import { dedupRecordsOf } from './imports.repository.ts';

export class RegistryIndex {
  private readonly loaded = new Set<string>();
  private readonly parts: DedupIndex[] = [];

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Loads the published places of the départements not loaded yet. A place the run created
   * is never among them: its département was loaded for its record's chunk, before the write.
   * A place an earlier chunk updated may come with its new values; the run's own places are
   * kept out of merge targets and fresh duplicates by their callers anyway.
   */
  async ensure(departements: Iterable<string>): Promise<void> {
    const missing = [...new Set(departements)].filter((d) => !this.loaded.has(d));
    if (missing.length === 0) return;
    for (const d of missing) this.loaded.add(d);
    const records = await dedupRecordsOf(this.db, missing);
    if (records.length > 0) this.parts.push(new DedupIndex(records));
  }

  get(id: string): DedupRecord | undefined {
    for (const part of this.parts) {
      const found = part.get(id);
      if (found) return found;
    }
    return undefined;
  }

  scoreAgainst(record: DedupRecord): PairScore[] {
    if (this.parts.length === 1) return this.parts[0]!.scoreAgainst(record);
    return this.parts.flatMap((part) => part.scoreAgainst(record));
  }
}
