// Geocoding stage of an import run, done BEFORE the run's transaction opens (network I/O must
// not hold it): records without usable coordinates (missing, or dropped by imports.coordinates.ts)
// are looked up in the persistent cache, the rest are sent to the address geocoder in batch,
// answers are cached, and each record gets a position or a French reason why its commune
// centre is kept. A result is accepted only when it is an address or a street (not just the
// commune), with a score of at least `minimumScore`, inside the stated commune.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { normalizeText } from '../../lib/text.ts';
import type { Territories } from '../territories/territories.types.ts';
import { checkPosition, distanceKm, lacksPosition, maxDistanceFromCommuneKm, type GeocodedPosition } from './imports.coordinates.ts';
import type { SourceRecord } from './imports.fields.ts';
import { GeocoderError, type GeocodeAnswer, type GeocodeQuery, type Geocoder } from './imports.geocoder.ts';
import type { GeocodingCacheTable } from './imports.geocoding.tables.ts';

/**
 * Below this BAN score the best answer is often another street with a similar name: the
 * commune centre (flagged approximate) is the more honest position. The query is already
 * restricted to the stated commune, so 0.6 lets through the usual abbreviations and typos.
 */
export const minimumScore = 0.6;

/** BAN result types precise enough to beat the commune centre (`municipality` is the commune itself). */
export const acceptedTypes: ReadonlySet<string> = new Set(['housenumber', 'street', 'locality']);

/** "Not found" answers are asked again after this many days: the BAN gains addresses every week. */
export const notFoundRetryDays = 90;

export interface GeocodingDeps {
  db: Kysely<Database>;
  clock: Clock;
  territories: Territories;
  /** null or absent: geocoding disabled (offline); cached answers are still used. */
  geocoder?: Geocoder | null;
}

/** What the stage did; counts are records (file rows) unless said otherwise. */
export interface GeocodingReport {
  service: 'enabled' | 'disabled';
  /** Records without usable coordinates and with an address to look up. */
  needed: number;
  /** …answered from the cache. */
  fromCache: number;
  /** Distinct addresses sent to the service. */
  requested: number;
  /** HTTP requests made (retries included). */
  requests: number;
  /** Records given the geocoded position. */
  found: number;
  /** Records whose answer was refused or not found: commune centre, with a warning on the row. */
  refused: number;
  /** Records left without an answer (service disabled or unreachable): commune centre. */
  unavailable: number;
  /** French reason when the service could not answer. */
  error: string | null;
  /** French run-level notes (nothing is lost silently). */
  notes: string[];
}

export interface GeocodingResult {
  /** By record row, for the records that need one: the position to use, or why the commune centre is kept. */
  positions: Map<number, GeocodedPosition>;
  report: GeocodingReport;
}

export function emptyGeocodingReport(service: GeocodingReport['service'] = 'disabled'): GeocodingReport {
  return { service, needed: 0, fromCache: 0, requested: 0, requests: 0, found: 0, refused: 0, unavailable: 0, error: null, notes: [] };
}

interface Need {
  row: number;
  key: string;
  query: GeocodeQuery;
  /** INSEE codes an answer may carry: the commune, and its arrondissements for Paris, Lyon, Marseille. */
  accepted: string[];
  commune: { code: string; nom: string };
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * Fast path for the usual row (a position near the centre of the commune its INSEE code
 * names): a map look-up instead of the full commune resolution of checkPosition, since this
 * pass runs over every row of the file, unchanged ones included, before the transaction.
 */
function plainlyInCommune(lieu: SourceRecord['lieu'], territories: Territories): boolean {
  const latitude = Number(text(lieu.latitude).replace(',', '.'));
  const longitude = Number(text(lieu.longitude).replace(',', '.'));
  if (text(lieu.latitude) === '' || text(lieu.longitude) === '' || !Number.isFinite(latitude) || !Number.isFinite(longitude) || latitude === 0) return false;
  const centre = territories.getCommune(text(lieu.code_insee))?.centre;
  return centre !== null && centre !== undefined && distanceKm({ latitude, longitude }, centre) <= maxDistanceFromCommuneKm;
}

/** The lookup a record needs, or null when its coordinates are usable or it cannot be looked up. */
export function geocodingNeed(record: SourceRecord, territories: Territories): Need | null {
  const lieu = record.lieu;
  const adresse = text(lieu.adresse);
  if (adresse === '') return null;
  if (plainlyInCommune(lieu, territories) || !lacksPosition(checkPosition(lieu, territories, record.row).lieu)) return null;
  const resolution = territories.resolveCommune({ code_insee: text(lieu.code_insee), code_postal: text(lieu.code_postal), commune: text(lieu.commune) });
  if (!resolution.ok) return null; // validation rejects the record, or cannot check the answer's commune
  const commune = resolution.commune;
  const accepted = territories.communesOf('commune', commune.code);
  const codes = accepted.length > 0 ? accepted : [commune.code];
  const codePostal = text(lieu.code_postal);
  // Paris, Lyon, Marseille: the BAN answers with arrondissement codes, so filter on the postal code.
  const citycode = codes.length === 1 ? commune.code : null;
  const key = [normalizeText(adresse), codePostal, commune.code].join('|');
  return { row: record.row, key, query: { id: key, adresse, code_postal: codePostal || null, commune: commune.nom, citycode }, accepted: codes, commune: { code: commune.code, nom: commune.nom } };
}

const centre = 'le lieu est placé au centre de sa commune (position approximative).';
const decimal = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 2 });

/** Accepts or refuses an answer for a record; refusals carry the French warning for the producer. */
export function judgeAnswer(need: Need, answer: GeocodeAnswer): GeocodedPosition {
  const asked = [need.query.adresse, need.query.code_postal, need.commune.nom].filter(Boolean).join(' ');
  if (answer === null) return { status: 'refused', message: `Adresse introuvable dans la Base Adresse Nationale (« ${asked} ») : ${centre}` };
  if (!acceptedTypes.has(answer.type)) {
    return { status: 'refused', message: `Seule la commune a été trouvée dans la Base Adresse Nationale, pas l’adresse « ${asked} » : ${centre}` };
  }
  if (!need.accepted.includes(answer.citycode)) {
    return {
      status: 'refused',
      message: `L’adresse trouvée dans la Base Adresse Nationale (« ${answer.label} », code INSEE ${answer.citycode || 'inconnu'}) n’est pas dans la commune indiquée (${need.commune.nom}, ${need.commune.code}) : ${centre}`,
    };
  }
  if (answer.score < minimumScore) {
    return {
      status: 'refused',
      message: `Adresse trouvée avec trop peu de certitude dans la Base Adresse Nationale (« ${answer.label} », score ${decimal(answer.score)} sous le seuil de ${decimal(minimumScore)}) : ${centre}`,
    };
  }
  return { status: 'found', latitude: answer.latitude, longitude: answer.longitude, label: answer.label, score: answer.score };
}

type CacheRow = Pick<GeocodingCacheTable, 'address_key' | 'found' | 'latitude' | 'longitude' | 'label' | 'score' | 'type' | 'citycode'> & { geocoded_at: Date };

function answerOf(row: CacheRow): GeocodeAnswer {
  if (!row.found || row.latitude === null || row.longitude === null || row.score === null) return null;
  return { latitude: row.latitude, longitude: row.longitude, score: row.score, label: row.label ?? '', type: row.type ?? '', citycode: row.citycode ?? '' };
}

const chunk = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function readCache(db: Kysely<Database>, keys: readonly string[], now: Date): Promise<Map<string, GeocodeAnswer>> {
  const answers = new Map<string, GeocodeAnswer>();
  const staleBefore = now.getTime() - notFoundRetryDays * 86_400_000;
  for (const part of chunk(keys, 1000)) {
    const rows = await db.selectFrom('geocoding_cache').selectAll().where('address_key', 'in', part).execute();
    for (const row of rows) {
      if (!row.found && new Date(row.geocoded_at).getTime() < staleBefore) continue;
      answers.set(row.address_key, answerOf(row));
    }
  }
  return answers;
}

export async function writeCache(db: Kysely<Database>, answers: ReadonlyMap<string, GeocodeAnswer>, now: Date): Promise<void> {
  const rows = [...answers].map(([key, a]) => ({
    address_key: key,
    found: a !== null,
    latitude: a?.latitude ?? null,
    longitude: a?.longitude ?? null,
    label: a?.label ?? null,
    score: a?.score ?? null,
    type: a?.type ?? null,
    citycode: a?.citycode ?? null,
    geocoded_at: now,
  }));
  for (const part of chunk(rows, 500)) {
    await db
      .insertInto('geocoding_cache')
      .values(part)
      .onConflict((oc) =>
        oc.column('address_key').doUpdateSet({
          found: sql`excluded.found`,
          latitude: sql`excluded.latitude`,
          longitude: sql`excluded.longitude`,
          label: sql`excluded.label`,
          score: sql`excluded.score`,
          type: sql`excluded.type`,
          citycode: sql`excluded.citycode`,
          geocoded_at: sql`excluded.geocoded_at`,
        }),
      )
      .execute();
  }
}

const places = (n: number) => `${n.toLocaleString('fr-FR')} lieu${n > 1 ? 'x' : ''}`;

/**
 * Positions for the records without usable coordinates. Answers are cached (outside any
 * import transaction: they stay valid whatever happens to the run, dry runs included).
 */
export async function geocodeRecords(records: Iterable<SourceRecord>, deps: GeocodingDeps): Promise<GeocodingResult> {
  const geocoder = deps.geocoder ?? null;
  const report = emptyGeocodingReport(geocoder ? 'enabled' : 'disabled');
  const positions = new Map<number, GeocodedPosition>();
  const needs: Need[] = [];
  for (const record of records) {
    const need = geocodingNeed(record, deps.territories);
    if (need) needs.push(need);
  }
  report.needed = needs.length;
  if (needs.length === 0) return { positions, report };

  const now = deps.clock.now();
  const byKey = new Map<string, Need>();
  for (const need of needs) if (!byKey.has(need.key)) byKey.set(need.key, need);
  const answers = await readCache(deps.db, [...byKey.keys()], now);
  report.fromCache = needs.filter((n) => answers.has(n.key)).length;

  const missing = [...byKey.values()].filter((n) => !answers.has(n.key));
  if (missing.length > 0 && geocoder) {
    report.requested = missing.length;
    const fresh = new Map<string, GeocodeAnswer>();
    try {
      if (missing.length === 1) {
        const { answer, requests } = await geocoder.search(missing[0]!.query);
        report.requests = requests;
        fresh.set(missing[0]!.key, answer);
      } else {
        const batch = await geocoder.searchBatch(missing.map((n) => n.query));
        report.requests = batch.requests;
        report.error = batch.error;
        for (const [key, answer] of batch.answers) fresh.set(key, answer);
      }
    } catch (error) {
      if (!(error instanceof GeocoderError)) throw error;
      report.requests = error.requests;
      report.error = error.message;
    }
    await writeCache(deps.db, fresh, now);
    for (const [key, answer] of fresh) answers.set(key, answer);
  }

  for (const need of needs) {
    if (!answers.has(need.key)) {
      positions.set(need.row, { status: 'unavailable' });
      report.unavailable++;
      continue;
    }
    const position = judgeAnswer(need, answers.get(need.key)!);
    positions.set(need.row, position);
    if (position.status === 'found') report.found++;
    else report.refused++;
  }
  if (report.unavailable > 0) {
    report.notes.push(
      geocoder
        ? `Service d’adresses injoignable (${report.error ?? 'aucune réponse'}) : ${places(report.unavailable)} sans coordonnées utilisables placé${report.unavailable > 1 ? 's' : ''} au centre de leur commune (position approximative).`
        : `Géocodage désactivé (MAILLAGE_GEOCODER_URL=off) : ${places(report.unavailable)} sans coordonnées utilisables placé${report.unavailable > 1 ? 's' : ''} au centre de leur commune (position approximative).`,
    );
  }
  return { positions, report };
}
