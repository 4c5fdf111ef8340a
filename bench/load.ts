// Fast bulk loader for benchmarks: writes generated places straight into `lieux` with one
// `INSERT … SELECT FROM unnest(…)` per chunk (one array parameter per column, so far below
// PostgreSQL's 65,535-parameter limit), computing what createLieu would derive: territory
// codes from the commune and search_tokens/sort_key from searchKeys. No history rows.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { searchKeys } from '../src/lib/text.ts';
import type { Territories } from '../src/modules/territories/territories.types.ts';
import type { StandardLieu } from './generate.ts';

// Multi-values travel as one string joined by the ASCII unit separator (never in the data).
const SEPARATOR = '\u001f';

const textColumns = [
  'pivot', 'nom', 'commune', 'code_postal', 'code_insee', 'adresse', 'complement_adresse', 'telephone', 'horaires',
  'presentation_resume', 'presentation_detail', 'source', 'structure_parente', 'fiche_acces_libre', 'prise_rdv',
  'code_epci', 'code_departement', 'code_region', 'sort_key',
] as const;
const arrayColumns = [
  'typologie', 'courriels', 'site_web', 'itinerance', 'services', 'publics_specifiquement_adresses',
  'prise_en_charge_specifique', 'frais_a_charge', 'dispositif_programmes_nationaux', 'formations_labels',
  'autres_formations_labels', 'modalites_acces', 'modalites_accompagnement', 'search_tokens',
] as const;

type Row = Record<string, unknown>;

function toRow(lieu: StandardLieu, territories: Territories): Row {
  const commune = territories.getCommune(lieu.code_insee);
  return {
    ...lieu,
    code_epci: commune?.codeEpci ?? null,
    code_departement: commune?.codeDepartement ?? null,
    code_region: commune?.codeRegion ?? null,
    ...searchKeys(lieu.nom, lieu.commune),
  };
}

export interface LoadResult {
  count: number;
  ms: number;
}

/** Inserts `lieux` (published, version 1) and one 'added' change each; returns the time taken. */
export async function bulkLoadLieux(
  db: Kysely<Database>,
  lieux: readonly StandardLieu[],
  territories: Territories,
  chunkSize = 10_000,
): Promise<LoadResult> {
  const started = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < lieux.length; start += chunkSize) {
      const rows = lieux.slice(start, start + chunkSize).map((lieu) => toRow(lieu, territories));
      const column = (name: string) => rows.map((row) => (row[name] as string | undefined) ?? null);
      const joined = (name: string) => rows.map((row) => ((row[name] as string[] | undefined) ?? []).join(SEPARATOR));
      const params = [
        sql`${rows.map((r) => r.id)}::uuid[]`,
        ...textColumns.map((name) => sql`${column(name)}::text[]`),
        ...arrayColumns.map((name) => sql`${joined(name)}::text[]`),
        sql`${rows.map((r) => r.latitude)}::float8[]`,
        sql`${rows.map((r) => r.longitude)}::float8[]`,
        sql`${rows.map((r) => r.date_maj)}::date[]`,
      ];
      const names = ['id', ...textColumns, ...arrayColumns, 'latitude', 'longitude', 'date_maj'];
      const selected = names.map((name) =>
        (arrayColumns as readonly string[]).includes(name)
          ? sql`string_to_array(t.${sql.ref(name)}, ${SEPARATOR})`
          : sql`t.${sql.ref(name)}`,
      );
      await sql`
        INSERT INTO lieux (${sql.join(names.map((name) => sql.ref(name)))})
        SELECT ${sql.join(selected)}
        FROM unnest(${sql.join(params)}) AS t(${sql.join(names.map((name) => sql.ref(name)))})
      `.execute(trx);
      await sql`
        INSERT INTO lieu_changes (lieu_id, kind)
        SELECT id, 'added' FROM unnest(${rows.map((r) => r.id)}::uuid[]) AS t(id)
      `.execute(trx);
    }
  });
  return { count: lieux.length, ms: performance.now() - started };
}
