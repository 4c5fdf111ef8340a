// The observatory's entry point for pages, API and CLI: the indicator table of the whole
// registry, computed once per version of its inputs and kept in memory (computing the whole
// country takes well under the 2 s budget, see bench/observatory.bench.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DbHandle } from '../../db/kysely.ts';
import type { Logger } from '../../lib/logger.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { loadQpvIndex } from '../qpv/qpv.use-cases.ts';
import { loadCommuneFrame, type CommuneFrame } from './commune-frame.ts';
import { computeIndicators, type IndicatorTable, type PlaceForIndicators, type ObservatoryTerritoryType, type TerritoryIndicators } from './observatory.indicators.ts';
import { changedPlaceIds, inputsVersion, listPublishedPlaces, type InputsVersion } from './observatory.repository.ts';
import { findBroadband, findFragility, listBroadband, listFragility, type BroadbandRow, type FragilityRow } from './broadband.repository.ts';
import { doubleFracture, type DoubleFractureOptions, type DoubleFractureRow } from './double-fracture.ts';

export interface Observatory {
  /** The current table (recomputed first when places or contours changed). */
  table(): Promise<IndicatorTable>;
  indicators(type: ObservatoryTerritoryType, code: string): Promise<TerritoryIndicators>;
  /** Recomputes in the background after a change batch ('lieux_changed'); returns a stop function. */
  follow(handle: Pick<DbHandle, 'listen'>, logger?: Logger): Promise<() => Promise<void>>;
  degradations(): string[];
  /** The commune frame (population, EPCI membership, centres) the figures are computed on. */
  frame(): CommuneFrame;
  /** FttH coverage and digital fragility of a territory, each with its vintage (null when unknown). */
  broadbandOf(type: ObservatoryTerritoryType, code: string): Promise<{ thd: BroadbandRow | null; ifn: FragilityRow | null }>;
  doubleFracture(options: DoubleFractureOptions): Promise<DoubleFractureRow[]>;
}

export const TERRITORY_LABELS: Record<ObservatoryTerritoryType, string> = {
  france: 'la France',
  region: 'la région',
  departement: 'le département',
  epci: "l'EPCI",
  commune: 'la commune',
  qpv: 'le QPV',
};

export function createObservatory(options: { db: Kysely<Database>; referenceDir: string; frame?: CommuneFrame }): Observatory {
  const { db } = options;
  let frame = options.frame;
  let cached: { version: InputsVersion; table: IndicatorTable } | undefined;
  // The registry as last read: refreshed from the change log, re-read whole only when needed.
  let snapshot: { version: InputsVersion; places: Map<string, PlaceForIndicators> } | undefined;
  let pending: Promise<IndicatorTable> | undefined;

  const getFrame = () => (frame ??= loadCommuneFrame(options.referenceDir));
  const same = (a: InputsVersion, b: InputsVersion) => a.seq === b.seq && a.lieux === b.lieux && a.qpv === b.qpv;

  async function readPlaces(version: InputsVersion): Promise<PlaceForIndicators[]> {
    // Writes go through the lieux module, which logs each one: only the logged places change.
    if (snapshot && snapshot.version.seq < version.seq) {
      const ids = await changedPlaceIds(db, snapshot.version.seq);
      const fresh = await listPublishedPlaces(db, ids);
      for (const id of ids) snapshot.places.delete(id);
      for (const place of fresh) snapshot.places.set(place.id, place);
      snapshot.version = version;
      return [...snapshot.places.values()];
    }
    // Same change log but different places: a write bypassed the log, so read everything again.
    if (snapshot && snapshot.version.lieux === version.lieux) {
      return [...snapshot.places.values()];
    }
    const places = await listPublishedPlaces(db);
    snapshot = { version, places: new Map(places.map((p) => [p.id, p])) };
    return places;
  }

  async function compute(): Promise<IndicatorTable> {
    const version = await inputsVersion(db);
    if (cached && same(cached.version, version)) return cached.table;
    const [places, qpvIndex] = await Promise.all([readPlaces(version), loadQpvIndex(db)]);
    const table = computeIndicators({ frame: getFrame(), places, qpvIndex });
    cached = { version, table };
    return table;
  }

  // One computation at a time; callers during a computation share its result.
  function table(): Promise<IndicatorTable> {
    pending ??= compute().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    table,
    async indicators(type, code) {
      const found = (await table()).get(type, type === 'qpv' ? code.toUpperCase() : code);
      if (!found) throw new NotFoundError(`Aucun territoire « ${code} » trouvé pour ${TERRITORY_LABELS[type]}.`);
      return found;
    },
    async follow(handle, logger) {
      let timer: NodeJS.Timeout | undefined;
      const unlisten = await handle.listen('lieux_changed', () => {
        clearTimeout(timer);
        // Debounced: one recomputation per batch of changes.
        timer = setTimeout(() => {
          table().catch((error: unknown) => logger?.error({ err: error }, 'observatory refresh failed'));
        }, 500);
      });
      return async () => {
        clearTimeout(timer);
        await unlisten();
      };
    },
    degradations: () => getFrame().degradations,
    frame: getFrame,
    async broadbandOf(type, code) {
      const thd = type === 'france' || type === 'qpv' ? undefined : await findBroadband(db, type, code);
      const ifn = type === 'commune' || type === 'epci' ? await findFragility(db, type, code) : undefined;
      return { thd: thd ?? null, ifn: ifn ?? null };
    },
    async doubleFracture(options) {
      const [t, broadband, fragility] = await Promise.all([table(), listBroadband(db, options.type), listFragility(db, options.type)]);
      return doubleFracture(t, getFrame(), broadband, fragility, options);
    },
  };
}

// One observatory per database handle, shared by the API and the pages of a process.
const shared = new WeakMap<object, Observatory>();

export function sharedObservatory(db: Kysely<Database>, referenceDir: string): Observatory {
  let observatory = shared.get(db);
  if (!observatory) {
    observatory = createObservatory({ db, referenceDir });
    shared.set(db, observatory);
  }
  return observatory;
}
