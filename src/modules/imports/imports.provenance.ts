// Per-field provenance (which source gave each field's current value, when, in which run),
// stored as groups: one `lieu_provenance` row per place and (source, run, time) with its list
// of fields (migration 0013). Readers use the per-field view `lieu_field_provenance`; writers
// come through here so that a field always belongs to exactly one group of its place.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { chunkSize, insertRows, type Column } from './imports.bulk-write.ts';

type Db = Kysely<Database>;

/** One field's provenance, as the view shows it. */
export interface FieldProvenance {
  lieu_id: string;
  field: string;
  source_id: string;
  run_id: string;
  updated_at: Date;
}

export interface ProvenanceGroup {
  lieu_id: string;
  source_id: string;
  run_id: string;
  updated_at: Date;
  fields: string[];
}

// A list travels as one string joined by the ASCII unit separator (see imports.bulk-write.ts).
const SEPARATOR = '\u001f';

export function groupProvenance(rows: readonly FieldProvenance[]): ProvenanceGroup[] {
  const groups = new Map<string, ProvenanceGroup>();
  for (const r of rows) {
    const key = `${r.lieu_id}|${r.source_id}|${r.run_id}|${r.updated_at.getTime()}`;
    const group = groups.get(key);
    if (group) group.fields.push(r.field);
    else groups.set(key, { lieu_id: r.lieu_id, source_id: r.source_id, run_id: r.run_id, updated_at: r.updated_at, fields: [r.field] });
  }
  return [...groups.values()];
}

const groupColumns: Column<ProvenanceGroup>[] = [
  { name: 'lieu_id', kind: 'uuid', value: (g) => g.lieu_id },
  { name: 'source_id', kind: 'uuid', value: (g) => g.source_id },
  { name: 'run_id', kind: 'uuid', value: (g) => g.run_id },
  { name: 'updated_at', kind: 'timestamptz', value: (g) => g.updated_at },
  { name: 'fields', kind: 'text[]', value: (g) => g.fields },
];

/** Replaces the whole provenance of these places by `rows` (merges, splits, conflict rules). */
export async function replaceProvenance(db: Db, lieuIds: readonly string[], rows: readonly FieldProvenance[]): Promise<void> {
  for (let start = 0; start < lieuIds.length; start += chunkSize) {
    await sql`DELETE FROM lieu_provenance WHERE lieu_id = any(${lieuIds.slice(start, start + chunkSize)}::uuid[])`.execute(db);
  }
  await insertRows(db, 'lieu_provenance', groupColumns, groupProvenance(rows));
}

export interface SourceFields {
  lieu_id: string;
  /** The fields this run gave the place. */
  fields: string[];
}

/**
 * The fields a source gave places in this run now come from it: taken out of the places'
 * other groups (emptied groups deleted), then one group per place. `existing`: the places
 * that may already have provenance (a place created by this run has none, so its chunk
 * skips the first two statements).
 */
export async function recordSourceFields(db: Db, sourceId: string, runId: string, rows: readonly SourceFields[], now: Date, existing: ReadonlySet<string>): Promise<void> {
  const earlier = rows.filter((r) => existing.has(r.lieu_id));
  for (let start = 0; start < earlier.length; start += chunkSize) {
    const chunk = earlier.slice(start, start + chunkSize);
    const ids = chunk.map((r) => r.lieu_id);
    await sql`UPDATE lieu_provenance AS p
      SET fields = ARRAY(SELECT f FROM unnest(p.fields) AS f WHERE f <> ALL (t.fields))
      FROM (SELECT id, string_to_array(fields, ${SEPARATOR}) AS fields
            FROM unnest(${ids}::uuid[], ${chunk.map((r) => r.fields.join(SEPARATOR))}::text[]) AS u(id, fields)) AS t
      WHERE p.lieu_id = t.id AND p.fields && t.fields`.execute(db);
    await sql`DELETE FROM lieu_provenance WHERE lieu_id = any(${ids}::uuid[]) AND cardinality(fields) = 0`.execute(db);
  }
  const groups = rows.filter((r) => r.fields.length > 0).map((r) => ({ lieu_id: r.lieu_id, source_id: sourceId, run_id: runId, updated_at: now, fields: r.fields }));
  // A place with no provenance yet cannot conflict: its group goes straight in.
  await insertRows(db, 'lieu_provenance', groupColumns, groups.filter((g) => !existing.has(g.lieu_id)));
  await insertRows(db, 'lieu_provenance', groupColumns, groups.filter((g) => existing.has(g.lieu_id)), sql`ON CONFLICT (lieu_id, source_id, run_id, updated_at) DO UPDATE
    SET fields = ARRAY(SELECT DISTINCT f FROM unnest(lieu_provenance.fields || excluded.fields) AS f)`);
}
