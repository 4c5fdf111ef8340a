import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';

describe('territories API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('finds communes by name, biggest first, with their territories and centre', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/communes?q=lille&limit=3' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toHaveLength(3);
    expect(body[0]).toMatchObject({
      code: '59350',
      nom: 'Lille',
      codeDepartement: '59',
      codeRegion: '32',
      codeEpci: '200093201',
    });
    expect(body[0].codesPostaux).toContain('59000');
    expect(body[0].population).toBeGreaterThan(200_000);
    expect(body[0].centre.latitude).toBeCloseTo(50.63, 1);
  });

  it('finds communes by postal code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/communes?q=69003' });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((c: { code: string }) => c.code)).toEqual(['69123', '69383']);
  });

  it('refuses a missing query or a limit out of range, naming the parameter in French', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/communes' });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().errors[0]).toMatchObject({ field: 'q' });
    const tooMany = await t.app.inject({ method: 'GET', url: '/api/v1/communes?q=pa&limit=500' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('limit');
    expect(tooMany.json().errors[0].message).toMatch(/inférieur ou égal à 50/);
  });

  it('describes a commune with its EPCI, département and région', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/commune/75115' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      type: 'commune',
      code: '75115',
      nom: 'Paris 15e Arrondissement',
      codesPostaux: ['75015'],
      epci: { code: '200054781', nom: 'Métropole du Grand Paris' },
      departement: { code: '75', nom: 'Paris' },
      region: { code: '11', nom: 'Île-de-France' },
    });
    expect(res.json().population).toBeGreaterThan(200_000);
  });

  it('describes an EPCI, a département and a région', async () => {
    const epci = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/epci/200093201' });
    expect(epci.json()).toMatchObject({ type: 'epci', nom: 'Métropole Européenne de Lille' });
    expect(epci.json().nombreCommunes).toBeGreaterThan(90);
    const departement = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/departement/13' });
    // Marseille counts once: its 16 arrondissements are not communes of their own.
    expect(departement.json()).toMatchObject({ nom: 'Bouches-du-Rhône', region: { code: '93' }, nombreCommunes: 119 });
    const region = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/region/32' });
    expect(region.json()).toMatchObject({ type: 'region', code: '32', nom: 'Hauts-de-France' });
  });

  it('answers 404 in French for an unknown code', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/commune/99999' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().title).toBe('Aucune commune ne porte le code « 99999 ».');
  });

  it('answers 400 naming the type parameter when the type is unknown', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/territoires/canton/5901' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'type', message: '« type » doit être l\'une des valeurs : commune, epci, departement, region.' },
    ]);
  });
});
