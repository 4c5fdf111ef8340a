// QPV attributes of the places in the read model: the QPV each place lies in and those within
// the configured distance, computed in memory from the QPV contours with the same function that
// fills lieu_qpv (linkPlaces' QpvIndex.locate), so the read model never waits for the links table.
// Matches are cached per place record (records survive incremental rebuilds), and the posting
// lists per snapshot, so a rebuild after a change batch only locates the changed places.
import { emptyBitset, type Bitset } from './bitset.ts';
import type { PlaceRecord, SearchSnapshot } from './read-model.ts';
import type { QpvIndex, QpvMatch } from '../qpv/qpv.geometry.ts';
import type { QpvItem } from '../qpv/qpv.schema.ts';

export type { QpvItem };

/** The QPV filters of a search (all ANDed). */
export interface QpvFilter {
  /** Places lying in one of these QPVs. */
  dans?: readonly string[];
  /** Places lying in one of these QPVs or within the configured distance of one. */
  proche?: readonly string[];
  /** true: places lying in some QPV; false: in none. */
  en_qpv?: boolean;
  /** true: places in or near some QPV; false: neither. */
  proche_qpv?: boolean;
}

interface QpvPostings {
  inside: Map<string, number[]>;
  near: Map<string, number[]>;
  anyInside: Bitset;
  anyNear: Bitset;
}

const NONE: readonly QpvItem[] = Object.freeze([]);

export class QpvLayer {
  private readonly matches = new WeakMap<PlaceRecord, readonly QpvItem[]>();
  private readonly postingsBySnapshot = new WeakMap<SearchSnapshot, QpvPostings>();
  private readonly names: Map<string, string>;

  constructor(
    readonly index: QpvIndex,
    readonly proximityM: number,
    /** Fingerprint of the contours it was built from (qpvVersion). */
    readonly version: string,
  ) {
    this.names = new Map(index.shapes.map((s) => [s.code, s.nom]));
  }

  /** The QPVs of one place, nearest first (empty when it has no position or no QPV around). */
  of(record: PlaceRecord): readonly QpvItem[] {
    let items = this.matches.get(record);
    if (items === undefined) {
      items =
        record.latitude === null || record.longitude === null
          ? NONE
          : this.index.locate(record.longitude, record.latitude, this.proximityM).map((m) => this.toItem(m));
      if (items.length === 0) items = NONE;
      this.matches.set(record, items);
    }
    return items;
  }

  private toItem(match: QpvMatch): QpvItem {
    return { code: match.code_qp, nom: this.names.get(match.code_qp) ?? match.code_qp, relation: match.relation, distance_m: match.distance_m };
  }

  private postings(snapshot: SearchSnapshot): QpvPostings {
    let postings = this.postingsBySnapshot.get(snapshot);
    if (postings) return postings;
    postings = { inside: new Map(), near: new Map(), anyInside: emptyBitset(snapshot.size), anyNear: emptyBitset(snapshot.size) };
    const add = (map: Map<string, number[]>, code: string, position: number) => {
      const list = map.get(code);
      if (list) list.push(position);
      else map.set(code, [position]);
    };
    snapshot.records.forEach((record, position) => {
      const items = this.of(record);
      if (items.length === 0) return;
      postings.anyNear[position >>> 5]! |= 1 << (position & 31);
      for (const item of items) {
        add(postings.near, item.code, position);
        if (item.relation === 'dans') {
          add(postings.inside, item.code, position);
          postings.anyInside[position >>> 5]! |= 1 << (position & 31);
        }
      }
    });
    this.postingsBySnapshot.set(snapshot, postings);
    return postings;
  }

  /** Clears from `bits` the places that do not pass the filter. */
  apply(snapshot: SearchSnapshot, bits: Bitset, filter: QpvFilter): void {
    const postings = this.postings(snapshot);
    const keepCodes = (map: Map<string, number[]>, codes: readonly string[]) => {
      const wanted = emptyBitset(snapshot.size);
      for (const code of codes) for (const position of map.get(code) ?? []) wanted[position >>> 5]! |= 1 << (position & 31);
      andBits(bits, wanted, false);
    };
    if (filter.dans) keepCodes(postings.inside, filter.dans);
    if (filter.proche) keepCodes(postings.near, filter.proche);
    if (filter.en_qpv !== undefined) andBits(bits, postings.anyInside, !filter.en_qpv);
    if (filter.proche_qpv !== undefined) andBits(bits, postings.anyNear, !filter.proche_qpv);
  }
}

function andBits(bits: Bitset, other: Bitset, negate: boolean): void {
  for (let i = 0; i < bits.length; i++) bits[i]! &= negate ? ~other[i]! : other[i]!;
}

/** QPV filter of a search with no QPV contours loaded: no place is in or near a QPV. */
export function applyWithoutQpv(bits: Bitset, filter: QpvFilter): void {
  const excludesAll = filter.dans !== undefined || filter.proche !== undefined || filter.en_qpv === true || filter.proche_qpv === true;
  if (excludesAll) bits.fill(0);
}
