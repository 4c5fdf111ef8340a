import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

const csv = [
  'id,pivot,nom,commune,code_postal,adresse,date_maj',
  'a1,21690123100011,Médiathèque de la Part-Dieu,Lyon,69003,30 boulevard Vivier-Merle,2025-01-15',
  'a2,21690123100029,Espace numérique,Lyon,6900,2 rue Garibaldi,2025-01-15',
].join('\n');

function form(boundary: string, content: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nx\r\n--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="lieux.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
}

describe('validator page /donnees/validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('shows the upload form', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/donnees/validation' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toContain('name="fichier"');
  });

  it('renders the report of an uploaded file, rows and French messages, writing nothing', async () => {
    const boundary = '----maillage';
    const res = await t.app.inject({ method: 'POST', url: '/donnees/validation', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: form(boundary, csv) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('1 ligne(s) à corriger');
    expect(res.body).toContain('Lignes valides : 1');
    expect(res.body).toMatch(/<td>3<\/td><td>code_postal<\/td><td>6900<\/td>/);
    const count = await t.deps.db.selectFrom('lieux').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('answers an unreadable file with a French message in the page', async () => {
    const boundary = '----maillage';
    const res = await t.app.inject({ method: 'POST', url: '/donnees/validation', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: form(boundary, 'nom\n') });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Le fichier n’a pas pu être lu');
  });
});
