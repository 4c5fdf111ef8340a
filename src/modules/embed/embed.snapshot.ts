// An embedded map searches a subset of the registry (a territory, a network, a parent
// structure, a source). Rather than teach the search engine new filters, the subset is a
// read-model snapshot of its own, built from the process's snapshot and cached with it: the
// embed then gets every public filter, distance sorting and pagination of the site as is.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { normalizeText as normaliseText } from '../../lib/text.ts';
import { buildSnapshot, type PlaceRecord, type SearchSnapshot } from '../search/read-model.ts';
import { decodeItem } from '../search/search.item.ts';
import { territoireCodes } from '../search/search.fields.ts';
import type { EmbedOptions } from './embed.options.ts';

/** Subsets kept per snapshot (a new snapshot, after any change, starts afresh). */
const MAX_SUBSETS = 64;
const subsets = new WeakMap<SearchSnapshot, Map<string, SearchSnapshot>>();

export function subsetKey(options: EmbedOptions): string {
  return JSON.stringify([
    options.territoire ? `${options.territoire.type}:${options.territoire.code}` : '',
    [...options.reseau].sort(),
    options.structure_parente ? normaliseText(options.structure_parente) : '',
    options.source?.id ?? '',
  ]);
}

export function isRestricted(options: EmbedOptions): boolean {
  return Boolean(options.territoire || options.reseau.length || options.structure_parente || options.source);
}

/** Ids of the places a source currently gives (not removed from its feed). */
async function sourceLieuIds(db: Kysely<Database>, sourceId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('lieu_sources').select('lieu_id').where('source_id', '=', sourceId).where('removed_at', 'is', null).execute();
  return new Set(rows.map((r) => r.lieu_id));
}

export function recordMatcher(options: EmbedOptions, sourceIds?: ReadonlySet<string>): (record: PlaceRecord) => boolean {
  const territoryCodes = options.territoire ? new Set(territoireCodes(options.territoire.type, options.territoire.code)) : undefined;
  const structure = options.structure_parente ? normaliseText(options.structure_parente) : undefined;
  return (record) => {
    if (options.territoire && !territoryCodes!.has(record.territories[options.territoire.type] ?? '')) return false;
    if (options.reseau.length && !record.facets.dispositif_programmes_nationaux.some((v) => options.reseau.includes(v))) return false;
    if (sourceIds && !sourceIds.has(record.id)) return false;
    // Last: the only test that decodes the place.
    if (structure !== undefined) {
      const value = decodeItem(record.item).structure_parente;
      if (typeof value !== 'string' || normaliseText(value) !== structure) return false;
    }
    return true;
  };
}

/** The snapshot of the places an embed shows (the whole snapshot when it restricts nothing). */
export async function embedSnapshot(db: Kysely<Database>, snapshot: SearchSnapshot, options: EmbedOptions): Promise<SearchSnapshot> {
  if (!isRestricted(options)) return snapshot;
  let cache = subsets.get(snapshot);
  if (!cache) subsets.set(snapshot, (cache = new Map()));
  const key = subsetKey(options);
  const cached = cache.get(key);
  if (cached) return cached;
  const ids = options.source ? await sourceLieuIds(db, options.source.id) : undefined;
  const subset = buildSnapshot(snapshot.records.filter(recordMatcher(options, ids)), snapshot.version, { sorted: true });
  if (cache.size >= MAX_SUBSETS) cache.delete(cache.keys().next().value!);
  cache.set(key, subset);
  return subset;
}
