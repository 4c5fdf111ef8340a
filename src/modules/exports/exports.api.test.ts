import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createLieu, unpublishLieu } from '../lieux/lieux.use-cases.ts';
import { standardFields, type Lieu } from '../lieux/lieux.schema.ts';
import { publishedLieuxPages } from './exports.stream.ts';

const base = {
  commune: 'Lyon',
  code_postal: '69003',
  date_maj: '2025-01-15',
};

describe('open-data exports', () => {
  let t: TestApp;
  let mediatheque: Lieu;
  let espace: Lieu;
  let retired: Lieu;

  beforeAll(async () => {
    t = await buildTestApp();
    mediatheque = await createLieu(
      t.deps,
      {
        ...base,
        pivot: '21690123100011',
        nom: 'Médiathèque "Part-Dieu", Lyon',
        adresse: '30 boulevard Vivier-Merle',
        latitude: 45.7607,
        longitude: 4.8583,
        services: 'Aide aux démarches administratives|Accès internet et matériel informatique',
        presentation_detail: 'Ateliers le mardi,\nprêt de tablettes.',
        publics_specifiquement_adresses: 'Seniors',
        frais_a_charge: 'Gratuit',
        modalites_acces: 'Se présenter|Téléphoner',
        dispositif_programmes_nationaux: 'Conseillers numériques',
        courriels: 'contact@mediatheque-lyon.fr',
      },
      { kind: 'system' },
    );
    espace = await createLieu(t.deps, { ...base, pivot: '00000000000000', nom: 'Espace numérique sans services', adresse: '2 rue Garibaldi' }, { kind: 'system' });
    retired = await createLieu(t.deps, { ...base, pivot: '21690123100029', nom: 'Lieu retiré', adresse: '1 place Guichard' }, { kind: 'system' });
    await unpublishLieu(t.deps, retired.id, { kind: 'system' });
  });
  afterAll(() => t?.close());

  it('reads published places by keyset pages, never the unpublished ones', async () => {
    const pages = [];
    for await (const rows of publishedLieuxPages(t.deps.db, 1)) pages.push(rows.map((r) => r.id));
    expect(pages).toEqual([mediatheque.id, espace.id].sort().map((id) => [id]));
  });

  it('streams the standard v1 CSV with the 32 fields, RFC 4180 quoting and | multi-values', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/exports/lieux.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment; filename="lieux-mediation-numerique.csv"');
    expect(res.headers.link).toContain('etalab-2.0');
    expect(res.body.split('\r\n')[0]).toBe(standardFields.join(','));
    expect(res.body).toContain('"Médiathèque ""Part-Dieu"", Lyon"');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id).sort()).toEqual([mediatheque.id, espace.id].sort());
    const row = rows.find((r) => r.id === mediatheque.id)!;
    expect(row.services).toBe('Aide aux démarches administratives|Accès internet et matériel informatique');
    expect(row.presentation_detail).toBe(mediatheque.presentation_detail);
    expect(row.presentation_detail).toContain('mardi,');
    expect(row.latitude).toBe('45.7607');
    expect(row.date_maj).toBe('2025-01-15');
  });

  it('streams the standard v1 JSON array and the GeoJSON FeatureCollection', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/v1/exports/lieux.json' });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const items = json.json() as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(Object.keys(items[0]!)).toEqual([...standardFields]);

    const geo = await t.app.inject({ method: 'GET', url: '/api/v1/exports/lieux.geojson' });
    expect(geo.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const collection = geo.json();
    expect(collection.type).toBe('FeatureCollection');
    const feature = collection.features.find((f: { properties: { id: string } }) => f.properties.id === mediatheque.id);
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: [4.8583, 45.7607] });
    expect(feature.properties.nom).toBe('Médiathèque "Part-Dieu", Lyon');
  });

  it('maps places to data·inclusion structures and services', async () => {
    const structures = (await t.app.inject({ method: 'GET', url: '/api/v1/exports/data-inclusion/structures.json' })).json();
    expect(structures).toHaveLength(2);
    const structure = structures.find((s: { id: string }) => s.id === `maillage--${mediatheque.id}`);
    expect(structure).toMatchObject({ source: 'maillage', siret: '21690123100011', courriel: 'contact@mediatheque-lyon.fr', reseaux_porteurs: ['conseillers-numeriques'] });
    // The placeholder pivot is not a SIRET.
    expect(structures.find((s: { id: string }) => s.id === `maillage--${espace.id}`).siret).toBeNull();

    const services = (await t.app.inject({ method: 'GET', url: '/api/v1/exports/data-inclusion/services.json' })).json();
    expect(services).toHaveLength(1); // the place without standard services has none
    expect(services[0]).toMatchObject({
      structure_id: `maillage--${mediatheque.id}`,
      thematiques: ['numerique--acceder-a-des-services-en-ligne', 'numerique--acceder-a-une-connexion-internet'],
      frais: 'gratuit',
      publics: ['seniors'],
      modes_mobilisation: ['se-presenter', 'telephoner'],
    });
  });

  it('lists the exports with the Licence Ouverte 2.0', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/exports' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.licence.id).toBe('etalab-2.0');
    expect(body.ressources.map((r: { url: string }) => new URL(r.url).pathname)).toContain('/api/v1/exports/data-inclusion/services.json');
  });
});
