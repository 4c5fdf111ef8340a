// Coverage indicators for every level (commune, EPCI, département, région, QPV, France),
// computed in one pass over the whole registry. Pure: places, the commune frame and the QPV
// index in, a table of indicators out (the cache and the database live elsewhere).
import KDBush from 'kdbush';
import { around, distance as greatCircleKm } from 'geokdbush';
import { services as STANDARD_SERVICES } from '../lieux/lieux.schema.ts';
import { distanceToQpvM, type QpvIndex, type QpvShape } from '../qpv/qpv.geometry.ts';
import { departementOfQpvCode } from '../qpv/qpv.file.ts';
import { frameCommuneOf, type CommuneFrame } from './commune-frame.ts';
import { weeklyOpenHours } from './weekly-hours.ts';

export type ObservatoryTerritoryType = 'france' | 'region' | 'departement' | 'epci' | 'commune' | 'qpv';
export const TERRITORY_TYPES: readonly ObservatoryTerritoryType[] = ['france', 'region', 'departement', 'epci', 'commune', 'qpv'];

export type ServiceName = (typeof STANDARD_SERVICES)[number];
export const SERVICES: readonly ServiceName[] = STANDARD_SERVICES;

/** Distances to a place that the observatory reports on, in km. */
export const DISTANCE_THRESHOLDS_KM = [5, 10, 20] as const;
/** A QPV with no place inside or within this distance of its contour counts as uncovered. */
export const QPV_COVERAGE_RADIUS_M = 500;

export interface PlaceForIndicators {
  id: string;
  latitude: number | null;
  longitude: number | null;
  code_insee: string | null;
  code_epci: string | null;
  code_departement: string | null;
  code_region: string | null;
  services: string[];
  horaires: string | null;
}

export interface DistanceIndicators {
  /** Communes with a known centre in the territory (1 for a commune). */
  communes: number;
  /** Population-weighted mean distance from commune centres to the nearest place (km). */
  distance_moyenne_km: number | null;
  distance_max_km: number | null;
  /** Share (0..1) of the population living in communes whose centre is farther than 5/10/20 km. */
  part_population_plus_5_km: number | null;
  part_population_plus_10_km: number | null;
  part_population_plus_20_km: number | null;
}

export interface QpvCoverage {
  code: string;
  nom: string;
  commune: string | null;
  liste: '2015' | '2024';
  population: number | null;
  lieux_dans: number;
  /** Places inside or within 500 m of the contour. */
  lieux_500_m: number;
  /** Distance from the contour to the nearest place, in metres (0 inside; null when farther than 2 km). */
  distance_lieu_le_plus_proche_m: number | null;
  couvert: boolean;
}

export interface TerritoryIndicators {
  type: ObservatoryTerritoryType;
  code: string;
  nom: string;
  population: number | null;
  nombre_lieux: number;
  lieux_pour_10000_habitants: number | null;
  /** Places offering each of the nine services of the standard. */
  services: Record<ServiceName, number>;
  horaires: {
    lieux_avec_horaires: number;
    /** Sum over places of hours open in the reference week. */
    heures_ouverture_hebdo: number;
    heures_moyennes_par_lieu: number | null;
  };
  distance: DistanceIndicators & {
    /** Commune: from its centre to the nearest place; QPV: from its contour (null beyond 2 km). */
    distance_lieu_le_plus_proche_km?: number | null;
  };
  qpv: {
    nombre: number;
    sans_lieu_500_m: number;
    codes_sans_lieu_500_m: string[];
  };
}

export interface IndicatorTable {
  computedAt: Date;
  /** Indicators of one territory, or undefined when the territory is unknown. */
  get(type: ObservatoryTerritoryType, code: string): TerritoryIndicators | undefined;
  /** Codes of every territory of a type. */
  codes(type: ObservatoryTerritoryType): string[];
  qpv: QpvCoverage[];
  /** Distance (km) from each commune centre to the nearest place; absent when no centre. */
  communeDistanceKm: Map<string, number | null>;
  degradations: string[];
}

const SERVICE_INDEX = new Map<string, number>(SERVICES.map((s, i) => [s, i]));

/** Running sums of one territory; turned into TerritoryIndicators only when asked for. */
class Accumulator {
  count = 0;
  readonly services: number[] = SERVICES.map(() => 0);
  hoursPlaces = 0;
  hoursSum = 0;
  communes = 0;
  populationWithCentre = 0;
  weightedDistance = 0;
  maxDistance: number | null = null;
  beyond5 = 0;
  beyond10 = 0;
  beyond20 = 0;
  unreachable = false;
  qpvCount = 0;
  qpvUncovered: string[] = [];
  /** Commune: centre → nearest place; QPV: contour → nearest place (km). */
  ownDistanceKm: number | null | undefined = undefined;

  constructor(
    readonly type: ObservatoryTerritoryType,
    readonly code: string,
    readonly nom: string,
    public population: number | null,
  ) {}

  toIndicators(): TerritoryIndicators {
    const services = {} as Record<ServiceName, number>;
    SERVICES.forEach((name, i) => {
      services[name] = this.services[i]!;
    });
    const withCentre = this.populationWithCentre;
    const share = (n: number) => (withCentre > 0 ? round(n / withCentre, 4) : null);
    const hours = round(this.hoursSum, 2);
    const indicators: TerritoryIndicators = {
      type: this.type,
      code: this.code,
      nom: this.nom,
      population: this.population,
      nombre_lieux: this.count,
      lieux_pour_10000_habitants: this.population ? round((this.count / this.population) * 10_000, 2) : null,
      services,
      horaires: {
        lieux_avec_horaires: this.hoursPlaces,
        heures_ouverture_hebdo: hours,
        heures_moyennes_par_lieu: this.hoursPlaces ? round(hours / this.hoursPlaces, 2) : null,
      },
      distance: {
        communes: this.communes,
        distance_moyenne_km: withCentre > 0 && !this.unreachable ? round(this.weightedDistance / withCentre, 2) : null,
        distance_max_km: this.unreachable ? null : this.maxDistance === null ? null : round(this.maxDistance, 2),
        part_population_plus_5_km: share(this.beyond5),
        part_population_plus_10_km: share(this.beyond10),
        part_population_plus_20_km: share(this.beyond20),
      },
      qpv: { nombre: this.qpvCount, sans_lieu_500_m: this.qpvUncovered.length, codes_sans_lieu_500_m: [...this.qpvUncovered].sort() },
    };
    if (this.ownDistanceKm !== undefined) indicators.distance.distance_lieu_le_plus_proche_km = this.ownDistanceKm;
    return indicators;
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const NEAR_KM = 30;

export interface ComputeOptions {
  frame: CommuneFrame;
  places: readonly PlaceForIndicators[];
  qpvIndex: QpvIndex;
  now?: Date;
}

export function computeIndicators({ frame, places, qpvIndex, now = new Date() }: ComputeOptions): IndicatorTable {
  const byType = Object.fromEntries(TERRITORY_TYPES.map((t) => [t, new Map<string, Accumulator>()])) as Record<
    ObservatoryTerritoryType,
    Map<string, Accumulator>
  >;
  const add = (acc: Accumulator) => byType[acc.type].set(acc.code, acc);

  // Every territory of the frame exists, with or without places (a commune with no place is a finding).
  const france = new Accumulator('france', 'FR', 'France', 0);
  add(france);
  for (const r of frame.regions.values()) add(new Accumulator('region', r.code, r.nom, 0));
  for (const d of frame.departements.values()) add(new Accumulator('departement', d.code, d.nom, 0));
  for (const e of frame.epcis.values()) add(new Accumulator('epci', e.code, e.nom, 0));
  // Each commune's chain of territories, resolved once.
  const chains = new Map<string, Accumulator[]>();
  for (const c of frame.communes) {
    const own = new Accumulator('commune', c.code, c.nom, c.population);
    add(own);
    const chain = [france, own];
    for (const acc of [byType.region.get(c.codeRegion), byType.departement.get(c.codeDepartement), c.codeEpci ? byType.epci.get(c.codeEpci) : undefined]) {
      if (!acc) continue;
      acc.population = (acc.population ?? 0) + c.population;
      chain.push(acc);
    }
    chains.set(c.code, chain);
  }
  france.population = frame.communes.reduce((sum, c) => sum + c.population, 0);
  for (const shape of qpvIndex.shapes) add(new Accumulator('qpv', shape.code, shape.nom, shape.population));

  const chainOf = (code: string | null, fallback: () => Accumulator[]): Accumulator[] => {
    const commune = frameCommuneOf(frame, code);
    return (commune && chains.get(commune.code)) || fallback();
  };

  // Places: counts, services, hours, per territory.
  const positioned: PlaceForIndicators[] = [];
  for (const place of places) {
    let chain = chainOf(place.code_insee, () =>
      [
        france,
        place.code_region ? byType.region.get(place.code_region) : undefined,
        place.code_departement ? byType.departement.get(place.code_departement) : undefined,
        place.code_epci ? byType.epci.get(place.code_epci) : undefined,
      ].filter((a): a is Accumulator => a !== undefined),
    );
    if (place.latitude !== null && place.longitude !== null) {
      positioned.push(place);
      const inside = qpvIndex.locate(place.longitude, place.latitude, 0);
      if (inside.length) chain = [...chain, ...inside.map((m) => byType.qpv.get(m.code_qp)!)];
    }
    const hours = weeklyOpenHours(place.horaires);
    const serviceIds: number[] = [];
    for (const service of place.services) {
      const i = SERVICE_INDEX.get(service);
      if (i !== undefined && !serviceIds.includes(i)) serviceIds.push(i);
    }
    for (const acc of chain) {
      acc.count += 1;
      for (const i of serviceIds) acc.services[i]! += 1;
      if (hours !== null) {
        acc.hoursPlaces += 1;
        acc.hoursSum += hours;
      }
    }
  }

  // Distance from each commune centre to the nearest place (kd-tree of positioned places).
  const communeDistanceKm = new Map<string, number | null>();
  const index = positioned.length ? new KDBush(positioned.length) : null;
  if (index) {
    for (const p of positioned) index.add(p.longitude!, p.latitude!);
    index.finish();
  }
  const nearestKm = (lon: number, lat: number): number | null => {
    if (!index) return null;
    // A bounded search prunes most of the tree; the unbounded one is for remote places.
    let found = around(index, lon, lat, 1, NEAR_KM);
    if (found.length === 0) found = around(index, lon, lat, 1);
    const nearest = found[0];
    if (nearest === undefined) return null;
    const p = positioned[nearest]!;
    return greatCircleKm(lon, lat, p.longitude!, p.latitude!);
  };
  for (const c of frame.communes) {
    if (!c.centre) continue;
    const d = nearestKm(c.centre[0], c.centre[1]);
    communeDistanceKm.set(c.code, d === null ? null : round(d, 2));
    const chain = chains.get(c.code)!;
    chain[1]!.ownDistanceKm = d === null ? null : round(d, 2);
    for (const acc of chain) {
      acc.communes += 1;
      acc.populationWithCentre += c.population;
      if (d === null) {
        acc.unreachable = true;
        acc.beyond5 += c.population;
        acc.beyond10 += c.population;
        acc.beyond20 += c.population;
        continue;
      }
      acc.weightedDistance += d * c.population;
      if (acc.maxDistance === null || d > acc.maxDistance) acc.maxDistance = d;
      if (d > DISTANCE_THRESHOLDS_KM[0]) acc.beyond5 += c.population;
      if (d > DISTANCE_THRESHOLDS_KM[1]) acc.beyond10 += c.population;
      if (d > DISTANCE_THRESHOLDS_KM[2]) acc.beyond20 += c.population;
    }
  }
  // Communes without a known centre keep an undefined own distance: report null.
  for (const c of frame.communes) {
    const own = byType.commune.get(c.code)!;
    if (own.ownDistanceKm === undefined) own.ownDistanceKm = null;
  }

  // QPV coverage: places inside or within 500 m of each contour.
  const qpv: QpvCoverage[] = [];
  for (const shape of qpvIndex.shapes) {
    const coverage = qpvCoverage(shape, positioned, index);
    qpv.push(coverage);
    const own = byType.qpv.get(shape.code)!;
    const departement = departementOfQpvCode(shape.code);
    const chain = chainOf(shape.commune, () =>
      [france, byType.departement.get(departement), byType.region.get(frame.departements.get(departement)?.region ?? '')].filter(
        (a): a is Accumulator => a !== undefined,
      ),
    );
    for (const acc of [...chain, own]) {
      acc.qpvCount += 1;
      if (!coverage.couvert) acc.qpvUncovered.push(shape.code);
    }
    const m = coverage.distance_lieu_le_plus_proche_m;
    own.ownDistanceKm = m === null ? null : round(m / 1000, 3);
  }

  return {
    computedAt: now,
    get: (type, code) => byType[type].get(code)?.toIndicators(),
    codes: (type) => [...byType[type].keys()],
    qpv,
    communeDistanceKm,
    degradations: [...frame.degradations],
  };
}

function qpvCoverage(shape: QpvShape, positioned: readonly PlaceForIndicators[], index: KDBush | null): QpvCoverage {
  const [minLon, minLat, maxLon, maxLat] = shape.bbox;
  const centreLon = (minLon + maxLon) / 2;
  const centreLat = (minLat + maxLat) / 2;
  const halfDiagonalKm = greatCircleKm(minLon, minLat, maxLon, maxLat) / 2;
  let inside = 0;
  let within = 0;
  let nearest: number | null = null;
  if (index) {
    for (const i of around(index, centreLon, centreLat, Infinity, halfDiagonalKm + 2)) {
      const p = positioned[i]!;
      const d = distanceToQpvM(p.longitude!, p.latitude!, shape.geometry);
      if (d === 0) inside += 1;
      if (d <= QPV_COVERAGE_RADIUS_M) within += 1;
      if (d <= 2000 && (nearest === null || d < nearest)) nearest = d;
    }
  }
  return {
    code: shape.code,
    nom: shape.nom,
    commune: shape.commune,
    liste: shape.liste,
    population: shape.population,
    lieux_dans: inside,
    lieux_500_m: within,
    distance_lieu_le_plus_proche_m: nearest === null ? null : Math.round(nearest),
    couvert: within > 0,
  };
}
