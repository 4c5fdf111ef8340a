// The administrative map held in memory: loaded on first use (under a second of CPU, ~35 MB),
// then every look-up is a Map access. Missing reference files degrade centres, never start-up.
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../lib/logger.ts';
import type { Commune, Territories, Territory, TerritoryType } from './territories.types.ts';
import { loadBaseData, type BaseData } from './territories.data.ts';
import { loadCentres } from './territories.centres.ts';
import { createCommuneResolver } from './territories.resolve.ts';
import { buildCommuneSearchIndex, type CommuneSearchIndex } from './territories.search.ts';
import { normalizeInseeCode } from './territories.names.ts';

export interface TerritoriesOptions {
  /** Folder of the official reference files (MAILLAGE_REFERENCE_DIR). */
  referenceDir: string;
  logger?: Logger;
}

interface Loaded {
  data: BaseData;
  communes: Map<string, Commune>;
  degradations: string[];
  /** Built on the first search only: resolution and look-ups do not need it. */
  search: () => CommuneSearchIndex;
  resolve: Territories['resolveCommune'];
}

export const DEFAULT_SEARCH_LIMIT = 10;

export function createTerritories(options: TerritoriesOptions): Territories {
  let loaded: Loaded | undefined;
  let searchIndex: CommuneSearchIndex | undefined;

  function load(): Loaded {
    if (loaded) return loaded;
    const started = performance.now();
    const data = loadBaseData();
    const parents = new Map<string, string>();
    for (const rec of data.communes.values()) if (rec.parent) parents.set(rec.code, rec.parent);
    const { centres, degradations } = loadCentres(options.referenceDir, parents);

    const communes = new Map<string, Commune>();
    for (const rec of data.communes.values()) {
      const commune: Commune = {
        code: rec.code,
        nom: rec.nom,
        codesPostaux: rec.codesPostaux,
        codeDepartement: rec.codeDepartement,
        codeRegion: rec.codeRegion,
        codeEpci: rec.codeEpci,
        population: rec.population,
        centre: centres.get(rec.code) ?? null,
      };
      communes.set(rec.code, Object.freeze(commune));
    }
    const toCommune = (code: string) => communes.get(code)!;
    loaded = {
      data,
      communes,
      degradations,
      search: () =>
        (searchIndex ??= buildCommuneSearchIndex([...data.communes.values()].map((rec) => ({ commune: communes.get(rec.code)!, key: rec.key })))),
      resolve: createCommuneResolver(data, toCommune),
    };
    options.logger?.debug(
      { ms: Math.round(performance.now() - started), communes: communes.size, centres: centres.size },
      'territories loaded',
    );
    return loaded;
  }

  function area(type: TerritoryType, code: string) {
    const { data } = load();
    if (type === 'epci') return data.epcis.get(code);
    if (type === 'departement') return data.departements.get(code.toUpperCase());
    if (type === 'region') return data.regions.get(code);
    return undefined;
  }

  function getCommune(code: string): Commune | undefined {
    const { data, communes } = load();
    const normalized = normalizeInseeCode(code);
    if (!normalized) return undefined;
    return communes.get(normalized) ?? communes.get(data.formerCodes.get(normalized)?.code ?? '');
  }

  return {
    resolveCommune: (query) => load().resolve(query),
    getCommune,
    getTerritory(type, code): Territory | undefined {
      if (type === 'commune') {
        const commune = getCommune(code);
        return commune && { type, code: commune.code, nom: commune.nom, population: commune.population };
      }
      const found = area(type, code);
      return found && { type, code: found.code, nom: found.nom, population: found.population };
    },
    searchCommunes: (query, limit = DEFAULT_SEARCH_LIMIT) => load().search().search(query, limit),
    communesOf(type, code) {
      if (type === 'commune') {
        const commune = getCommune(code);
        if (!commune) return [];
        return [commune.code, ...load().data.communes.get(commune.code)!.arrondissements];
      }
      return [...(area(type, code)?.communes ?? [])];
    },
    degradations: () => [...load().degradations],
  };
}
