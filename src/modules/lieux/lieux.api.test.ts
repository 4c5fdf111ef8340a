import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createLieu, unpublishLieu } from './lieux.use-cases.ts';
import { standardFields, type Lieu } from './lieux.schema.ts';

describe('GET /api/v1/lieux/:id', () => {
  let t: TestApp;
  let lieu: Lieu;

  beforeAll(async () => {
    t = await buildTestApp();
    lieu = await createLieu(
      t.deps,
      {
        pivot: '21690123100011',
        nom: 'Médiathèque de la Part-Dieu',
        commune: 'Lyon',
        code_postal: '69003',
        adresse: '30 boulevard Vivier-Merle',
        date_maj: '2025-01-15',
        latitude: 45.7607,
        longitude: 4.8583,
        services: 'Accès internet et matériel informatique',
        horaires: 'Tu-Sa 10:00-19:00',
      },
      { kind: 'system' },
    );
  });
  afterAll(() => t?.close());

  it('returns the place with every standard field and no internal column', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/lieux/${lieu.id}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    for (const field of standardFields) expect(body, field).toHaveProperty(field);
    expect(body).toMatchObject({
      id: lieu.id,
      nom: 'Médiathèque de la Part-Dieu',
      code_insee: '69383',
      code_departement: '69',
      code_region: '84',
      services: ['Accès internet et matériel informatique'],
      courriels: [],
      telephone: null,
      position_approximate: false,
      status: 'published',
    });
    for (const internal of ['search_tokens', 'sort_key', 'version']) expect(body).not.toHaveProperty(internal);
  });

  it.each([
    ['an unknown id', '7d1c1a2e-0f43-4b8e-9a57-2c6f0e3d9b11'],
    ['a malformed id', 'pas-un-identifiant'],
    ['an injection attempt', "1' OR '1'='1"],
  ])('answers %s with a French problem+json 404', async (_label, id) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/lieux/${encodeURIComponent(id)}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().title).toMatch(/Aucun lieu ne porte l’identifiant/);
  });

  it('answers 410 for an unpublished place', async () => {
    const other = await createLieu(t.deps, { pivot: '21690123100011', nom: 'Ancien EPN', commune: 'Lyon', code_postal: '69001', adresse: '1 rue X', date_maj: '2024-01-01' }, { kind: 'system' });
    await unpublishLieu(t.deps, other.id, { kind: 'system' }, 'Fermé');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/lieux/${other.id}` });
    expect(res.statusCode).toBe(410);
    expect(res.json().title).toMatch(/retiré du registre/);
  });

  it('is documented under the lieux tag', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const op = spec.paths['/api/v1/lieux/{id}'].get;
    expect(op.tags).toEqual(['lieux']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404', '410']));
  });
});
