// The contract other modules rely on to place a record in the administrative map.
// Implemented by territories.use-cases.ts from @etalab/decoupage-administratif and the
// reference data folder (commune centres).

export type TerritoryType = 'commune' | 'epci' | 'departement' | 'region';

export interface Commune {
  /** INSEE code (for Paris/Lyon/Marseille: the arrondissement when known, else the city). */
  code: string;
  nom: string;
  codesPostaux: string[];
  codeDepartement: string;
  codeRegion: string;
  /** SIREN of the EPCI the commune belongs to, when it belongs to one. */
  codeEpci: string | null;
  population: number | null;
  /** Commune centre from the reference data; null when that data is missing. */
  centre: { latitude: number; longitude: number } | null;
}

/** What sources really send about a place's commune; any subset may be present. */
export interface CommuneQuery {
  code_insee?: string | null;
  code_postal?: string | null;
  commune?: string | null;
}

export type CommuneResolution =
  | { ok: true; commune: Commune }
  /** `field` names the input at fault; `message` is French and says what did not match. */
  | { ok: false; field: 'code_insee' | 'code_postal' | 'commune'; message: string; candidates?: Commune[] };

export interface Territory {
  type: TerritoryType;
  code: string;
  nom: string;
  population: number | null;
}

export interface Territories {
  resolveCommune(query: CommuneQuery): CommuneResolution;
  getCommune(code: string): Commune | undefined;
  getTerritory(type: TerritoryType, code: string): Territory | undefined;
  /** Communes whose name or postal code starts with the query (autocompletion, API look-up). */
  searchCommunes(query: string, limit?: number): Commune[];
  /**
   * INSEE codes of the communes inside a territory (a commune gives itself). Paris, Lyon and
   * Marseille come with their arrondissements, so places coded either way are found.
   * Empty when the territory is unknown.
   */
  communesOf(type: TerritoryType, code: string): string[];
  /** Degraded features, in French, when reference files are missing (empty when all is well). */
  degradations(): string[];
}
