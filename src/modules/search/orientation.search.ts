// The places matching the orientation answers. Everything the search API can express goes
// through the API's own translation (toSearchQuery) and the search engine, so the flow and
// GET /api/v1/lieux agree by construction; only the hours wishes that no single instant
// can express (weekend, evening, some time on a day) narrow the engine's ordered results.
import type { AppDeps } from '../../server/deps.ts';
import type { Commune } from '../territories/territories.types.ts';
import { searchLieux } from './search-engine.ts';
import { toSearchQuery } from './search.api.ts';
import type { SearchItem } from './search.types.ts';
import { locate } from './search.pages.ts';
import { hoursMatcher } from './orientation.hours.ts';
import { dayOf, type OrientationAnswers } from './orientation.params.ts';

/** How many places the flow proposes: enough to choose from, short enough to read aloud. */
export const RESULT_COUNT = 10;
const PAGE_SIZE = 100;
/**
 * Hours wishes are checked on the engine's pages of nearest places; each page costs about as
 * much as a whole search (12 ms for 100 places 50 km around Paris in a 50,000-place registry,
 * the hours check 0.1 ms), so the count is exact up to this many candidates, then "au moins".
 */
const MAX_SCANNED = 500;

export interface Origin {
  latitude: number;
  longitude: number;
  /** "Villeurbanne (69100)" */
  label: string;
}

/** Where the person lives, from the step 1 answers; a French message when it cannot be found. */
export function resolveOrigin(deps: Pick<AppDeps, 'territories'>, answers: OrientationAnswers): { origin: Origin } | { error: string } {
  if (!answers.q && !answers.commune) {
    return { error: 'Indiquez l’adresse, la commune ou le code postal de la personne.' };
  }
  const { place } = locate(deps, {
    q: answers.q,
    commune: answers.commune,
    rayon: answers.rayon,
    services: [],
    publics_specifiquement_adresses: [],
    prise_en_charge_specifique: [],
    gratuit: false,
    ouvert_maintenant: false,
  });
  if (place.kind !== 'point') {
    const typed = answers.q || answers.commune;
    return {
      error: `Nous n’avons pas trouvé de commune « ${typed.slice(0, 80)} ». Vérifiez l’orthographe, ou saisissez le code postal (5 chiffres).`,
    };
  }
  return { origin: { latitude: place.latitude, longitude: place.longitude, label: place.label.replace(/^près de /, '') } };
}

export function communeOf(deps: Pick<AppDeps, 'territories'>, code: string): Commune | undefined {
  return code ? deps.territories.getCommune(code) : undefined;
}

/** The search API parameters equivalent to the answers (without the hours wishes). */
export function apiParams(answers: OrientationAnswers, origin: Origin) {
  const params: Parameters<typeof toSearchQuery>[0] = {
    lat: origin.latitude,
    lon: origin.longitude,
    rayon: answers.rayon,
    limit: PAGE_SIZE,
  };
  if (answers.services.length) params.services = answers.services;
  if (answers.prise_en_charge_specifique.length) params.prise_en_charge_specifique = answers.prise_en_charge_specifique;
  if (answers.gratuit) params.frais_a_charge = ['Gratuit'];
  // A day and an hour: exactly the API's "open at this instant".
  const day = answers.jour && answers.heure ? dayOf(answers.jour) : undefined;
  if (day) {
    const [h, m] = answers.heure.split(':').map(Number);
    day.setHours(h!, m!);
    params.ouvert_le = day.toISOString();
  }
  return params;
}

export interface OrientationResults {
  items: SearchItem[];
  /** Matching places in the radius (a lower bound when `exact` is false). */
  total: number;
  exact: boolean;
}

export function findPlaces(deps: Pick<AppDeps, 'search' | 'clock'>, answers: OrientationAnswers, origin: Origin): OrientationResults {
  const now = deps.clock.now();
  const snapshot = deps.search.current();
  const params = apiParams(answers, origin);
  // Some time on the chosen day only matters when no hour narrows it to an instant.
  const matches = hoursMatcher({ creneaux: answers.quand, jour: answers.heure ? undefined : dayOf(answers.jour) }, now);
  if (!matches) {
    const result = searchLieux(snapshot, toSearchQuery({ ...params, limit: RESULT_COUNT }), now);
    return { items: result.items, total: result.total, exact: true };
  }
  const items: SearchItem[] = [];
  let total = 0;
  let scanned = 0;
  let curseur: string | undefined;
  do {
    const page = searchLieux(snapshot, toSearchQuery({ ...params, curseur }), now);
    for (const item of page.items) {
      if (!matches(item)) continue;
      total++;
      if (items.length < RESULT_COUNT) items.push(item);
    }
    scanned += page.items.length;
    curseur = page.next_cursor ?? undefined;
  } while (curseur && scanned < MAX_SCANNED);
  return { items, total, exact: curseur === undefined };
}
