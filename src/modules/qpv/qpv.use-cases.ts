// QPV reference: loading contour files, and keeping each place's QPV links (the QPV it lies
// in, those within the configured distance) in step with places and contours.
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DbHandle } from '../../db/kysely.ts';
import type { Logger } from '../../lib/logger.ts';
import { QpvIndex, type QpvMatch } from './qpv.geometry.ts';
import { QpvFileError, readQpvFile } from './qpv.file.ts';
import { resolveCommuneByName } from './qpv.communes.ts';
import {
  changedPlaceIdsSince,
  lieuQpvFor,
  listPlacePositions,
  listQpvShapes,
  maxChangeSeq,
  qpvVersion,
  replaceLieuQpv,
  upsertQpvShapes,
} from './qpv.repository.ts';

export const DEFAULT_QPV_PROXIMITY_M = 300;

export interface QpvFileReport {
  file: string;
  /** Number of QPV contours stored from this file (0 when the file was rejected). */
  loaded: number;
  /** French messages: skipped features, or why the whole file was rejected. */
  problems: string[];
  rejected: boolean;
}

export interface QpvLoadReport {
  files: QpvFileReport[];
  /** Places whose QPV links were recomputed afterwards. */
  placesLinked: number;
}

/** Loads each file in its own transaction: a bad file is reported and the others still load. */
export async function loadQpvFiles(
  db: Kysely<Database>,
  files: readonly string[],
  options: { proximityM?: number } = {},
): Promise<QpvLoadReport> {
  const reports: QpvFileReport[] = [];
  for (const file of files) {
    try {
      const result = readQpvFile(file, resolveCommuneByName);
      await db.transaction().execute((trx) => upsertQpvShapes(trx, result.shapes, path.basename(file)));
      reports.push({ file, loaded: result.shapes.length, problems: result.problems, rejected: false });
    } catch (error) {
      if (!(error instanceof QpvFileError)) throw error;
      reports.push({ file, loaded: 0, problems: [error.message], rejected: true });
    }
  }
  const placesLinked = reports.some((r) => r.loaded > 0) ? await recomputeLieuQpv(db, { proximityM: options.proximityM }) : 0;
  if (reports.some((r) => r.loaded > 0)) await notifyQpvChanged(db);
  return { files: reports, placesLinked };
}

export async function loadQpvIndex(db: Kysely<Database>): Promise<QpvIndex> {
  return new QpvIndex(await listQpvShapes(db));
}

/** The links of places at positions, from an index (pure: no database). */
export function linkPlaces(
  index: QpvIndex,
  places: readonly { id: string; latitude: number | null; longitude: number | null }[],
  proximityM: number,
): (QpvMatch & { lieu_id: string })[] {
  const links: (QpvMatch & { lieu_id: string })[] = [];
  for (const place of places) {
    if (place.latitude === null || place.longitude === null) continue;
    for (const match of index.locate(place.longitude, place.latitude, proximityM)) links.push({ lieu_id: place.id, ...match });
  }
  return links;
}

/**
 * Recomputes the links of the given places, or of every place when `ids` is omitted.
 * Returns the number of places examined.
 */
export async function recomputeLieuQpv(
  db: Kysely<Database>,
  options: { ids?: readonly string[]; proximityM?: number; index?: QpvIndex } = {},
): Promise<number> {
  const proximityM = options.proximityM ?? DEFAULT_QPV_PROXIMITY_M;
  const index = options.index ?? (await loadQpvIndex(db));
  const places = await listPlacePositions(db, options.ids);
  const links = linkPlaces(index, places, proximityM);
  // Ids of removed places simply lose their links (ON DELETE CASCADE covers hard deletes too).
  await db.transaction().execute((trx) => replaceLieuQpv(trx, options.ids ? places.map((p) => p.id) : undefined, links));
  return places.length;
}

export async function qpvOfPlace(db: Kysely<Database>, lieuId: string): Promise<QpvMatch[]> {
  return lieuQpvFor(db, lieuId);
}

export interface QpvSync {
  /** Reloads the contours if they changed, then recomputes the links of places changed since the last run. */
  catchUp(): Promise<number>;
  stop(): Promise<void>;
}

export const QPV_CHANNEL = 'qpv_changed';

/** Tells running servers that the contours changed (they reload them: startQpvSync). */
export async function notifyQpvChanged(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_notify(${QPV_CHANNEL}, '')`.execute(db);
}

/**
 * Keeps lieu_qpv current: follows the lieu_changes log from its current end, woken by the
 * 'lieux_changed' notification (whatever its payload). Also follows the contours (qpv_changed
 * notification, and their fingerprint checked on every run) and hands each new contour index
 * to `onContours` (the search read model computes its QPV filters from it). Runs are serialised.
 */
export async function startQpvSync(
  handle: Pick<DbHandle, 'db' | 'listen'>,
  options: { proximityM?: number; logger?: Logger; onContours?: (index: QpvIndex, version: string) => void } = {},
): Promise<QpvSync> {
  const { db } = handle;
  let seq = await maxChangeSeq(db);
  let contours: { index: QpvIndex; version: string } | undefined;
  const refreshContours = async (): Promise<QpvIndex> => {
    const version = await qpvVersion(db);
    if (contours?.version !== version) {
      contours = { index: await loadQpvIndex(db), version };
      options.onContours?.(contours.index, version);
    }
    return contours.index;
  };
  await refreshContours();
  let running: Promise<number> = Promise.resolve(0);
  const run = async (): Promise<number> => {
    const index = await refreshContours();
    const changes = await changedPlaceIdsSince(db, seq);
    if (changes.ids.length === 0) return 0;
    const count = await recomputeLieuQpv(db, { ids: changes.ids, proximityM: options.proximityM, index });
    seq = changes.seq;
    return count;
  };
  const catchUp = (): Promise<number> => {
    running = running.catch(() => 0).then(run);
    return running;
  };
  const wake = () => {
    catchUp().catch((error: unknown) => options.logger?.error({ err: error }, 'QPV links refresh failed'));
  };
  const unlisten = await handle.listen('lieux_changed', wake);
  const unlistenContours = await handle.listen(QPV_CHANNEL, wake);
  return {
    catchUp,
    async stop() {
      await unlisten();
      await unlistenContours();
      await running.catch(() => 0);
    },
  };
}
