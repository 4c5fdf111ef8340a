// The JSON body of a search page for the API, written straight from the places' stored item
// bytes (search.item.ts): no decoding into objects and no re-serialisation per request, which
// were most of the cost of a search request. The text is exactly JSON.stringify of the
// SearchResult searchLieux returns (same keys, same order), as search.response.test.ts checks.
import type { SearchSnapshot } from './read-model.ts';
import { computedFields, type SearchPage } from './search-engine.ts';
import { itemJsonLength, writeItemJson } from './search.item.ts';

/** `{"total":…,"items":[…],"next_cursor":…}` as UTF-8 bytes. */
export function searchResultJson(snapshot: SearchSnapshot, page: SearchPage): Buffer {
  const head = `{"total":${JSON.stringify(page.total)},"items":[`;
  const foot = `],"next_cursor":${JSON.stringify(page.next_cursor)}}`;
  // What follows the stored fields of each item: its computed fields (distance, qpv), then `}`.
  const tails: string[] = [];
  let length = Buffer.byteLength(head) + Buffer.byteLength(foot) + Math.max(0, page.hits.length - 1);
  for (const hit of page.hits) {
    const computed = JSON.stringify(computedFields(snapshot, hit.position, hit.distance));
    const tail = computed === '{}' ? '}' : `,${computed.slice(1)}`;
    tails.push(tail);
    length += itemJsonLength(snapshot.records[hit.position]!.item) + Buffer.byteLength(tail);
  }
  const out = Buffer.allocUnsafe(length);
  let at = out.write(head, 0);
  page.hits.forEach((hit, i) => {
    if (i > 0) out[at++] = 0x2c; // `,`
    at = writeItemJson(snapshot.records[hit.position]!.item, out, at);
    at += out.write(tails[i]!, at);
  });
  at += out.write(foot, at);
  return at === length ? out : out.subarray(0, at);
}
