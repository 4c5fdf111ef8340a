// The search contract shared by the in-memory read model and the SQL reference: both take
// the same query and must return the same places in the same order.
import type { Lieu } from '../lieux/lieux.schema.ts';
import type { EnumeratedField, TerritoireType } from './search.fields.ts';
import type { QpvFilter, QpvItem } from './qpv-layer.ts';

export interface SearchQuery {
  /** Search around this point: results are sorted by distance and carry `distance` (metres). */
  point?: { latitude: number; longitude: number };
  /** Only with `point`: keep places whose rounded distance is at most this many kilometres. */
  rayon_km?: number;
  /** Free text on nom and commune (see text-match.ts for the exact rule). */
  q?: string;
  /** Places of one territory (commune = code_insee, epci, departement, region codes). */
  territoire?: { type: TerritoireType; code: string };
  /** Enumerated fields: OR within one field's values, AND across fields. */
  filters?: Partial<Record<EnumeratedField, readonly string[]>>;
  /** Priority neighbourhoods (QPV): places in or near given QPVs, or in / near any (qpv-layer.ts). */
  qpv?: QpvFilter;
  /** Keep places open at `now` (the third argument of searchLieux). */
  ouvert_maintenant?: boolean;
  /** Keep places open at this instant (per their `horaires`, evaluated by isOpenAt). */
  ouvert_le?: Date;
  /** Page size: default 20, at most 100. */
  limit?: number;
  /** Opaque cursor returned as `next_cursor` by the previous page of the same query. */
  curseur?: string;
}

/**
 * A place as the public API shows it (standard field names), plus `distance` near a point and,
 * computed beside the standard's fields, `qpv` (omitted when the place is in or near no QPV).
 */
export type SearchItem = Lieu & { distance?: number; qpv?: QpvItem[] };

export interface SearchResult {
  /** Number of places matching the query (all pages). */
  total: number;
  items: SearchItem[];
  /** Cursor of the next page, null on the last page. */
  next_cursor: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
