// Delimited text → a table of rows keyed by normalised header names. Detects the delimiter
// (`,` `;` tab), accepts quoted multi-line fields, and reports rows whose column count is wrong
// instead of guessing.
import { parse, CsvError } from 'csv-parse/sync';
import { normalizeText } from '../../lib/text.ts';
import { ImportFileError, type RowError } from './imports.errors.ts';

export type Delimiter = ',' | ';' | '\t';

export interface TableRow {
  /** Line of the file where the record starts (the header is line 1). */
  row: number;
  /** Values keyed by normalised header. */
  values: Record<string, string>;
}

export interface Table {
  /** Normalised headers, in file order. */
  headers: string[];
  /** Headers as written in the file. */
  originalHeaders: string[];
  rows: TableRow[];
  delimiter?: Delimiter;
  errors: RowError[];
}

/** A record longer than this is not a place: it is a broken file (e.g. one huge line). */
export const maxRecordBytes = 1024 * 1024;

/** "Code Postal ", "code-postal", "Code_postal" → "code_postal"; accents removed. */
export function normalizeHeader(header: string): string {
  return normalizeText(header.replace(/^\uFEFF/, '')).replace(/ /g, '_');
}

/** Counts candidate delimiters outside quotes on the first line (the header). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ',';
}

/** One record of a delimited text and the line of the file where it starts (the first line is 1). */
export interface DelimitedRecord {
  row: number;
  fields: string[];
}

/** The header of a delimited text, checked, and its data rows read one at a time. */
export interface DelimitedTable {
  headers: string[];
  originalHeaders: string[];
  delimiter: Delimiter;
  /**
   * Data rows in file order, each a row or a row error (wrong column count); blank lines are
   * skipped. Throws ImportFileError for a malformed file (unclosed quote…) when reaching it,
   * and at the end when the file has no data row.
   */
  entries: Generator<{ row: TableRow; error?: undefined } | { row?: undefined; error: RowError }, void, undefined>;
}

export function parseDelimited(text: string, options: { delimiter?: Delimiter } = {}): Table {
  const { body, delimiter } = prepareText(text, options);
  const records = delimitedRecords(body, delimiter);
  const header = readHeader(records);
  if (!header.ok) {
    // A malformed file is reported before a bad header, as when the whole file was parsed first.
    while (!records.next().done);
    throw header.error;
  }
  const rows: TableRow[] = [];
  const errors: RowError[] = [];
  for (const entry of tableEntries(records, header.headers, delimiter)) {
    if (entry.row) rows.push(entry.row);
    else errors.push(entry.error);
  }
  return { headers: header.headers, originalHeaders: header.originalHeaders, rows, delimiter, errors };
}

/**
 * Streaming form of parseDelimited: the header is read and checked at once, the rows when
 * iterating `entries`. Same rows, errors and messages; only for a file that has both a bad
 * header and a malformed later part, the header is reported first (parseDelimited reports the
 * malformed part, having parsed the whole file). `input` may be the text or its UTF-8 bytes
 * (a file as read): bytes are scanned in place, so a run never holds the decoded text.
 */
export function openDelimited(input: string | Buffer, options: { delimiter?: Delimiter } = {}): DelimitedTable {
  const { body, delimiter } = typeof input === 'string' ? prepareText(input, options) : prepareBytes(input, options);
  const records = delimitedRecords(body, delimiter);
  const header = readHeader(records);
  if (!header.ok) throw header.error;
  return { headers: header.headers, originalHeaders: header.originalHeaders, delimiter, entries: tableEntries(records, header.headers, delimiter) };
}

function prepareText(text: string, options: { delimiter?: Delimiter }): { body: string; delimiter: Delimiter } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new ImportFileError('Le fichier est vide.');
  return { body, delimiter: options.delimiter ?? detectDelimiter(body) };
}

/** What prepareText does to the text, done on its UTF-8 bytes (decoding only the start). */
function prepareBytes(bytes: Buffer, options: { delimiter?: Delimiter }): { body: string | Buffer; delimiter: Delimiter } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const first = afterAsciiSpaces(body);
  if (first === body.length) throw new ImportFileError('Le fichier est vide.');
  if (body[first]! >= 0x80) {
    // Unicode spaces count as blank too: a visible character in the next bytes settles it
    // (the last one decoded may be cut in half), else the whole text does.
    const head = body.toString('utf8', first, first + 4096);
    if (head.length < 2 || head.slice(0, -1).trim() === '') return prepareText(body.toString('utf8'), options);
  }
  // The header line is within its first 64 Ki characters, hence 256 KiB.
  return { body, delimiter: options.delimiter ?? detectDelimiter(body.toString('utf8', 0, 256 * 1024)) };
}

/** Position of the first byte that is not an ASCII space (tab, line breaks, space); the length if none. */
export function afterAsciiSpaces(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  return i;
}

type Header = { ok: true; headers: string[]; originalHeaders: string[] } | { ok: false; error: ImportFileError };

/** Reads records up to the first non-blank one, the header, and checks its names. */
function readHeader(records: Iterator<DelimitedRecord>): Header {
  let first: DelimitedRecord | undefined;
  for (let next = records.next(); !next.done; next = records.next()) {
    if (!isBlank(next.value.fields)) {
      first = next.value;
      break;
    }
  }
  if (!first) return { ok: false, error: new ImportFileError('Le fichier est vide.') };
  const originalHeaders = first.fields.map((h) => h.trim());
  const headers = originalHeaders.map(normalizeHeader);
  const seen = new Set<string>();
  for (const [i, h] of headers.entries()) {
    if (h === '') return { ok: false, error: new ImportFileError(`La colonne n° ${i + 1} de la ligne d'en-tête n'a pas de nom.`) };
    if (seen.has(h)) return { ok: false, error: new ImportFileError(`La colonne « ${originalHeaders[i]} » apparaît deux fois dans l'en-tête.`) };
    seen.add(h);
  }
  return { ok: true, headers, originalHeaders };
}

function* tableEntries(records: Iterator<DelimitedRecord>, headers: string[], delimiter: Delimiter): DelimitedTable['entries'] {
  let found = false;
  const width = headers.length;
  for (let next = records.next(); !next.done; next = records.next()) {
    const { row, fields } = next.value;
    if (isBlank(fields)) continue;
    found = true;
    if (fields.length !== width) {
      yield {
        error: {
          row,
          field: '(ligne)',
          value: String(fields.length),
          message: `La ligne compte ${fields.length} colonnes au lieu de ${width} (séparateur « ${describe(delimiter)} »).`,
        },
      };
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < width; i++) values[headers[i]!] = fields[i]!;
    yield { row: { row, values } };
  }
  if (!found) throw new ImportFileError("Le fichier ne contient qu'une ligne d'en-tête, sans aucune ligne de données.");
}

function isBlank(fields: string[]): boolean {
  for (const v of fields) if (v.trim() !== '') return false;
  return true;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Parsing stopped on something csv-parse decides (an error, most likely): it parses the text instead. */
class Unusual extends Error {}

/**
 * The records of a delimited text or its UTF-8 bytes (BOM removed), one at a time, with the line each starts on.
 * RFC 4180 quoting (`""` inside quotes); the line ending is the first one found outside quotes
 * (CRLF, LF or CR), other line breaks are data. Reads exactly what csv-parse reads with
 * `{ delimiter, relax_column_count, max_record_size }`: anything unusual (a stray or unclosed
 * quote, a record over the size limit, NUL characters) is handed to
 * csv-parse, which either parses it the same way or gives the French error of parseDelimited.
 */
export function* delimitedRecords(body: string | Buffer, delimiter: Delimiter): Generator<DelimitedRecord, void, undefined> {
  let yielded = 0;
  let line = 1;
  // Scanned as UTF-8 bytes, as csv-parse does: each field is a string of its own (not a slice
  // keeping the whole text alive), one byte per character when it can be.
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (bytes.indexOf(0) === -1) {
    try {
      for (const record of scanRecords(bytes, delimiter.charCodeAt(0))) {
        const row = line;
        line += record.lines;
        yielded++;
        yield { row, fields: record.fields };
      }
      return;
    } catch (error) {
      if (!(error instanceof Unusual)) throw error;
    }
  }
  // csv-parse reads the whole text (or its bytes); the records already given are the same, skip them.
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(body, {
      delimiter,
      // raw text of each record lets us count the lines it spans (csv-parse's own counter
      // drifts on CRLF inside quoted fields)
      raw: true,
      relax_column_count: true,
      max_record_size: maxRecordBytes,
    }) as unknown as typeof parsed;
  } catch (error) {
    throw csvFileError(error);
  }
  line = 1;
  for (const [i, { record, raw }] of parsed.entries()) {
    const row = line;
    line += linesSpanned(raw);
    if (i >= yielded) yield { row, fields: record };
  }
}

function* scanRecords(s: Buffer, delimiter: number): Generator<{ fields: string[]; lines: number }, void, undefined> {
  const n = s.length;
  // Line ending: 0 not known yet, else LF, CR or CR + LF (CR * 256 + LF).
  let ending = 0;
  let pos = 0;
  /** Length of the line ending at `at` (0 if none), learning it from the first one met. */
  const endingAt = (at: number): number => {
    const c = s[at];
    if (c !== LF && c !== CR) return 0;
    if (ending === 0) ending = c === CR && s[at + 1] === LF ? CR * 256 + LF : c;
    if (ending === c) return 1;
    return ending === CR * 256 + LF && c === CR && s[at + 1] === LF ? 2 : 0;
  };
  while (pos < n) {
    const start = pos;
    const fields: string[] = [];
    let breaks = false; // a line break inside the record (quoted, or a bare one that is not the line ending)
    let end = -1; // end of the record's text, before its line ending
    let endingLength = 0;
    for (;;) {
      // One field, starting at pos.
      if (s[pos] === QUOTE) {
        let from = pos + 1;
        let value = '';
        let close: number;
        for (;;) {
          close = s.indexOf(QUOTE, from);
          if (close === -1) throw new Unusual(); // quote never closed
          if (s[close + 1] === QUOTE) {
            value += s.toString('utf8', from, close + 1);
            from = close + 2;
            continue;
          }
          break;
        }
        value += s.toString('utf8', from, close);
        fields.push(value);
        if (!breaks) for (let i = pos + 1; i < close; i++) {
          const c = s[i];
          if (c === LF || c === CR) {
            breaks = true;
            break;
          }
        }
        pos = close + 1;
        if (pos >= n) {
          end = n;
          break;
        }
        if (s[pos] === delimiter) {
          pos++;
          if (pos >= n) {
            fields.push(''); // a last empty field after the delimiter at the end of the text
            end = n;
            break;
          }
          continue;
        }
        endingLength = endingAt(pos);
        if (endingLength === 0) throw new Unusual(); // something after a closing quote
        end = pos;
        pos += endingLength;
        break;
      }
      const from = pos;
      let c = 0;
      for (; pos < n; pos++) {
        c = s[pos]!;
        if (c === delimiter) break;
        if (c === QUOTE) {
          if (pos > from) throw new Unusual(); // quote inside an unquoted field
        } else if (c === LF || c === CR) {
          endingLength = endingAt(pos);
          if (endingLength > 0) break;
          breaks = true;
        }
      }
      fields.push(pos > from ? s.toString('utf8', from, pos) : '');
      if (pos >= n) {
        end = n;
        break;
      }
      if (c === delimiter) {
        pos++;
        if (pos >= n) {
          fields.push('');
          end = n;
          break;
        }
        continue;
      }
      end = pos;
      pos += endingLength;
      break;
    }
    if (end - start > maxRecordBytes) throw new Unusual(); // csv-parse applies its size limit
    // csv-parse's raw record text ends with the first character of the line ending.
    yield { fields, lines: breaks ? linesIn(s, start, endingLength > 0 ? end + 1 : end) : 1 };
    endingLength = 0;
  }
}

/** linesSpanned(raw) of the record's bytes from start to end, without decoding them. */
function linesIn(s: Buffer, start: number, end: number): number {
  let e = end;
  if (e > start) {
    const last = s[e - 1];
    if (last === LF) {
      e--;
      if (e > start && s[e - 1] === CR) e--;
    } else if (last === CR) e--;
  }
  let lines = 1;
  for (let i = start; i < e; i++) {
    const c = s[i];
    if (c === CR) {
      lines++;
      if (i + 1 < e && s[i + 1] === LF) i++;
    } else if (c === LF) lines++;
  }
  return lines;
}

function linesSpanned(raw: string): number {
  return 1 + (raw.replace(/(\r\n|\n|\r)$/, '').match(/\r\n|\n|\r/g)?.length ?? 0);
}

function describe(delimiter: Delimiter): string {
  return delimiter === '\t' ? 'tabulation' : delimiter;
}

function csvFileError(error: unknown): ImportFileError {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    const at = line ? ` (ligne ${line})` : '';
    switch (error.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new ImportFileError(`Le fichier est tronqué : un guillemet ouvert n'est jamais refermé${at}.`);
      case 'CSV_MAX_RECORD_SIZE':
        return new ImportFileError(
          `Une ligne dépasse ${maxRecordBytes / 1024 / 1024} Mo${at} : le fichier n'est pas un tableau de lieux valide (fin de ligne ou guillemet manquant ?).`,
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
      case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
        return new ImportFileError(`Un guillemet est mal placé${at} : entourez les valeurs contenant des guillemets par des guillemets doublés ("").`);
      default:
        return new ImportFileError(`Le fichier CSV est illisible${at} : ${error.message}`);
    }
  }
  return new ImportFileError('Le fichier CSV est illisible.');
}
