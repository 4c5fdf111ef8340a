// From a lieux row to what the read model keeps: the API item (standard field names) and
// the compact record used for indexing. Repeated strings are interned so 50,000 places
// share one "Gratuit" instead of holding 50,000 copies.
import type { LieuRow } from '../../db/database.ts';
import { enumeratedFields, territoireColumns, territoireTypes, type EnumeratedField, type TerritoireType } from './search.fields.ts';
import type { PlaceRecord } from './read-model.ts';
import { toApiV1 } from '../lieux/lieux.schema.ts';

export type Interner = (value: string) => string;

export function createInterner(): Interner {
  const seen = new Map<string, string>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
}

export function toPlaceRecord(row: LieuRow, intern: Interner): PlaceRecord {
  const facets = {} as Record<EnumeratedField, readonly string[]>;
  for (const field of enumeratedFields) facets[field] = row[field].map(intern);
  const territories = {} as Record<TerritoireType, string | null>;
  for (const type of territoireTypes) {
    const code = row[territoireColumns[type]];
    territories[type] = code === null ? null : intern(code);
  }
  return {
    id: row.id,
    sort_key: row.sort_key,
    latitude: row.latitude,
    longitude: row.longitude,
    horaires: row.horaires === null ? null : intern(row.horaires),
    search_tokens: row.search_tokens.map(intern),
    facets,
    territories,
    code_departement: territories.departement,
    item: Buffer.from(JSON.stringify(toApiV1(row)), 'utf8'),
  };
}
