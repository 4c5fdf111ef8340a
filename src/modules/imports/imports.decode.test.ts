import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { decodeText } from './imports.decode.ts';
import { ImportFileError } from './imports.errors.ts';

const sample = 'nom;commune\nMédiathèque Émile-Zola;Besançon\nŒuvre d’entraide « Cœur »;Saint-Étienne\n';

describe('decodeText', () => {
  it('reads UTF-8 without BOM', () => {
    const decoded = decodeText(Buffer.from(sample, 'utf8'));
    expect(decoded).toEqual({ text: sample, encoding: 'utf-8', bom: false });
  });

  it('reads UTF-8 with BOM and removes the BOM', () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample, 'utf8')]));
    expect(decoded).toEqual({ text: sample, encoding: 'utf-8', bom: true });
  });

  it('reads Windows-1252 (œ, typographic quotes, guillemets)', () => {
    const decoded = decodeText(iconv.encode(sample, 'win1252'));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe(sample);
  });

  it('reads Latin-1 (ISO-8859-1) text', () => {
    const latin = 'nom,commune\nCafé numérique,Besançon\nEspace Jeunesse,Château-Thierry\n';
    const decoded = decodeText(Buffer.from(latin, 'latin1'));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe(latin);
  });

  it('names the encoding from the non-ASCII part of a file, however long its ASCII start', () => {
    const asciiStart = `id;nom\n${'x;Ligne sans accent\n'.repeat(5000)}`;
    const latin = `${asciiStart}1;Médiathèque Émile-Zola « Cœur » à Besançon\n`.repeat(2);
    expect(decodeText(iconv.encode(latin, 'win1252'))).toEqual({ text: latin, encoding: 'windows-1252', bom: false });
    // Read whole, the ASCII lines made this Cyrillic file pass for ISO-8859-1 (and decode as garbage).
    const cyrillic = iconv.encode(`${asciiStart}${'1;Библиотека имени Пушкина, центр цифровой помощи\n'.repeat(50)}`, 'win1251');
    expect(() => decodeText(cyrillic)).toThrow(/L'encodage du fichier n'est pas reconnu \(windows-1251 détecté\)/);
    const japanese = iconv.encode(`${asciiStart}${'1;図書館のデジタル支援センター\n'.repeat(50)}`, 'shift_jis');
    expect(() => decodeText(japanese)).toThrow(/Shift_JIS détecté/);
  });

  it('reads UTF-16 with BOM (Excel "Unicode text")', () => {
    const decoded = decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]));
    expect(decoded.encoding).toBe('utf-16le');
    expect(decoded.text).toBe(sample);
  });

  it('rejects binary and empty files with a French message', () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    expect(() => decodeText(binary)).toThrow(ImportFileError);
    expect(() => decodeText(binary)).toThrow(/binaire/);
    expect(() => decodeText(new Uint8Array())).toThrow(/vide/);
  });
});
