// Turns the bytes of a file into text: UTF-8 with or without BOM, UTF-16 with BOM, or a
// Latin encoding (Windows-1252, a superset of Latin-1 for printable characters) that
// spreadsheet software still writes on French desktops.
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ImportFileError } from './imports.errors.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** True when the file started with a byte order mark (removed from `text`). */
  bom: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** NUL bytes or many control characters near the start mean this is not a text file. */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.05;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new ImportFileError('Le fichier est vide.');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeUtf8(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), encoding: 'utf-16le', bom: true };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'utf-16be', bom: true };
  }
  if (isZip(bytes) || looksBinary(bytes)) {
    throw new ImportFileError(
      'Le fichier semble binaire (ni CSV, ni JSON, ni GeoJSON). Pour un classeur Excel, utilisez un fichier .xlsx avec le format « tableur ».',
    );
  }
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    // Not valid UTF-8: a single-byte encoding. chardet tells Latin ones apart from others;
    // Windows-1252 decodes Latin-1 text identically and also knows œ, €, typographic quotes.
    const guess = chardet.detect(detectionSample(bytes));
    if (guess && !/^(ISO-8859-1|ISO-8859-15|windows-1252|ISO-8859-2|windows-1250)$/i.test(guess)) {
      throw new ImportFileError(
        `L'encodage du fichier n'est pas reconnu (${guess} détecté) : enregistrez-le en UTF-8 ou en Windows-1252 (Latin-1).`,
      );
    }
    return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252', bom: false };
  }
}

/** Bytes chardet reads to name a single-byte encoding. */
const detectionSampleBytes = 64 * 1024;

/**
 * The part of a file that tells its encoding: from its first non-ASCII byte on. The whole
 * file took chardet 6.6 s for 33 MB, and its ASCII lines (most of a French file) drown the
 * evidence: a Cyrillic Windows-1251 file after 90 KB of ASCII passed for ISO-8859-1.
 */
function detectionSample(bytes: Uint8Array): Uint8Array {
  let first = 0;
  while (first < bytes.length && bytes[first]! < 0x80) first++;
  return bytes.subarray(first, first + detectionSampleBytes);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ImportFileError("Le fichier annonce de l'UTF-8 (BOM) mais contient des octets invalides.");
  }
}
