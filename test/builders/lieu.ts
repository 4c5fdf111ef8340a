// Test builder for places: realistic defaults, any field overridable, inserted straight into
// lieux with Kysely (search_tokens and sort_key computed as the use cases do). Use
// recordLieuChange to mimic a use case's change-log entry and notification.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, LieuRow, NewLieuRow } from '../../src/db/database.ts';
import { searchKeys } from '../../src/lib/text.ts';

export type LieuOverrides = Partial<Omit<NewLieuRow, 'search_tokens' | 'sort_key'>>;

let counter = 0;

/** A complete, valid place in Lyon; every field can be overridden. */
export function buildLieu(overrides: LieuOverrides = {}): NewLieuRow {
  counter++;
  const nom = overrides.nom ?? `Espace numérique ${counter}`;
  const commune = overrides.commune ?? 'Lyon';
  return {
    id: randomUUID(),
    pivot: '21690123100011',
    nom,
    commune,
    code_postal: '69001',
    code_insee: '69381',
    adresse: '12 rue de la République',
    complement_adresse: null,
    latitude: 45.764,
    longitude: 4.8357,
    typologie: ['EPN'],
    telephone: '+33472000000',
    courriels: ['contact@example.org'],
    site_web: ['https://example.org'],
    horaires: 'Mo-Fr 09:00-12:00,14:00-18:00; PH off',
    presentation_resume: 'Accompagnement aux usages du numérique.',
    presentation_detail: null,
    source: 'Maillage (tests)',
    itinerance: ['Fixe'],
    structure_parente: null,
    date_maj: '2025-01-15',
    services: ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien'],
    publics_specifiquement_adresses: [],
    prise_en_charge_specifique: [],
    frais_a_charge: ['Gratuit'],
    dispositif_programmes_nationaux: ['Conseillers numériques'],
    formations_labels: [],
    autres_formations_labels: [],
    modalites_acces: ['Se présenter'],
    modalites_accompagnement: ['Accompagnement individuel'],
    fiche_acces_libre: null,
    prise_rdv: null,
    code_epci: '200046977',
    code_departement: '69',
    code_region: '84',
    ...overrides,
    ...searchKeys(nom, commune),
  };
}

const INSERT_CHUNK = 500;

/** Inserts the places (built with buildLieu from each override set) and returns the rows. */
export async function insertLieux(db: Kysely<Database>, list: LieuOverrides[]): Promise<LieuRow[]> {
  const built = list.map((overrides) => buildLieu(overrides));
  const rows: LieuRow[] = [];
  for (let i = 0; i < built.length; i += INSERT_CHUNK) {
    rows.push(...(await db.insertInto('lieux').values(built.slice(i, i + INSERT_CHUNK)).returningAll().execute()));
  }
  return rows;
}

export async function insertLieu(db: Kysely<Database>, overrides: LieuOverrides = {}): Promise<LieuRow> {
  const [row] = await insertLieux(db, [overrides]);
  return row!;
}

/** What a write use case does after changing a place: a change-log row and a notification. */
export async function recordLieuChange(
  db: Kysely<Database>,
  lieuId: string,
  kind: 'added' | 'updated' | 'removed' = 'updated',
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { seq } = await trx.insertInto('lieu_changes').values({ lieu_id: lieuId, kind }).returning('seq').executeTakeFirstOrThrow();
    await sql`select pg_notify('lieux_changed', ${String(seq)})`.execute(trx);
    return seq;
  });
}

// ---------------------------------------------------------------- random places (seeded)

/** Small seeded PRNG (mulberry32): the same seed gives the same data on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomCommune {
  commune: string;
  code_postal: string;
  code_insee: string;
  code_epci: string;
  code_departement: string;
  code_region: string;
  latitude: number;
  longitude: number;
}

export const randomCommunes: RandomCommune[] = [
  { commune: 'Lyon', code_postal: '69003', code_insee: '69383', code_epci: '200046977', code_departement: '69', code_region: '84', latitude: 45.76, longitude: 4.85 },
  { commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266', code_epci: '200046977', code_departement: '69', code_region: '84', latitude: 45.77, longitude: 4.88 },
  { commune: 'Saint-Étienne', code_postal: '42000', code_insee: '42218', code_epci: '244200770', code_departement: '42', code_region: '84', latitude: 45.43, longitude: 4.39 },
  { commune: 'Paris', code_postal: '75011', code_insee: '75111', code_epci: '200054781', code_departement: '75', code_region: '11', latitude: 48.857, longitude: 2.38 },
  { commune: 'Montreuil', code_postal: '93100', code_insee: '93048', code_epci: '200057875', code_departement: '93', code_region: '11', latitude: 48.86, longitude: 2.44 },
  { commune: 'Strasbourg', code_postal: '67000', code_insee: '67482', code_epci: '246700488', code_departement: '67', code_region: '44', latitude: 48.58, longitude: 7.75 },
  { commune: 'Metz', code_postal: '57000', code_insee: '57463', code_epci: '200039865', code_departement: '57', code_region: '44', latitude: 49.12, longitude: 6.18 },
  { commune: 'Brest', code_postal: '29200', code_insee: '29019', code_epci: '242900314', code_departement: '29', code_region: '53', latitude: 48.39, longitude: -4.49 },
  { commune: 'Quimper', code_postal: '29000', code_insee: '29232', code_epci: '242900793', code_departement: '29', code_region: '53', latitude: 47.996, longitude: -4.1 },
  { commune: 'Fort-de-France', code_postal: '97200', code_insee: '97209', code_epci: '249720061', code_departement: '972', code_region: '02', latitude: 14.6, longitude: -61.07 },
  { commune: 'Aÿ-Champagne', code_postal: '51160', code_insee: '51030', code_epci: '200067213', code_departement: '51', code_region: '44', latitude: 49.05, longitude: 4.0 },
];

const nameHeads = ['Médiathèque', 'Espace numérique', 'Maison France Services', 'Cyber-base', 'Bibliothèque', 'Centre social', 'Tiers-lieu', 'Fablab', 'Point numérique CAF', 'EPN'];
const nameTails = ['Jean Jaurès', 'Victor Hugo', 'des Tilleuls', 'du Centre', 'Louise Michel', 'de la Gare', "L'Œuvre", 'Émile Zola', 'Saint-Exupéry', '2000'];

export const randomHoraires: (string | null)[] = [
  null,
  'Mo-Fr 09:00-12:00,14:00-18:00; PH off',
  'Mo-Fr 09:00-12:00,14:00-18:00',
  '24/7',
  'Tu,Th 14:00-19:00',
  'Mo-Sa 10:00-20:00; PH off',
  'We 08:00-12:00; Sa 09:00-12:30',
  'Mo-Su 22:00-02:00',
  'sunrise-sunset',
  'horaires variables',
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function subset<T>(random: () => number, list: readonly T[], max: number): T[] {
  const count = Math.floor(random() * (max + 1));
  const chosen = new Set<T>();
  for (let i = 0; i < count; i++) chosen.add(pick(random, list));
  return [...chosen];
}

/** Varied places over a few communes (some without position, some unpublished). */
export function randomLieux(random: () => number, count: number, values: Record<string, readonly string[]>): LieuOverrides[] {
  const list: LieuOverrides[] = [];
  for (let i = 0; i < count; i++) {
    const place = pick(random, randomCommunes);
    const positioned = random() > 0.08;
    const overrides: LieuOverrides = {
      nom: random() < 0.15 ? pick(random, nameHeads) : `${pick(random, nameHeads)} ${pick(random, nameTails)}`,
      ...place,
      latitude: positioned ? Math.round((place.latitude + (random() - 0.5) * 0.6) * 1e6) / 1e6 : null,
      longitude: positioned ? Math.round((place.longitude + (random() - 0.5) * 0.8) * 1e6) / 1e6 : null,
      code_epci: random() < 0.05 ? null : place.code_epci,
      horaires: pick(random, randomHoraires),
      status: random() < 0.1 ? 'unpublished' : 'published',
    };
    for (const [field, allowed] of Object.entries(values)) {
      (overrides as Record<string, unknown>)[field] = subset(random, allowed, field === 'typologie' ? 2 : 3);
    }
    list.push(overrides);
  }
  return list;
}
