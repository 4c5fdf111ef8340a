// Holds the current read-model snapshot of a process and keeps it fresh: built at start,
// rebuilt after writes (LISTEN lieux_changed, bursts coalesced), with a cheap poll of the
// change log's max(seq) in case a notification is lost (listener dropped, other server).
// Refresh is incremental: only the places changed since the snapshot's version are read
// again; everything else is re-indexed from the records already in memory.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DbHandle } from '../../db/kysely.ts';
import type { Logger } from '../../lib/logger.ts';
import { buildSnapshot, emptySnapshot, patchRecords, type PlaceRecord, type SearchSnapshot } from './read-model.ts';
import { changesSince, currentChangeSeq, forEachPublishedRow } from './search.repository.ts';
import { createInterner, toPlaceRecord } from './search.item.ts';
import type { QpvLayer } from './qpv-layer.ts';

export const CHANGE_CHANNEL = 'lieux_changed';
const LOOKBACK_SEQ = 100;

/** A fresh snapshot of every published place (benchmarks, tests, the first build). */
export async function loadSnapshot(db: Kysely<Database> | Transaction<Database>, version?: number, intern = createInterner()): Promise<SearchSnapshot> {
  const seq = version ?? (await currentChangeSeq(db));
  const records: PlaceRecord[] = [];
  await forEachPublishedRow(db, (row) => records.push(toPlaceRecord(row, intern)));
  return buildSnapshot(records, seq);
}

export interface SearchIndexOptions {
  /** Wait this long after a notification for more before rebuilding (default 100 ms). */
  debounceMs?: number;
  /** Check max(seq) this often, in case a notification was lost (default 3000 ms; 0 = never). */
  pollMs?: number;
  /** Past this many changed places, reload everything instead of patching (default 5000). */
  fullReloadThreshold?: number;
  logger?: Logger;
}

export class SearchIndex {
  private snapshot: SearchSnapshot = emptySnapshot;
  private running: Promise<void> | undefined;
  private again = false;
  private debounceTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private closed = false;
  private lowestNotified = Infinity;
  private fullRequested = false;
  /** Shares repeated strings between the records of successive snapshots; renewed on full reloads. */
  private intern = createInterner();
  /** QPV contours given by the qpv module (setQpvLayer), attached to every snapshot. */
  private qpvLayer: QpvLayer | undefined;

  private constructor(
    private readonly handle: DbHandle,
    private readonly options: Required<Omit<SearchIndexOptions, 'logger'>> & { logger?: Logger },
  ) {}

  /** Builds the first snapshot, then starts listening and polling. */
  static async open(handle: DbHandle, options: SearchIndexOptions = {}): Promise<SearchIndex> {
    const index = new SearchIndex(handle, { debounceMs: 100, pollMs: 3000, fullReloadThreshold: 5000, ...options });
    await index.refresh();
    index.unlisten = await handle.listen(CHANGE_CHANNEL, (payload) => index.notified(payload));
    if (index.options.pollMs > 0) {
      index.pollTimer = setInterval(() => void index.poll(), index.options.pollMs);
      index.pollTimer.unref();
    }
    return index;
  }

  /** The snapshot to search now; never changes under a running search (swapped whole). */
  current(): SearchSnapshot {
    return this.snapshot;
  }

  /**
   * Attaches the QPV contours to the current snapshot and the next ones (the qpv module calls
   * this at start and whenever contours are reloaded). The snapshot is swapped whole.
   */
  setQpvLayer(layer: QpvLayer | undefined): void {
    this.qpvLayer = layer;
    this.snapshot = { ...this.snapshot, qpv: layer };
  }

  get qpvVersion(): string | undefined {
    return this.qpvLayer?.version;
  }

  /** lieu_changes.seq covered by the current snapshot. */
  get version(): number {
    return this.snapshot.version;
  }

  /**
   * Brings the snapshot up to date with the change log; concurrent calls share one rebuild
   * (plus one more if asked meanwhile). `full` reloads every place even if the log did not
   * move (rows written without the use cases: tests, manual repairs).
   */
  refresh(options: { full?: boolean } = {}): Promise<void> {
    if (options.full) this.fullRequested = true;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.rebuild();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounceTimer);
    clearInterval(this.pollTimer);
    await this.unlisten?.();
    await this.running?.catch(() => {});
  }

  private notified(payload: string): void {
    // A transaction may commit after one holding a higher seq: remember the lowest seq
    // notified so the next rebuild looks back far enough to see it.
    const seq = Number(payload);
    if (Number.isSafeInteger(seq) && seq > 0) this.lowestNotified = Math.min(this.lowestNotified, seq);
    else this.lowestNotified = 0; // unknown payload: reload from the start of the log
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.closed) return;
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.refresh().catch((error: unknown) => this.options.logger?.error({ err: error }, 'search index refresh failed'));
    }, this.options.debounceMs);
  }

  private async poll(): Promise<void> {
    if (this.closed || this.running) return;
    try {
      if ((await currentChangeSeq(this.handle.db)) > this.snapshot.version) await this.refresh();
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'search index poll failed');
    }
  }

  private async rebuild(): Promise<void> {
    if (this.closed) return;
    const started = Date.now();
    const previous = this.snapshot;
    const lowestNotified = this.lowestNotified;
    const full = this.fullRequested;
    this.lowestNotified = Infinity;
    this.fullRequested = false;
    // One consistent view: the change log position and the rows it covers.
    const next = await this.handle.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const version = await currentChangeSeq(trx);
        if (previous === emptySnapshot || full) {
          this.intern = createInterner();
          return loadSnapshot(trx, version, this.intern);
        }
        if (version === previous.version && lowestNotified > version) return previous;
        // Re-reading a few already applied changes is harmless; missing a late commit is not.
        const since = Math.max(0, Math.min(previous.version - LOOKBACK_SEQ, lowestNotified - 1));
        const changes = await changesSince(trx, since);
        if (changes.ids.length <= this.options.fullReloadThreshold) {
          const added = changes.rows.map((row) => toPlaceRecord(row, this.intern));
          return buildSnapshot(patchRecords(previous.records, new Set(changes.ids), added), version, { sorted: true });
        }
        this.intern = createInterner();
        return loadSnapshot(trx, version, this.intern);
      });
    if (this.closed || next === previous) return;
    this.snapshot = this.qpvLayer ? { ...next, qpv: this.qpvLayer } : next;
    this.options.logger?.debug({ version: next.version, size: next.size, ms: Date.now() - started }, 'search index rebuilt');
  }
}
