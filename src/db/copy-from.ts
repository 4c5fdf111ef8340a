// COPY … FROM STDIN for bulk writes on a PostgreSQL server: rows stream to the server in the
// text format, without the array parameters of `INSERT … SELECT FROM unnest(…)` that the
// client must build and the server must parse (three to four times faster for an import's
// history rows). Kysely does not expose its connection, so each pooled client of a server
// gets a session setting naming it when it connects (kysely.ts), and a transaction finds its
// own client by reading that setting. PGlite has none: callers fall back to unnest.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const clients = new Map<string, pg.Client>();
const setting = 'maillage.copy_client';
let nextId = 0;

/** Called by the PostgreSQL pool for each new connection: the setting is sent before any query. */
export function registerClient(client: pg.Client): void {
  const id = `${process.pid}-${++nextId}`;
  clients.set(id, client);
  (client as pg.Client & { copyClientId?: string }).copyClientId = id;
  client.query(`SELECT set_config('${setting}', '${id}', false)`).catch(() => clients.delete(id));
}

export function unregisterClient(client: pg.Client): void {
  const id = (client as pg.Client & { copyClientId?: string }).copyClientId;
  if (id) clients.delete(id);
}

/**
 * The raw client behind `db` (a transaction: its own connection) for COPY, or null when
 * `db` is not on a PostgreSQL server (PGlite): bulk writes then use unnest.
 */
export async function copyClient(db: Kysely<any>): Promise<pg.Client | null> {
  if (clients.size === 0) return null;
  const { rows } = await sql<{ id: string | null }>`SELECT current_setting(${setting}, true) AS id`.execute(db);
  const id = rows[0]?.id;
  return id ? (clients.get(id) ?? null) : null;
}

// Most values need no escape: `includes` scans a string several times faster than a regular
// expression, and a value without special characters is returned as it is (no new string).
const needsCopyEscape = (value: string) => value.includes('\\') || value.includes('\n') || value.includes('\r') || value.includes('\t');
const copyEscapes = /[\\\n\r\t]/g;
const copyEscape = (c: string) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t');

/** One value in COPY's text format: backslash escapes, `\N` for null. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return needsCopyEscape(value) ? value.replace(copyEscapes, copyEscape) : value;
}

/**
 * JSON text (from JSON.stringify) in COPY's text format: JSON never holds a raw newline, carriage
 * return or tab (they are escaped inside strings), so only backslashes need doubling.
 */
export function copyJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** A text[] value as a PostgreSQL array literal (every element quoted). */
export function arrayLiteral(values: readonly string[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    literal += `${i ? ',' : ''}"${value.includes('\\') || value.includes('"') ? value.replace(/[\\"]/g, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/** A text[] value as an array literal in COPY's text format (`copyText(arrayLiteral(values))`). */
export function copyArray(values: readonly string[]): string {
  if (values.length === 0) return '{}';
  for (const value of values) if (needsCopyEscape(value) || value.includes('"')) return copyText(arrayLiteral(values));
  // Every element quoted: one join instead of a string per element.
  return `{"${values.join('","')}"}`;
}

/** Streams `chunks` (rows in COPY text format, each row ending with a newline) into `table` through `client`. */
export async function copyInto(client: pg.Client, table: string, columns: readonly string[], chunks: Iterable<Buffer>): Promise<void> {
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const statement = `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks), client.query(copyFrom(statement)));
}

/** Bytes per chunk handed to the connection: one stream chunk per row would cost more than the data. */
const chunkBytes = 65_536;

/**
 * Rows in COPY text format written straight into byte chunks: each row's text goes into the
 * chunk as UTF-8 once, instead of rows concatenated into a batch string that is flattened and
 * encoded into a new buffer (that path cost about 15 % more CPU, and its batches survived
 * young collections). One write per row: a write per value costs more in calls than it saves.
 */
export class CopyWriter {
  private chunk = Buffer.allocUnsafeSlow(chunkBytes);
  private length = 0;
  private readonly filled: Buffer[] = [];

  /** One row already in COPY form (escaped values, tabs, ending with a newline). */
  write(row: string): void {
    // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    if (this.length + row.length * 3 > this.chunk.length) this.next(row.length * 3);
    this.length += this.chunk.write(row, this.length);
  }

  /** Whether a chunk is full and waiting (see take). */
  get hasFilled(): boolean {
    return this.filled.length > 0;
  }

  /** The full chunks, handed over; with `end`, the last partial one too. */
  take(end = false): Buffer[] {
    if (end && this.length > 0) this.next(0);
    return this.filled.splice(0);
  }

  private next(bytes: number): void {
    if (this.length > 0) this.filled.push(this.chunk.subarray(0, this.length));
    // Left over capacity stays unused: a chunk is never written to once handed over.
    this.chunk = Buffer.allocUnsafeSlow(Math.max(chunkBytes, bytes));
    this.length = 0;
  }
}
