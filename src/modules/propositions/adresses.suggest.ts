// Address suggestions for the "Proposer un lieu" form, from the same national address API as
// the imports' geocoder (MAILLAGE_GEOCODER_URL): `GET /search/?q=…&autocomplete=1`. Typing is
// interactive, so one short attempt and no retries; a service that is off, down or answers
// nonsense gives an empty list and a French message, never an error.

export interface AddressSuggestion {
  /** The address as the BAN writes it (number, street, postcode, commune). */
  label: string;
  /** Number and street (the standard's `adresse`); empty for a commune alone. */
  adresse: string;
  code_postal: string;
  commune: string;
  code_insee: string;
  latitude: number;
  longitude: number;
  /** housenumber, street, locality or municipality. */
  type: string;
}

export interface SuggestionAnswer {
  adresses: AddressSuggestion[];
  /** Why there is no suggestion when the service did not answer; null otherwise. */
  message: string | null;
}

export const SUGGESTIONS_OFF = 'La suggestion d’adresses n’est pas disponible sur ce serveur : saisissez l’adresse, le code postal et la commune.';
export const SUGGESTIONS_DOWN = 'Le service d’adresses ne répond pas pour le moment : saisissez l’adresse, le code postal et la commune.';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function suggestionOf(feature: unknown): AddressSuggestion | null {
  const f = feature as { geometry?: { coordinates?: unknown[] }; properties?: Record<string, unknown> } | null;
  const coordinates = f?.geometry?.coordinates ?? [];
  const longitude = num(coordinates[0]);
  const latitude = num(coordinates[1]);
  const p = f?.properties ?? {};
  const label = str(p.label);
  const postcode = str(p.postcode);
  const citycode = str(p.citycode);
  if (latitude === null || longitude === null || !label || !/^\d{5}$/.test(postcode)) return null;
  const type = str(p.type);
  // `city` is in every real answer; read it from the label after the postcode otherwise.
  const commune = str(p.city) || label.slice(label.indexOf(postcode) + postcode.length).trim();
  const name = str(p.name);
  const beforePostcode = label.includes(postcode) ? label.slice(0, label.indexOf(postcode)).trim() : '';
  const adresse = type === 'municipality' ? '' : name && !name.includes(postcode) ? name : beforePostcode;
  return { label, adresse, code_postal: postcode, commune, code_insee: citycode, latitude, longitude, type };
}

export async function suggestAddresses(geocoderUrl: string | null, q: string, options: { limit?: number; timeoutMs?: number; fetch?: typeof fetch } = {}): Promise<SuggestionAnswer> {
  const query = q.replace(/\s+/g, ' ').trim();
  if (!geocoderUrl) return { adresses: [], message: SUGGESTIONS_OFF };
  // The BAN refuses queries under 3 characters; there is nothing to suggest yet.
  if (query.length < 3) return { adresses: [], message: null };
  const url = new URL(`${geocoderUrl}/search/`);
  url.searchParams.set('q', query);
  url.searchParams.set('limit', String(options.limit ?? 5));
  url.searchParams.set('autocomplete', '1');
  try {
    const response = await (options.fetch ?? fetch)(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    if (!response.ok) {
      await response.body?.cancel();
      return { adresses: [], message: SUGGESTIONS_DOWN };
    }
    const body = JSON.parse(await response.text()) as { features?: unknown };
    if (!Array.isArray(body?.features)) return { adresses: [], message: SUGGESTIONS_DOWN };
    return { adresses: body.features.map(suggestionOf).filter((s): s is AddressSuggestion => s !== null), message: null };
  } catch {
    return { adresses: [], message: SUGGESTIONS_DOWN };
  }
}
