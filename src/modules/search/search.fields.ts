// The fields a search can filter on: the standard's enumerated fields and the territory
// codes stored with each place.
import { enumerations } from '../lieux/lieux.schema.ts';
import { arrondissementCities } from '../territories/territories.names.ts';

/** The standard's enumerated fields and their exact values (owned by the lieux schema). */
export const enumeratedFieldValues = enumerations;

export type EnumeratedField = keyof typeof enumeratedFieldValues;

export const enumeratedFields = Object.keys(enumeratedFieldValues) as EnumeratedField[];

/** Territory types and the column holding each one's code on a place. */
export const territoireColumns = {
  commune: 'code_insee',
  epci: 'code_epci',
  departement: 'code_departement',
  region: 'code_region',
} as const;

export type TerritoireType = keyof typeof territoireColumns;

export const territoireTypes = Object.keys(territoireColumns) as TerritoireType[];

/**
 * The codes a territory covers on places: itself, plus, for Paris, Lyon and Marseille, their
 * arrondissements (places carry the arrondissement's INSEE code when it is known).
 */
export function territoireCodes(type: TerritoireType, code: string): string[] {
  if (type !== 'commune') return [code];
  const city = Object.values(arrondissementCities).find((c) => c.city === code);
  return city ? [code, ...Array.from({ length: city.count }, (_, i) => city.code(i + 1))] : [code];
}
