// The places of an agent's territory (/compte/territoire): every status, filtered by freshness
// and publication, a page at a time (a département holds thousands), and the standard CSV of
// the published ones. Who sees which territory is decided here, through `authorize`.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Config } from '../../server/config.ts';
import type { Clock } from '../../lib/clock.ts';
import { ValidationError } from '../../lib/errors.ts';
import { assertAuthorized, territoryKinds, type AccountPrincipal, type Scope } from '../accounts/authorize.ts';
import { standardFields } from '../lieux/lieux.schema.ts';
import type { ExportRow } from '../exports/exports.stream.ts';
import { freshnessOf, staleCutoff, type Freshness, type FreshnessStatus } from '../freshness/freshness.ts';
import { completenessOf, type Completeness } from '../freshness/completeness.ts';

export type TerritoryDeps = { db: Kysely<Database>; clock: Clock; config: Pick<Config, 'freshness'> };

export type PublicationStatus = 'published' | 'unpublished';

export interface TerritoryFilters {
  fraicheur?: FreshnessStatus;
  statut?: PublicationStatus;
  /** Moderators and administrators name the département they look at. */
  departement?: string;
  page: number;
}

export interface TerritoryPlace {
  id: string;
  nom: string;
  commune: string;
  code_postal: string;
  status: PublicationStatus;
  freshness: Freshness;
  completeness: Completeness;
}

export interface TerritoryPage {
  territories: Scope[];
  places: TerritoryPlace[];
  total: number;
  page: number;
  pageCount: number;
}

export const territoryPageSize = 50;
const freshnessValues: FreshnessStatus[] = ['a_jour', 'a_verifier', 'ancienne'];
const statusValues: PublicationStatus[] = ['published', 'unpublished'];

/** The GET parameters of the page and of the export, checked: a bad value names its field. */
export function parseTerritoryFilters(query: Record<string, unknown>): TerritoryFilters {
  const errors: { field: string; message: string }[] = [];
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
  const filters: TerritoryFilters = { page: 1 };
  const fraicheur = text('fraicheur');
  if (fraicheur !== undefined) {
    if (freshnessValues.includes(fraicheur as FreshnessStatus)) filters.fraicheur = fraicheur as FreshnessStatus;
    else errors.push({ field: 'fraicheur', message: 'Fraîcheur inconnue : choisissez « à jour », « à vérifier » ou « ancienne ».' });
  }
  const statut = text('statut');
  if (statut !== undefined) {
    if (statusValues.includes(statut as PublicationStatus)) filters.statut = statut as PublicationStatus;
    else errors.push({ field: 'statut', message: 'Statut inconnu : choisissez « publié » ou « retiré ».' });
  }
  const departement = text('departement');
  if (departement !== undefined) {
    if (/^(\d{2,3}|2[AB])$/i.test(departement)) filters.departement = departement.toUpperCase();
    else errors.push({ field: 'departement', message: 'Code de département invalide (par exemple 69, 2A ou 974).' });
  }
  const page = text('page');
  if (page !== undefined) {
    if (/^\d{1,6}$/.test(page) && Number(page) >= 1) filters.page = Number(page);
    else errors.push({ field: 'page', message: 'Numéro de page invalide.' });
  }
  if (errors.length) throw new ValidationError(errors, errors.map((e) => e.message).join(' '));
  return filters;
}

/** The territories the account looks at: its own scopes, or the département a reviewer names. */
function territoriesOf(account: AccountPrincipal, filters: TerritoryFilters): Scope[] {
  assertAuthorized(account, 'territoire.read');
  if (account.role === 'agent_territorial') return account.scopes.filter((s) => territoryKinds.includes(s.kind));
  return filters.departement ? [{ kind: 'departement', code: filters.departement }] : [];
}

const columnOf = { commune: 'code_insee', epci: 'code_epci', departement: 'code_departement', region: 'code_region' } as const;

function filtered<O>(deps: TerritoryDeps, query: SelectQueryBuilder<Database, 'lieux', O>, territories: Scope[], filters: TerritoryFilters): SelectQueryBuilder<Database, 'lieux', O> {
  let q = query.where((eb) =>
    eb.or(territories.map((s) => eb(columnOf[s.kind as keyof typeof columnOf], '=', s.code))),
  );
  if (filters.statut) q = q.where('status', '=', filters.statut);
  if (filters.fraicheur) {
    // The same thresholds as freshnessOf: "à vérifier" from staleMonths, "ancienne" from oldMonths.
    const now = deps.clock.now();
    const stale = staleCutoff(now, deps.config.freshness.staleMonths);
    const old = staleCutoff(now, deps.config.freshness.oldMonths);
    if (filters.fraicheur === 'a_jour') q = q.where('date_maj', '>', stale);
    if (filters.fraicheur === 'a_verifier') q = q.where('date_maj', '<=', stale).where('date_maj', '>', old);
    if (filters.fraicheur === 'ancienne') q = q.where('date_maj', '<=', old);
  }
  return q;
}

/** One page of the territory's places, the least recently updated first. */
export async function listTerritoryPlaces(deps: TerritoryDeps, account: AccountPrincipal, filters: TerritoryFilters): Promise<TerritoryPage> {
  const territories = territoriesOf(account, filters);
  if (territories.length === 0) return { territories, places: [], total: 0, page: 1, pageCount: 1 };
  const { count } = await filtered(deps, deps.db.selectFrom('lieux').select((eb) => eb.fn.countAll<string>().as('count')), territories, filters).executeTakeFirstOrThrow();
  const total = Number(count);
  const pageCount = Math.max(1, Math.ceil(total / territoryPageSize));
  const page = Math.min(filters.page, pageCount);
  const rows = await filtered(deps, deps.db.selectFrom('lieux').select([...standardFields, 'status']), territories, filters)
    .orderBy('date_maj')
    .orderBy('id')
    .limit(territoryPageSize)
    .offset((page - 1) * territoryPageSize)
    .execute();
  const now = deps.clock.now();
  const places = rows.map((row) => ({
    id: row.id,
    nom: row.nom,
    commune: row.commune,
    code_postal: row.code_postal,
    status: row.status,
    freshness: freshnessOf(row.date_maj, now, deps.config.freshness),
    completeness: completenessOf(row as never),
  }));
  return { territories, places, total, page, pageCount };
}

/**
 * The published places of the territory (same filters, every page), in keyset pages of ids
 * for the streamed standard CSV: the standard has no status column, so unpublished places
 * are left out. Authorised before the first row is read.
 */
export function territoryExportPages(deps: TerritoryDeps, account: AccountPrincipal, filters: TerritoryFilters, pageSize = 1000): AsyncGenerator<ExportRow[]> {
  const territories = territoriesOf(account, filters);
  return (async function* () {
    if (territories.length === 0 || filters.statut === 'unpublished') return;
    let after: string | null = null;
    for (;;) {
      let query = filtered(deps, deps.db.selectFrom('lieux').select(standardFields), territories, { ...filters, statut: 'published' }).orderBy('id').limit(pageSize);
      if (after !== null) query = query.where('id', '>', after);
      const rows: ExportRow[] = await query.execute();
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.id;
    }
  })();
}
