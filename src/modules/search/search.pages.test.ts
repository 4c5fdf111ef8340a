import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertPublished } from '../../../test/web/publish.ts';
import { fixedClock } from '../../lib/clock.ts';

let t: TestApp;
const html = { accept: 'text/html' };

beforeAll(async () => {
  // Tuesday 10:30 in Paris.
  t = await buildTestApp({ clock: fixedClock('2026-03-10T09:30:00Z') });
  await insertPublished(t.deps, [
    { nom: 'Médiathèque de la Part-Dieu', latitude: 45.7605, longitude: 4.8575, code_postal: '69003', code_insee: '69383' },
    { nom: 'Espace numérique Bellecour', latitude: 45.7578, longitude: 4.832, code_postal: '69002', code_insee: '69382', frais_a_charge: ['Payant'] },
    { nom: 'Centre social de Villeurbanne', latitude: 45.7719, longitude: 4.8902, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      services: ['Accès internet et matériel informatique'], horaires: 'Sa 09:00-12:00' },
    { nom: 'Médiathèque de Marseille', latitude: 43.2965, longitude: 5.3698, commune: 'Marseille', code_postal: '13001', code_insee: '13201', code_departement: '13', code_region: '93' },
  ]);
});
afterAll(() => t.close());

const names = (body: string) => [...body.matchAll(/<h2 class="fr-card__title"><a href="\/lieux\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('home page', () => {
  it('offers the search form with autocompletion hooks and the count of places', async () => {
    const res = await t.app.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('action="/recherche"');
    expect(res.body).toContain('data-autocomplete="communes"');
    expect(res.body).toContain('data-geolocate');
    expect(res.body).toMatch(/<span class="maillage-counts">4<\/span> lieux recensés/);
  });
});

describe('results page', () => {
  it('lists places near a commune typed by name, nearest first, with the count, in the HTML', async () => {
    const res = await t.app.inject({ url: '/recherche?q=Villeurbanne', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('3 lieux trouvés près de Villeurbanne');
    expect(names(res.body)).toEqual(['Centre social de Villeurbanne', 'Médiathèque de la Part-Dieu', 'Espace numérique Bellecour']);
    expect(res.body).toMatch(/data-lat="45\.7719" data-lon="4\.8902"/);
    expect(res.body).toContain('id="carte"');
    expect(res.body).toContain('<details class="maillage-filters-panel">'); // no filter set: folded
    expect(res.body).toMatch(/data-maplibre-url="\/assets\/maplibre-gl-[\w-]+\/maplibre-gl\.mjs"/);
  });

  it('finds the commune from a postal code inside an address', async () => {
    const res = await t.app.inject({ url: `/recherche?q=${encodeURIComponent('3 rue Garibaldi 69003 Lyon')}`, headers: html });
    expect(res.body).toContain('près de Lyon 3e Arrondissement (69003)');
    expect(names(res.body)[0]).toBe('Médiathèque de la Part-Dieu');
  });

  it('reflects filters in the URL and in the form controls', async () => {
    const url = `/recherche?lat=45.76&lon=4.85&rayon=20&frais_a_charge=Gratuit&services=${encodeURIComponent('Accès internet et matériel informatique')}`;
    const res = await t.app.inject({ url, headers: html });
    expect(res.statusCode).toBe(200);
    expect(names(res.body)).toEqual(['Centre social de Villeurbanne']);
    expect(res.body).toMatch(/<input type="checkbox" id="filtre-gratuit" name="frais_a_charge" value="Gratuit" checked/);
    expect(res.body).toMatch(/<option value="20" selected>/);
    expect(res.body).toContain('<details class="maillage-filters-panel" open>');
    expect(res.body).toContain('Filtrer les résultats (2)');
    const open = await t.app.inject({ url: '/recherche?lat=45.76&lon=4.85&ouvert_maintenant=oui', headers: html });
    expect(names(open.body)).not.toContain('Centre social de Villeurbanne');
    expect(names(open.body)).toContain('Médiathèque de la Part-Dieu');
  });

  it('searches place names when the text is not a commune, and says so', async () => {
    const res = await t.app.inject({ url: '/recherche?q=m%C3%A9diath%C3%A8que', headers: html });
    expect(res.body).toContain('Nous n’avons pas trouvé de commune « médiathèque »');
    expect(names(res.body).sort()).toEqual(['Médiathèque de Marseille', 'Médiathèque de la Part-Dieu']);
  });

  it('offers to widen the search when nothing is near', async () => {
    const res = await t.app.inject({ url: '/recherche?lat=48.1&lon=-1.68&rayon=5', headers: html });
    expect(res.body).toContain('Aucun lieu trouvé');
    expect(res.body).toContain('Chercher jusqu’à 50 km');
  });

  it('answers the live-filter fragment without the page shell', async () => {
    const res = await t.app.inject({ url: '/recherche?q=Villeurbanne', headers: { ...html, 'x-maillage-fragment': 'resultats' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(res.body).toContain('3 lieux trouvés');
  });

  it('turns bad parameters into a French error page naming them, never a 500', async () => {
    for (const [url, text] of [
      ['/recherche?lat=abc&lon=4.8', '« lat » (latitude) doit être un nombre entre -90 et 90'],
      ['/recherche?lat=45', '« lat » et « lon » vont ensemble'],
      ['/recherche?rayon=7', '« rayon » doit valoir 2, 5, 10, 20, 50'],
      ['/recherche?services=Cuisine', '« services »'],
      ['/recherche?pirate=1', '« pirate » n’est pas un paramètre de recherche reconnu'],
      ['/recherche?commune=abc', '« commune » doit être un code INSEE'],
    ] as const) {
      const res = await t.app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body, url).toContain(text);
    }
  });
});
