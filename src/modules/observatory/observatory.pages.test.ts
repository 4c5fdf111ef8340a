import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadQpvFiles } from '../qpv/qpv.use-cases.ts';
import { insertPlaces } from './observatory.test-helpers.ts';
import { importBroadband } from './broadband.use-cases.ts';

const dataDir = path.resolve('../shared/data');
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  await loadQpvFiles(t.deps.db, [path.join(dataDir, 'qpv/qpv-2015-rennes.geojson')]);
  await importBroadband(t.deps.db, path.join(dataDir, 'haut-debit'));
  await insertPlaces(t.deps.db, [{ latitude: 48.0874, longitude: -1.6647, code_insee: '35238', services: ['Aide aux démarches administratives'] }]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('observatory pages', () => {
  it('shows France with its régions, and a commune with its figures and uncovered QPVs', async () => {
    const france = await t.app.inject({ url: '/observatoire' });
    expect(france.statusCode).toBe(200);
    expect(france.headers['content-type']).toContain('text/html');
    expect(france.body).toContain('Couverture par région');
    expect(france.body).toContain('href="/observatoire/region/53"');
    const rennes = await t.app.inject({ url: '/observatoire/commune/35238' });
    expect(rennes.statusCode).toBe(200);
    expect(rennes.body).toContain('<h1>Rennes</h1>');
    expect(rennes.body).toContain('Aide aux démarches administratives');
    // QPV table: Maurepas has no place within 500 m, Le Blosne has one (the place is inside it).
    const row = (code: string) => new RegExp(`<tr>(?:(?!</tr>).)*${code}(?:(?!</tr>).)*</tr>`).exec(rennes.body)?.[0] ?? '';
    expect(row('QP035004')).toContain('<td data-value="0">non</td>');
    expect(row('QP035005')).toContain('<td data-value="1">oui</td>');
    expect(row('QP035005')).toContain('href="/observatoire/qpv/QP035005"');
    const epci = await t.app.inject({ url: '/observatoire/epci/243500139' });
    expect(epci.body).toContain('Couverture par commune');
  }, 120_000);

  it('draws a choropleth map with a legend in numbers, and bar charts that point to their table', async () => {
    const france = (await t.app.inject({ url: '/observatoire' })).body;
    // 13 régions of metropolitan France, one link each, named with its value.
    expect(france.match(/<path /g)).toHaveLength(13);
    expect(france).toMatch(/<a href="\/observatoire\/region\/53" aria-label="Bretagne : [0-9,]+ lieux pour 10 000 habitants">/);
    expect(france).toMatch(/<li data-classe="0">.*de 0 à/);
    expect(france).toContain('<bar-chart x="[[&quot;Aide aux démarches administratives&quot;');
    expect(france).toContain('href="#tableau-services"');
    expect(france).toMatch(/<script type="module" src="\/assets\/bar-chart\.[\w-]+\.js">/);
    // Communes are drawn where the reference data has their contours (Nord); else the QPVs.
    const nord = (await t.app.inject({ url: '/observatoire/departement/59' })).body;
    expect(nord.match(/<path /g)!.length).toBeGreaterThan(600);
    const rennes = (await t.app.inject({ url: '/observatoire/commune/35238' })).body;
    expect(rennes.match(/<path /g)).toHaveLength(5);
    expect(rennes.match(/<path [^>]*data-classe="1"/g)).toHaveLength(1); // only Le Blosne is covered
    expect(rennes).toContain('sans lieu dedans ni à moins de 500 m (non couvert)');
  }, 120_000);

  it('sorts tables from the URL, unknown values last, and exports each table as CSV', async () => {
    const byName = await t.app.inject({ url: '/observatoire/commune/35238?tri=qpv.nom&ordre=desc' });
    const codes = (body: string) => [...body.matchAll(/<td data-value="(QP\d+)">/g)].map((m) => m[1]);
    expect(codes(byName.body)).toEqual(['QP035002', 'QP035004', 'QP035003', 'QP035005', 'QP035006']); // Villejean … Cleunay
    expect(byName.body).toContain('aria-sort="descending"');
    const byDistance = await t.app.inject({ url: '/observatoire/commune/35238?tri=qpv.distance_lieu_le_plus_proche_m&ordre=desc' });
    expect(codes(byDistance.body).slice(0, 2)).toEqual(['QP035003', 'QP035005']); // 775 m, 0 m, then the unknown ones
    const csvLinks = [...byName.body.matchAll(/href="(\/observatoire\/commune\/35238\/tableaux\/[\w-]+\.csv)"/g)].map((m) => m[1]!);
    expect(csvLinks).toEqual([
      '/observatoire/commune/35238/tableaux/services.csv',
      '/observatoire/commune/35238/tableaux/acces.csv',
      '/observatoire/commune/35238/tableaux/haut-debit.csv',
      '/observatoire/commune/35238/tableaux/qpv.csv',
    ]);
    for (const link of csvLinks) {
      const csv = await t.app.inject({ url: link });
      expect(csv.statusCode, link).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toContain('attachment; filename="observatoire-commune-35238-');
    }
    const qpv = (await t.app.inject({ url: '/observatoire/commune/35238/tableaux/qpv.csv' })).body.trim().split('\n');
    expect(qpv[0]).toBe('nom,code,population,lieux_dans,lieux_500_m,distance_lieu_le_plus_proche_m,couvert');
    expect(qpv).toContain('Le Blosne,QP035005,11550,1,1,0,oui');
    expect(qpv).toHaveLength(6);
    const services = (await t.app.inject({ url: '/observatoire/france/FR/tableaux/services.csv' })).body;
    expect(services).toContain('Aide aux démarches administratives,1,1');
    const missing = await t.app.inject({ url: '/observatoire/commune/35238/tableaux/inconnu.csv' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('services.csv');
  }, 120_000);

  it('lists the communes in double fracture of a département, sortable, 50 shown and all in the CSV', async () => {
    const page = (await t.app.inject({ url: '/observatoire/departement/31?tri=double-fracture.taux_ftth&ordre=asc' })).body;
    const section = page.slice(page.indexOf('id="tableau-double-fracture"'));
    const rows = section.slice(0, section.indexOf('</tbody>')).match(/<tr>/g)!.length - 1; // minus the header row
    const csv = (await t.app.inject({ url: '/observatoire/departement/31/tableaux/double-fracture.csv?tri=double-fracture.taux_ftth&ordre=asc' })).body.trim().split('\n');
    expect(csv[0]).toBe('nom,code,population,taux_ftth,distance_lieu_le_plus_proche_km,score_ifn');
    const total = csv.length - 1;
    expect(total).toBeGreaterThan(50); // Haute-Garonne in 2018: many communes below 25 %, no place in the test registry
    expect(rows).toBe(50);
    expect(section).toContain(`50 premières lignes sur ${total.toLocaleString('fr-FR')}`);
    const rates = csv.slice(1).map((line) => Number(line.split(',')[3]));
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    expect(rates.every((r) => r < 0.25)).toBe(true);
    expect(csv.slice(1).every((line) => line.split(',')[1]!.startsWith('31'))).toBe(true);
    expect(section).toContain('Millésimes : Arcep T1 2018');
  }, 120_000);

  it('has a methodology page, and French 404s', async () => {
    const method = await t.app.inject({ url: '/observatoire/methodologie' });
    expect(method.statusCode).toBe(200);
    expect(method.body).toContain('Méthode, sources et limites');
    expect(method.body).toContain('liste 2015 : 6 QPV chargés');
    expect(method.body).toContain('COG 2025');
    expect(method.body).toContain('quantiles');
    const unknownType = await t.app.inject({ url: '/observatoire/canton/1' });
    expect(unknownType.statusCode).toBe(404);
    expect(unknownType.body).toContain('Aucun type de territoire');
    const unknownCode = await t.app.inject({ url: '/observatoire/commune/99999' });
    expect(unknownCode.statusCode).toBe(404);
  });
});
