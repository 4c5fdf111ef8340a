import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { delimitedRecords, maxRecordBytes, openDelimited, parseDelimited, type Delimiter } from './imports.table.ts';

/** What parseDelimited read before it had its own scanner: csv-parse, lines counted from each raw record. */
function referenceRecords(body: string, delimiter: Delimiter): { row: number; fields: string[] }[] | string {
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(body, { delimiter, raw: true, relax_column_count: true, max_record_size: maxRecordBytes }) as unknown as typeof parsed;
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
  let line = 1;
  return parsed.map(({ record, raw }) => {
    const row = line;
    line += 1 + (raw.replace(/(\r\n|\n|\r)$/, '').match(/\r\n|\n|\r/g)?.length ?? 0);
    return { row, fields: record };
  });
}

function ours(body: string | Buffer, delimiter: Delimiter): { row: number; fields: string[] }[] | string {
  try {
    return [...delimitedRecords(body, delimiter)];
  } catch (error) {
    return (error as Error).message;
  }
}

/** Everything openDelimited gives (header, then entries) or the message it throws. */
function opened(input: string | Buffer): unknown {
  try {
    const table = openDelimited(input);
    return { headers: table.headers, delimiter: table.delimiter, entries: [...table.entries] };
  } catch (error) {
    return (error as Error).message;
  }
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = ['a', 'bc', 'é', '–', '😀', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', ' ', '"x,y"', '"l1\nl2"', '"q""q"'];

describe('delimitedRecords', () => {
  it('reads the same records and lines as csv-parse, or fails where it fails', () => {
    const next = random(42);
    let failures = 0;
    for (let i = 0; i < 4000; i++) {
      const length = 1 + Math.floor(next() * 30);
      let text = '';
      for (let j = 0; j < length; j++) text += pieces[Math.floor(next() * pieces.length)];
      const delimiter = ([',', ';', '\t'] as const)[i % 3]!;
      const expected = referenceRecords(text, delimiter);
      const got = ours(text, delimiter);
      // The same bytes read in place (csv-parse then reads the bytes, not the text).
      expect(ours(Buffer.from(text), delimiter), JSON.stringify(text)).toEqual(got);
      expect(opened(Buffer.from(text)), JSON.stringify(text)).toEqual(opened(text));
      if (typeof expected === 'string') {
        failures++;
        expect(typeof got, JSON.stringify(text)).toBe('string');
      } else {
        expect(got, JSON.stringify(text)).toEqual(expected);
      }
    }
    expect(failures).toBeGreaterThan(100); // the generator does produce malformed texts
  });

  it.each([
    ['CRLF file with a bare LF in an unquoted field', 'a,b\r\n1,x\ny\r\n2,z\r\n'],
    ['LF file with a bare CR', 'a,b\n1,x\r\n2,z'],
    ['CR line endings', 'a,b\r1,"x\r\ny"\r2,z\r'],
    ['trailing delimiter at the end of the text', 'a,b\n1,'],
    ['quoted last field at the end of the text', 'a,b\n1,"x"'],
    ['empty lines and blank fields', '\n\na,b\n\n,\n1,2\n\n'],
    ['NUL character', 'a,b\n1,"x"\u0000\n'],
    ['unpaired surrogate', 'a,b\n1,\ud800x\n'],
    ['stray quote', 'a,b\n1,x"y\n'],
    ['text after a closing quote', 'a,b\n1,"x"y\n'],
    ['closing quote then CRLF in an LF file', 'a,b\n1,"x"\r\n'],
    ['unclosed quote', 'a,b\n1,"x\n2,y\n'],
  ])('%s', (_, text) => {
    for (const delimiter of [',', ';'] as const) expect(ours(text, delimiter)).toEqual(referenceRecords(text, delimiter) instanceof Array ? referenceRecords(text, delimiter) : expect.any(String));
  });

  it('hands a record near the size limit to csv-parse, which reads it or refuses it', () => {
    const big = 'x'.repeat(maxRecordBytes / 2);
    expect(ours(`a,b\n1,${big}\n2,y\n`, ',')).toEqual(referenceRecords(`a,b\n1,${big}\n2,y\n`, ','));
    expect(ours(`a,b\n1,${big}${big}é\n`, ',')).toMatch(/dépasse 1 Mo/);
  });
});

describe('openDelimited', () => {
  it('gives the header at once and the same rows and errors as parseDelimited', () => {
    const text = '\uFEFFid;nom;commune\r\n\r\n1;"A\r\nB";Nevers\r\n2;B\r\n3;"C ""c""";Dijon\r\n';
    const table = openDelimited(text);
    expect(table.headers).toEqual(['id', 'nom', 'commune']);
    expect(table.delimiter).toBe(';');
    const entries = [...table.entries];
    const parsed = parseDelimited(text);
    expect(entries.filter((e) => e.row).map((e) => e.row)).toEqual(parsed.rows);
    expect(entries.filter((e) => e.error).map((e) => e.error)).toEqual(parsed.errors);
    expect(parsed.rows.map((r) => r.row)).toEqual([3, 6]);
  });

  it('reads the same rows from the file’s own UTF-8 bytes as from the text', () => {
    const text = 'id;nom;commune\r\n1;"Médiathèque\r\n« L’Arche »";Nevers\r\n2;EPN 😀;Dijon\r\n';
    const fromText = [...openDelimited(text).entries];
    const fromBytes = [...openDelimited(Buffer.from(`xx${text}`).subarray(2)).entries];
    expect(fromBytes).toEqual(fromText);
    expect(fromBytes.map((e) => e.row?.values.nom)).toEqual(['Médiathèque\r\n« L’Arche »', 'EPN 😀']);
  });

  it.each([
    ['a byte order mark', '\uFEFFid;nom\n1;a\n'],
    ['two byte order marks', '\uFEFF\uFEFFid;nom\n1;a\n'],
    ['blank lines and spaces first', '\n \t\r\nid;nom\n1;a\n'],
    ['a non-ASCII first header', 'État;nom\n1;a\n'],
    ['no-break spaces first', '\u00A0\u00A0\nid;nom\n1;a\n'],
    ['only spaces', ' \n\t '],
    ['only Unicode spaces', '\u00A0\u3000\n'],
    ['Unicode spaces then a header past the first 4 KiB', `${'\u3000'.repeat(2000)}\nid;nom\n1;a\n`],
    ['nothing', ''],
  ])('reads a text starting with %s the same from its bytes', (_, text) => {
    expect(opened(Buffer.from(text))).toEqual(opened(text));
  });

  it('throws the header errors when opening, the others when reading', () => {
    expect(() => openDelimited('id,nom,id\n1,a,b\n')).toThrow(/apparaît deux fois/);
    expect(() => [...openDelimited('id,nom\n').entries]).toThrow(/qu'une ligne d'en-tête/);
    const truncated = openDelimited('id,nom\n1,a\n2,"b\n');
    expect(truncated.entries.next().value).toEqual({ row: { row: 2, values: { id: '1', nom: 'a' } } });
    expect(() => truncated.entries.next()).toThrow(/tronqué/);
  });

  it('parseDelimited reports a malformed file before a bad header, as before', () => {
    expect(() => parseDelimited('id,nom,id\n1,"a\n')).toThrow(/tronqué/);
  });
});
