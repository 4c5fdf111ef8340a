import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertPublished } from '../../../test/web/publish.ts';

let t: TestApp;
const html = { accept: 'text/html' };

beforeAll(async () => {
  t = await buildTestApp();
  await insertPublished(t.deps, [
    { nom: 'Médiathèque de la Part-Dieu', code_insee: '69383', code_postal: '69003' },
    { nom: 'Espace Bellecour', code_insee: '69382', code_postal: '69002' },
    { nom: 'Centre social de Villeurbanne', commune: 'Villeurbanne', code_insee: '69266', code_postal: '69100' },
    { nom: 'Médiathèque de Marseille', commune: 'Marseille', code_postal: '13001', code_insee: '13201', code_epci: '200054807', code_departement: '13', code_region: '93' },
  ]);
});
afterAll(() => t.close());

const countOf = (body: string, nom: string) =>
  new RegExp(`>${nom}</a></td><td><span class="maillage-counts">(\\d+)</span>`).exec(body)?.[1];

describe('territory pages', () => {
  it('lists régions with their number of places', async () => {
    const res = await t.app.inject({ url: '/territoires', headers: html });
    expect(res.statusCode).toBe(200);
    expect(countOf(res.body, 'Auvergne-Rhône-Alpes')).toBe('3');
    expect(countOf(res.body, 'Provence-Alpes-Côte d&#39;Azur') ?? countOf(res.body, "Provence-Alpes-Côte d'Azur")).toBe('1');
    expect(countOf(res.body, 'Bretagne')).toBe('0');
  });

  it('walks région → département → EPCI → commune with counts and breadcrumbs', async () => {
    const region = await t.app.inject({ url: '/territoires/region/84', headers: html });
    expect(countOf(region.body, 'Rhône')).toBe('3');
    const dep = await t.app.inject({ url: '/territoires/departement/69', headers: html });
    expect(dep.body).toContain('href="/territoires/epci/200046977"');
    expect(countOf(dep.body, 'Métropole de Lyon')).toBe('3');
    const epci = await t.app.inject({ url: '/territoires/epci/200046977', headers: html });
    expect(countOf(epci.body, 'Villeurbanne')).toBe('1');
    expect(epci.body).toContain('Centre social de Villeurbanne');
    const lyon = await t.app.inject({ url: '/territoires/commune/69123', headers: html });
    expect(lyon.statusCode).toBe(200);
    expect(lyon.body).toMatch(/<span class="maillage-counts">2 lieux<\/span>/);
    expect(lyon.body).toContain('Médiathèque de la Part-Dieu');
    expect(lyon.body).toContain('href="/territoires/departement/69"');
  });

  it('is a French 404 for an unknown territory type or code', async () => {
    for (const url of ['/territoires/region/99', '/territoires/pays/FR', '/territoires/commune/abc']) {
      const res = await t.app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page non trouvée');
    }
  });
});
