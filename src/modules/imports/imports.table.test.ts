import { describe, expect, it } from 'vitest';
import { ImportFileError } from './imports.errors.ts';
import { detectDelimiter, normalizeHeader, parseDelimited } from './imports.table.ts';

describe('detectDelimiter', () => {
  it.each([
    ['id,nom,commune\n1,a,b', ','],
    ['id;nom;commune\n1;a;b', ';'],
    ['id\tnom\tcommune\n1\ta\tb', '\t'],
    // commas inside a quoted header do not count
    ['"nom, complet";commune;code_postal\n', ';'],
    ['nom\n', ','],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });
});

describe('normalizeHeader', () => {
  it.each([
    ['Code Postal ', 'code_postal'],
    ['code-postal', 'code_postal'],
    ['\uFEFFid', 'id'],
    ['Téléphone', 'telephone'],
    ['N°', 'n'],
    ['Présentation (résumé)', 'presentation_resume'],
  ])('%j → %j', (header, expected) => {
    expect(normalizeHeader(header)).toBe(expected);
  });
});

describe('parseDelimited', () => {
  it('reads quoted multi-line fields and gives the line each record starts on', () => {
    const text = 'id;nom;presentation_detail\r\n1;Médiathèque;"Première ligne\r\nseconde ligne; avec point-virgule"\r\n\r\n2;"EPN ""Le Cube""";\r\n';
    const table = parseDelimited(text);
    expect(table.delimiter).toBe(';');
    expect(table.headers).toEqual(['id', 'nom', 'presentation_detail']);
    expect(table.rows).toEqual([
      { row: 2, values: { id: '1', nom: 'Médiathèque', presentation_detail: 'Première ligne\r\nseconde ligne; avec point-virgule' } },
      { row: 5, values: { id: '2', nom: 'EPN "Le Cube"', presentation_detail: '' } },
    ]);
  });

  it('reports a row with the wrong number of columns and keeps the others', () => {
    const table = parseDelimited('id,nom,commune\n1,A,Nevers\n2,B\n3,C,Dijon\n');
    expect(table.rows.map((r) => r.values.id)).toEqual(['1', '3']);
    expect(table.errors).toEqual([
      { row: 3, field: '(ligne)', value: '2', message: 'La ligne compte 2 colonnes au lieu de 3 (séparateur « , »).' },
    ]);
  });

  it.each([
    ['', /vide/],
    ['   \n\n', /vide/],
    ['id,nom,commune\n', /qu'une ligne d'en-tête/],
    ['id,nom\n1,"Médiathèque sans fin\n2,autre\n', /tronqué/],
    ['id,nom,id\n1,a,b\n', /apparaît deux fois/],
    ['id,,commune\n1,a,b\n', /n'a pas de nom/],
  ])('rejects a malformed file %j with a French message', (text, message) => {
    expect(() => parseDelimited(text)).toThrow(ImportFileError);
    expect(() => parseDelimited(text)).toThrow(message);
  });

  it('rejects a 10 MB single line without crashing', () => {
    const line = `id,nom\n1,"${'a'.repeat(10 * 1024 * 1024)}"\n`;
    expect(() => parseDelimited(line)).toThrow(/dépasse 1 Mo/);
    const noNewline = 'x'.repeat(10 * 1024 * 1024);
    expect(() => parseDelimited(noNewline)).toThrow(ImportFileError);
  });
});
