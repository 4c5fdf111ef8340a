// The "double fracture" list: territories with low very-high-speed (FttH) coverage AND no
// place within a given distance (default 10 km) — where people can neither get online at home
// nor find help nearby. Pure: indicator table, commune frame and reference figures in.
import { stringify } from 'csv-stringify/sync';
import type { CommuneFrame } from './commune-frame.ts';
import type { IndicatorTable } from './observatory.indicators.ts';
import type { BroadbandRow, FragilityRow } from './broadband.repository.ts';

export const DOUBLE_FRACTURE_SORTS = ['population', 'taux_ftth', 'distance_km', 'score_ifn'] as const;
export type DoubleFractureSort = (typeof DOUBLE_FRACTURE_SORTS)[number];

export interface DoubleFractureOptions {
  type: 'commune' | 'epci';
  /** Coverage rate (0..1) under which FttH coverage counts as low. */
  seuilTauxFtth: number;
  /** A territory qualifies when its nearest place is farther than this (km). */
  distanceKm: number;
  tri: DoubleFractureSort;
  ordre: 'asc' | 'desc';
}

export const DEFAULT_DOUBLE_FRACTURE: DoubleFractureOptions = { type: 'commune', seuilTauxFtth: 0.25, distanceKm: 10, tri: 'population', ordre: 'desc' };

export interface DoubleFractureRow {
  type: 'commune' | 'epci';
  code: string;
  nom: string;
  population: number | null;
  taux_ftth: number;
  categorie_ftth: number | null;
  millesime_ftth: string;
  /** Commune: from its centre; EPCI: the smallest over its communes (null: no place at all). */
  distance_lieu_le_plus_proche_km: number | null;
  score_ifn: number | null;
  millesime_ifn: string | null;
}

export function doubleFracture(
  table: IndicatorTable,
  frame: CommuneFrame,
  broadband: readonly BroadbandRow[],
  fragility: readonly FragilityRow[],
  options: DoubleFractureOptions,
): DoubleFractureRow[] {
  const distances = new Map<string, number | null>();
  if (options.type === 'commune') {
    for (const [code, d] of table.communeDistanceKm) distances.set(code, d);
  } else {
    for (const c of frame.communes) {
      if (!c.codeEpci || !table.communeDistanceKm.has(c.code)) continue;
      const d = table.communeDistanceKm.get(c.code)!;
      const best = distances.get(c.codeEpci);
      if (best === undefined || (d !== null && (best === null || d < best))) distances.set(c.codeEpci, d);
    }
  }
  const ifn = new Map(fragility.map((f) => [f.code, f]));
  const rows: DoubleFractureRow[] = [];
  for (const b of broadband) {
    if (b.territory_type !== options.type || b.taux_ftth === null || b.taux_ftth >= options.seuilTauxFtth) continue;
    if (!distances.has(b.code)) continue; // not in today's geography (merged since the Arcep vintage)
    const d = distances.get(b.code)!;
    if (d !== null && d <= options.distanceKm) continue;
    const territory = table.get(options.type, b.code);
    const f = ifn.get(b.code);
    rows.push({
      type: options.type,
      code: b.code,
      nom: territory?.nom ?? b.nom ?? b.code,
      population: territory?.population ?? null,
      taux_ftth: b.taux_ftth,
      categorie_ftth: b.categorie,
      millesime_ftth: b.millesime,
      distance_lieu_le_plus_proche_km: d,
      score_ifn: f?.score_total ?? null,
      millesime_ifn: f?.millesime ?? null,
    });
  }
  const key = (r: DoubleFractureRow): number | null =>
    options.tri === 'population' ? r.population : options.tri === 'taux_ftth' ? r.taux_ftth : options.tri === 'score_ifn' ? r.score_ifn : (r.distance_lieu_le_plus_proche_km ?? Infinity);
  const sign = options.ordre === 'asc' ? 1 : -1;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return a.code.localeCompare(b.code);
    if (ka === null) return 1; // unknown values last, whatever the order
    if (kb === null) return -1;
    return (ka - kb) * sign;
  });
}

export const DOUBLE_FRACTURE_CSV_COLUMNS: (keyof DoubleFractureRow)[] = [
  'type', 'code', 'nom', 'population', 'taux_ftth', 'categorie_ftth', 'millesime_ftth', 'distance_lieu_le_plus_proche_km', 'score_ifn', 'millesime_ifn',
];

export function doubleFractureCsv(rows: readonly DoubleFractureRow[]): string {
  return stringify(rows as DoubleFractureRow[], { header: true, columns: DOUBLE_FRACTURE_CSV_COLUMNS as string[] });
}
