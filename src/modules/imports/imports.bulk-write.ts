// Set-based SQL of the import apply stage. Inserts stream with COPY on a PostgreSQL server
// (db/copy-from.ts); on PGlite, and for updates, each statement writes a chunk of rows from
// one array parameter per column (`INSERT … SELECT FROM unnest($1::uuid[], $2::text[], …)`),
// so a run issues a few dozen statements instead of several per row and stays far below
// PostgreSQL's 65,535-parameter limit.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, LieuRow } from '../../db/database.ts';
import { LIEUX_CHANGED_CHANNEL } from '../lieux/lieux.repository.ts';
import { toApiV1 } from '../lieux/lieux.schema.ts';
import { copyArray, copyClient, copyInto, copyJson, copyText, CopyWriter } from '../../db/copy-from.ts';

type Db = Kysely<Database>;

/** How one column travels: its SQL array type, and how a JS value becomes an array element. */
type ColumnKind = 'uuid' | 'text' | 'float8' | 'int4' | 'bool' | 'date' | 'timestamptz' | 'jsonb' | 'text[]';

export interface Column<Row> {
  name: string;
  kind: ColumnKind;
  value: (row: Row) => unknown;
  /** Same value on every row of the run (source, run, time): sent once, not as an array. */
  constant?: boolean;
  /** A jsonb column whose values are strings from JSON.stringify (no raw newline or tab): COPY only doubles their backslashes. */
  stringified?: boolean;
}

// A list cell travels as one string joined by the ASCII unit separator (never in the data),
// because unnest() would flatten a two-dimensional array.
const SEPARATOR = '\u001f';
export const chunkSize = 5000;

function element(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return kind === 'text[]' ? '' : null;
  if (kind === 'text[]') return (value as string[]).join(SEPARATOR);
  if (kind === 'jsonb') return typeof value === 'string' ? value : JSON.stringify(value);
  if (kind === 'timestamptz') return value instanceof Date ? value.toISOString() : String(value);
  return value;
}

function selected(column: Column<never>, first: unknown): RawBuilder<unknown> {
  if (column.constant) return sql`${element(column.kind, column.value(first as never))}::${sql.raw(column.kind === 'jsonb' || column.kind === 'text[]' ? 'text' : column.kind)}`;
  const ref = sql`t.${sql.ref(column.name)}`;
  if (column.kind === 'text[]') return sql`string_to_array(${ref}, ${SEPARATOR})`;
  if (column.kind === 'jsonb') return sql`${ref}::jsonb`;
  return ref;
}

/**
 * `SELECT <columns> FROM unnest(<one array per column>)` for one chunk; `ordered`: in the
 * rows' order (the change log's sequence follows it).
 */
function unnestSelect<Row>(columns: Column<Row>[], rows: readonly Row[], ordered = false): RawBuilder<unknown> {
  const arrays = columns.filter((c) => !c.constant);
  const params = arrays.map((c) => {
    const arrayType = c.kind === 'text[]' || c.kind === 'jsonb' ? 'text' : c.kind;
    return sql`${rows.map((r) => element(c.kind, c.value(r)))}::${sql.raw(arrayType)}[]`;
  });
  const names = sql.join(arrays.map((c) => sql.ref(c.name)));
  const list = sql.join(columns.map((c) => sql`${selected(c as Column<never>, rows[0])} AS ${sql.ref(c.name)}`));
  return ordered
    ? sql`SELECT ${list} FROM unnest(${sql.join(params)}) WITH ORDINALITY AS t(${names}, ord) ORDER BY t.ord`
    : sql`SELECT ${list} FROM unnest(${sql.join(params)}) AS t(${names})`;
}

/** One value in COPY's text format (see unnest's `element` for the same rules). */
function copyValue(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return kind === 'text[]' ? '{}' : '\\N';
  switch (kind) {
    case 'text[]':
      return copyArray(value as string[]);
    case 'jsonb':
      // JSON.stringify's text holds no raw newline or tab: only backslashes to double.
      return typeof value === 'string' ? copyText(value) : copyJson(JSON.stringify(value));
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : copyText(String(value));
    case 'bool':
      return value ? 't' : 'f';
    case 'int4':
    case 'float8':
      return typeof value === 'number' ? String(value) : copyText(String(value));
    default:
      return copyText(typeof value === 'string' ? value : String(value));
  }
}

/** Rows in COPY's text format, in byte chunks (CopyWriter); a constant column is encoded once for the whole run. */
function* copyChunks<Row>(columns: Column<Row>[], rows: readonly Row[]): Generator<Buffer> {
  if (rows.length === 0) return;
  const fixed = columns.map((c) => (c.constant ? copyValue(c.kind, c.value(rows[0]!)) : null));
  const encode = (column: Column<Row>, row: Row): string => {
    const value = column.value(row);
    return column.stringified && typeof value === 'string' ? copyJson(value) : copyValue(column.kind, value);
  };
  const writer = new CopyWriter();
  // One array of values reused for every row, joined once: appending to a string would make
  // two string objects per value (an import's largest allocation site).
  const values: string[] = new Array(columns.length);
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) values[i] = fixed[i] ?? encode(columns[i]!, row);
    values[values.length - 1] += '\n';
    writer.write(values.join('\t'));
    if (writer.hasFilled) yield* writer.take();
  }
  yield* writer.take(true);
}

/**
 * Inserts rows: streamed with COPY on a PostgreSQL server (through a temporary table when
 * `onConflict` is given, e.g. an upsert), else chunk by chunk from unnest (PGlite).
 */
export async function insertRows<Row>(db: Db, table: string, columns: Column<Row>[], rows: readonly Row[], onConflict?: RawBuilder<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map((c) => c.name);
  const client = await copyClient(db);
  if (client) {
    if (!onConflict) {
      await copyInto(client, table, names, copyChunks(columns, rows));
      return;
    }
    const staging = `${table}_staging`;
    const list = sql.join(names.map((n) => sql.ref(n)));
    await sql`CREATE TEMP TABLE ${sql.table(staging)} AS SELECT ${list} FROM ${sql.table(table)} WITH NO DATA`.execute(db);
    await copyInto(client, staging, names, copyChunks(columns, rows));
    await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM ${sql.table(staging)} ${onConflict}`.execute(db);
    await sql`DROP TABLE ${sql.table(staging)}`.execute(db);
    return;
  }
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
      ${unnestSelect(columns, chunk)} ${onConflict ?? sql``}`.execute(db);
  }
}

/** `UPDATE table SET col = t.col … FROM unnest(…) t WHERE table.key = t.key`, chunk by chunk. */
async function updateRows<Row>(db: Db, table: string, key: Column<Row>, columns: Column<Row>[], rows: readonly Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const sets = columns.map((c) => sql`${sql.ref(c.name)} = t.${sql.ref(c.name)}`);
    await sql`UPDATE ${sql.table(table)} AS target SET ${sql.join(sets)}
      FROM (${unnestSelect([key, ...columns], chunk)}) AS t
      WHERE target.${sql.ref(key.name)} = t.${sql.ref(key.name)}`.execute(db);
  }
}

// ---- lieux

const lieuColumnKinds: Record<string, ColumnKind> = {
  id: 'uuid', pivot: 'text', nom: 'text', commune: 'text', code_postal: 'text', code_insee: 'text', adresse: 'text',
  complement_adresse: 'text', latitude: 'float8', longitude: 'float8', typologie: 'text[]', telephone: 'text',
  courriels: 'text[]', site_web: 'text[]', horaires: 'text', presentation_resume: 'text', presentation_detail: 'text',
  source: 'text', itinerance: 'text[]', structure_parente: 'text', date_maj: 'date', services: 'text[]',
  publics_specifiquement_adresses: 'text[]', prise_en_charge_specifique: 'text[]', frais_a_charge: 'text[]',
  dispositif_programmes_nationaux: 'text[]', formations_labels: 'text[]', autres_formations_labels: 'text[]',
  modalites_acces: 'text[]', modalites_accompagnement: 'text[]', fiche_acces_libre: 'text', prise_rdv: 'text',
  code_epci: 'text', code_departement: 'text', code_region: 'text', position_approximate: 'bool',
  search_tokens: 'text[]', sort_key: 'text', status: 'text', version: 'int4', created_at: 'timestamptz', updated_at: 'timestamptz',
}; // prettier-ignore

const lieuColumns: Column<LieuRow>[] = Object.entries(lieuColumnKinds).map(([name, kind]) => ({
  name,
  kind,
  value: (row: LieuRow) => (row as unknown as Record<string, unknown>)[name],
}));

export async function insertLieux(db: Db, rows: readonly LieuRow[]): Promise<void> {
  await insertRows(db, 'lieux', lieuColumns, rows);
}

/** Rewrites every column but id and created_at. */
export async function updateLieux(db: Db, rows: readonly LieuRow[]): Promise<void> {
  const [key, ...rest] = lieuColumns;
  await updateRows(db, 'lieux', key!, rest.filter((c) => c.name !== 'created_at'), rows);
}

// ---- history, change log

export interface VersionWrite {
  /** The place after this change (the snapshot is made from it, chunk by chunk, to spare memory). */
  row: LieuRow;
  action: 'create' | 'update' | 'unpublish' | 'republish';
  /** Null for a creation: stored null, derived from the snapshot when read (versionChanges). */
  changes: Record<string, { from: unknown; to: unknown }> | null;
  reason: string | null;
}

export async function insertVersions(db: Db, versions: readonly VersionWrite[], actor: { kind: string; id: string | null }, now: Date): Promise<void> {
  const columns: Column<VersionWrite>[] = [
    { name: 'lieu_id', kind: 'uuid', value: (v) => v.row.id },
    { name: 'version', kind: 'int4', value: (v) => v.row.version },
    { name: 'changed_at', kind: 'timestamptz', value: () => now, constant: true },
    { name: 'action', kind: 'text', value: (v) => v.action },
    { name: 'actor_kind', kind: 'text', value: () => actor.kind, constant: true },
    { name: 'actor_id', kind: 'text', value: () => actor.id, constant: true },
    { name: 'changes', kind: 'jsonb', value: (v) => v.changes },
    { name: 'snapshot', kind: 'jsonb', value: (v) => toApiV1(v.row) },
    { name: 'reason', kind: 'text', value: (v) => v.reason },
  ];
  await insertRows(db, 'lieu_versions', columns, versions);
}

export interface ChangeWrite {
  lieu_id: string;
  kind: 'added' | 'updated' | 'removed';
}

/**
 * Appends to the change log in the given order and sends ONE notification with the last
 * sequence (delivered on commit; read models then read every entry after their own).
 */
export async function insertChanges(db: Db, changes: readonly ChangeWrite[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  let last = 0;
  const columns: Column<ChangeWrite>[] = [
    { name: 'lieu_id', kind: 'uuid', value: (c) => c.lieu_id },
    { name: 'kind', kind: 'text', value: (c) => c.kind },
    { name: 'changed_at', kind: 'timestamptz', value: () => now, constant: true },
  ];
  for (let start = 0; start < changes.length; start += chunkSize) {
    const chunk = changes.slice(start, start + chunkSize);
    const { rows } = await sql<{ seq: number }>`WITH inserted AS (
        INSERT INTO lieu_changes (lieu_id, kind, changed_at) ${unnestSelect(columns, chunk, true)} RETURNING seq
      ) SELECT max(seq) AS seq FROM inserted`.execute(db);
    last = Math.max(last, Number(rows[0]?.seq ?? 0));
  }
  await sql`select pg_notify(${LIEUX_CHANGED_CHANNEL}, ${String(last)})`.execute(db);
}

// ---- federation tables

export interface LinkWrite {
  external_id: string;
  lieu_id: string;
}

/**
 * Splits rows into those whose key may already be stored (upserted) and those whose key cannot
 * be (inserted straight: on a server, COPY into the table instead of through a staging table).
 */
async function insertOrUpsert<Row>(db: Db, table: string, columns: Column<Row>[], rows: readonly Row[], onConflict: RawBuilder<unknown>, mayExist: (row: Row) => boolean) {
  const known: Row[] = [];
  const fresh: Row[] = [];
  for (const row of rows) (mayExist(row) ? known : fresh).push(row);
  await insertRows(db, table, columns, fresh);
  await insertRows(db, table, columns, known, onConflict);
}

/**
 * Links seen in this run: created, or moved to their place, last seen now, no longer removed.
 * `mayExist`: whether the source may already have a link under this key (default: yes).
 */
export async function upsertLinks(db: Db, sourceId: string, links: readonly LinkWrite[], now: Date, mayExist: (externalId: string) => boolean = () => true): Promise<void> {
  const columns: Column<LinkWrite>[] = [
    { name: 'source_id', kind: 'uuid', value: () => sourceId, constant: true },
    { name: 'external_id', kind: 'text', value: (l) => l.external_id },
    { name: 'lieu_id', kind: 'uuid', value: (l) => l.lieu_id },
    { name: 'first_seen_at', kind: 'timestamptz', value: () => now, constant: true },
    { name: 'last_seen_at', kind: 'timestamptz', value: () => now, constant: true },
  ];
  const onConflict = sql`ON CONFLICT (source_id, external_id) DO UPDATE
    SET lieu_id = excluded.lieu_id, last_seen_at = excluded.last_seen_at, removed_at = NULL`;
  await insertOrUpsert(db, 'lieu_sources', columns, links, onConflict, (l) => mayExist(l.external_id));
}

export interface ImportRowWrite {
  external_id: string;
  content_hash: string;
  /** The raw row, or its text from JSON.stringify (as the plan gives it). */
  raw: unknown;
  lieu_id: string | null;
}

/** `mayExist`: whether the source may already have a raw row under this key (default: yes). */
export async function upsertImportRows(db: Db, sourceId: string, runId: string, rows: readonly ImportRowWrite[], mayExist: (externalId: string) => boolean = () => true): Promise<void> {
  const columns: Column<ImportRowWrite>[] = [
    { name: 'source_id', kind: 'uuid', value: () => sourceId, constant: true },
    { name: 'external_id', kind: 'text', value: (r) => r.external_id },
    { name: 'content_hash', kind: 'text', value: (r) => r.content_hash },
    { name: 'raw', kind: 'jsonb', value: (r) => r.raw, stringified: true },
    { name: 'lieu_id', kind: 'uuid', value: (r) => r.lieu_id },
    { name: 'last_run_id', kind: 'uuid', value: () => runId, constant: true },
  ];
  const onConflict = sql`ON CONFLICT (source_id, external_id) DO UPDATE
    SET content_hash = excluded.content_hash, raw = excluded.raw, lieu_id = excluded.lieu_id, last_run_id = excluded.last_run_id`;
  await insertOrUpsert(db, 'import_rows', columns, rows, onConflict, (r) => mayExist(r.external_id));
}

export interface DuplicateWrite {
  lieu_a: string;
  lieu_b: string;
  score: number;
  decision: 'merge' | 'review';
  signals: unknown;
  reason: string | null;
}

/** Pairs found again keep their review status; their score and signals are refreshed. */
export async function upsertDuplicates(db: Db, runId: string, pairs: readonly DuplicateWrite[], now: Date): Promise<void> {
  const columns: Column<DuplicateWrite>[] = [
    { name: 'lieu_a', kind: 'uuid', value: (p) => p.lieu_a },
    { name: 'lieu_b', kind: 'uuid', value: (p) => p.lieu_b },
    { name: 'score', kind: 'int4', value: (p) => p.score },
    { name: 'decision', kind: 'text', value: (p) => p.decision },
    { name: 'signals', kind: 'jsonb', value: (p) => p.signals },
    { name: 'reason', kind: 'text', value: (p) => p.reason },
    { name: 'found_run_id', kind: 'uuid', value: () => runId, constant: true },
    { name: 'found_at', kind: 'timestamptz', value: () => now, constant: true },
  ];
  await insertRows(db, 'lieu_duplicates', columns, pairs, sql`ON CONFLICT (lieu_a, lieu_b) DO UPDATE
    SET score = excluded.score, decision = excluded.decision, signals = excluded.signals, reason = excluded.reason`);
}
