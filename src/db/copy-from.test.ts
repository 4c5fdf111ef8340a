import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, testDatabaseUrl } from '../../test/helpers/db.ts';
import type { DbHandle } from './kysely.ts';
import { arrayLiteral, copyArray, copyClient, copyJson, copyText, CopyWriter } from './copy-from.ts';
import { insertRows, type Column } from '../modules/imports/imports.bulk-write.ts';

interface Row {
  id: number;
  label: string | null;
  tags: string[] | null;
  doc: unknown;
  at: Date;
  flag: boolean;
}

// Values that break naive text-format or array-literal encoding.
const awkward: Row[] = [
  { id: 1, label: 'tab\there, newline\nthere, cr\r, backslash \\ end', tags: ['a,b', 'quote " inside', 'back\\slash', '{braces}', 'NULL', ''], doc: { s: 'line\nbreak \\ "q"' }, at: new Date('2026-01-02T03:04:05.678Z'), flag: true },
  { id: 2, label: null, tags: null, doc: null, at: new Date('2026-06-30T22:00:00Z'), flag: false },
  { id: 3, label: '\\N', tags: ['Médiathèque « Œuvre »', 'é\tà'], doc: [1, 'x'], at: new Date(0), flag: true },
];

const columns: Column<Row>[] = [
  { name: 'id', kind: 'int4', value: (r) => r.id },
  { name: 'label', kind: 'text', value: (r) => r.label },
  { name: 'tags', kind: 'text[]', value: (r) => r.tags },
  { name: 'doc', kind: 'jsonb', value: (r) => r.doc },
  { name: 'at', kind: 'timestamptz', value: (r) => r.at },
  { name: 'flag', kind: 'bool', value: (r) => r.flag },
];

describe('COPY text encoding', () => {
  const texts = ['plain', '', 'tab\there', 'line\nbreak\r', 'back\\slash', 'quote "q"', '\\N', 'Médiathèque « Œuvre »', 'NULL', '{braces}', 'a,b'];

  it('escapes backslash, newline, carriage return and tab, and returns a plain value as it is', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText('plain')).toBe('plain');
    expect(copyText('a\\b\nc\rd\te')).toBe('a\\\\b\\nc\\rd\\te');
  });

  it('encodes arrays and JSON as the general rule does', () => {
    for (const list of [[], ['plain'], texts, ...texts.map((t) => ['x', t])]) {
      expect(copyArray(list)).toBe(copyText(arrayLiteral(list)));
    }
    expect(arrayLiteral(['a', 'q"b\\c'])).toBe('{"a","q\\"b\\\\c"}');
    for (const value of [awkward, texts, { s: 'line\nbreak \\ "q" \t' }]) {
      expect(copyJson(JSON.stringify(value))).toBe(copyText(JSON.stringify(value)));
    }
  });
});

describe('CopyWriter', () => {
  /** Writes the rows' values through a writer; the chunks it handed over, in order. */
  const written = (rows: string[][]) => {
    const writer = new CopyWriter();
    const chunks: Buffer[] = [];
    for (const row of rows) {
      writer.write(`${row.join('\t')}\n`);
      if (writer.hasFilled) chunks.push(...writer.take());
    }
    chunks.push(...writer.take(true));
    return chunks;
  };

  it('gives the bytes of the rows as one text would, across chunk boundaries, multi-byte characters and a row larger than a chunk', () => {
    // Enough rows for several 64 KB chunks, with 2-, 3- and 4-byte characters, and a value larger than a chunk.
    const rows = Array.from({ length: 3000 }, (_, i) => [`${i}`, `Médiathèque « Œuvre » ${'é'.repeat(i % 50)}`, `emoji 😀 ${i}`, i === 1500 ? 'x'.repeat(200_000) : '\\N']);
    const chunks = written(rows);
    const expected = rows.map((row) => `${row.join('\t')}\n`).join('');
    expect(Buffer.concat(chunks).equals(Buffer.from(expected))).toBe(true);
    expect(chunks.length).toBeGreaterThan(3);
    // Every chunk ends where a row ends: no character is split between two chunks.
    for (const chunk of chunks) expect(Buffer.from(chunk.toString()).equals(chunk)).toBe(true);
  });

  it('hands over nothing for no rows, and a partial chunk only at the end', () => {
    expect(written([])).toEqual([]);
    const writer = new CopyWriter();
    writer.write('a\n');
    expect(writer.hasFilled).toBe(false);
    expect(writer.take()).toEqual([]);
    expect(writer.take(true).map((b) => b.toString())).toEqual(['a\n']);
    expect(writer.take(true)).toEqual([]);
  });
});

describe('bulk inserts (COPY on a PostgreSQL server, unnest on PGlite)', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await sql`CREATE TABLE copy_probe (id int PRIMARY KEY, label text, tags text[] NOT NULL, doc jsonb, at timestamptz NOT NULL, flag bool NOT NULL)`.execute(handle.db);
  });
  afterAll(async () => handle?.close());

  it('uses COPY exactly when the store is a PostgreSQL server, inside a transaction too', async () => {
    expect((await copyClient(handle.db)) !== null).toBe(Boolean(testDatabaseUrl));
    expect(await handle.db.transaction().execute(async (trx) => (await copyClient(trx)) !== null)).toBe(Boolean(testDatabaseUrl));
  });

  it('writes awkward values exactly, and an upsert goes through the same path', async () => {
    await handle.db.transaction().execute((trx) => insertRows(trx, 'copy_probe', columns, awkward));
    const read = async () => (await sql<{ id: number; label: string | null; tags: string[]; doc: unknown; at: Date; flag: boolean }>`SELECT * FROM copy_probe ORDER BY id`.execute(handle.db)).rows;
    const rows = await read();
    expect(rows.map((r) => ({ ...r, at: new Date(r.at) }))).toEqual(awkward.map((r) => ({ ...r, tags: r.tags ?? [] })));

    const changed = awkward.map((r) => ({ ...r, label: `${r.label ?? ''}!` }));
    await handle.db.transaction().execute((trx) => insertRows(trx, 'copy_probe', columns, changed, sql`ON CONFLICT (id) DO UPDATE SET label = excluded.label`));
    expect((await read()).map((r) => r.label)).toEqual(changed.map((r) => r.label));
  });

  it('a failing COPY rolls back with its transaction', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_probe`.execute(handle.db)).rows[0]!.n;
    const duplicate = [{ ...awkward[0]!, id: 10 }, { ...awkward[1]!, id: 10 }];
    await expect(handle.db.transaction().execute((trx) => insertRows(trx, 'copy_probe', columns, duplicate))).rejects.toThrow();
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_probe`.execute(handle.db)).rows[0]!.n).toBe(before);
  });
});
