import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

const csv = [
  'id,pivot,nom,commune,code_postal,adresse,date_maj,services,telephone',
  'a1,21690123100011,Médiathèque de la Part-Dieu,Lyon,69003,30 boulevard Vivier-Merle,2025-01-15,Aide aux démarches administratives,+33478620800',
  'a2,12,Espace numérique,Lyon,6900,2 rue Garibaldi,2025-01-15,,',
  'a3,21690123100029,Tiers-lieu,Lyon,69003,1 place Guichard,2025-01-15,Réparation de vélos,',
].join('\n');

describe('POST /api/v1/validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('reports per-row errors of a raw CSV body and writes nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/validation', headers: { 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ format: 'standard-csv', rows_read: 3, valid_rows: 1, invalid_rows: 2 });
    const fields = report.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`);
    expect(fields).toContain('3:pivot');
    expect(fields).toContain('3:code_postal');
    expect(fields).toContain('4:services');
    const servicesError = report.errors.find((e: { field: string }) => e.field === 'services');
    expect(servicesError.value).toContain('Réparation de vélos');
    expect(servicesError.message).toMatch(/[éè]/); // a French sentence
    const count = await t.deps.db.selectFrom('lieux').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('accepts a multipart upload and a JSON body', async () => {
    const boundary = '----maillage';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="lieux.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const multipart = await t.app.inject({ method: 'POST', url: '/api/v1/validation', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(multipart.statusCode).toBe(200);
    expect(multipart.json()).toMatchObject({ rows_read: 3, valid_rows: 1 });

    const json = JSON.stringify([{ id: 'x', pivot: '21690123100011', nom: 'Médiathèque', commune: 'Lyon', code_postal: '69003', adresse: '30 boulevard Vivier-Merle', date_maj: '2025-13-45' }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/validation', headers: { 'content-type': 'application/json' }, payload: json });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'standard-json', rows_read: 1, valid_rows: 0 });
    expect(res.json().errors[0]).toMatchObject({ row: 1, field: 'date_maj' });
  });

  it('answers an empty body or an unreadable file with a French problem', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/api/v1/validation', headers: { 'content-type': 'text/csv' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(empty.json())).toContain('Aucun fichier');

    const binary = await t.app.inject({ method: 'POST', url: '/api/v1/validation', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from([0, 1, 2, 3, 0, 255, 0, 7]) });
    expect(binary.statusCode).toBe(400);
    expect(binary.headers['content-type']).toContain('application/problem+json');
  });
});
