// Opaque keyset cursor: base64url JSON of the last item's sort key (distance in metres when
// the query has a point, then sort_key, then id). Decoding checks it fits the query.
import { ValidationError } from '../../lib/errors.ts';

export interface CursorKey {
  /** Rounded distance in metres; present exactly when the query has a point. */
  distance?: number;
  sort_key: string;
  id: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(key: CursorKey): string {
  const payload = key.distance === undefined ? [key.sort_key, key.id] : [key.sort_key, key.id, key.distance];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function invalid(): ValidationError {
  return new ValidationError(
    [{ field: 'curseur', message: '« curseur » n’est pas valide : reprenez la valeur next_cursor d’une réponse à la même recherche.' }],
    'Paramètres invalides',
  );
}

/** Throws a French ValidationError on `curseur` when the cursor is malformed or does not fit the query. */
export function decodeCursor(cursor: string, withDistance: boolean): CursorKey {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(payload) || payload.length !== (withDistance ? 3 : 2)) throw invalid();
  const [sortKey, id, distance] = payload as unknown[];
  if (typeof sortKey !== 'string' || typeof id !== 'string' || !uuidPattern.test(id)) throw invalid();
  if (!withDistance) return { sort_key: sortKey, id };
  if (typeof distance !== 'number' || !Number.isSafeInteger(distance) || distance < 0) throw invalid();
  return { distance, sort_key: sortKey, id };
}
