import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertLieu } from '../../../test/builders/lieu.ts';
import { fixedClock } from '../../lib/clock.ts';

let t: TestApp;
let id: string;
let hiddenId: string;
const html = { accept: 'text/html' };

beforeAll(async () => {
  // A Tuesday at 10:30 in Paris: the place is open until noon.
  t = await buildTestApp({ clock: fixedClock('2026-03-10T09:30:00Z') });
  id = (
    await insertLieu(t.deps.db, {
      nom: 'Espace numérique <des Pentes>',
      horaires: 'Mo-Fr 09:00-12:00,14:00-18:00; PH off',
      telephone: '+33472000000',
      courriels: ['accueil@pentes.example'],
      fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/app/69-lyon/a/espace/erp/pentes/',
      prise_rdv: 'https://rdv.example/pentes',
      publics_specifiquement_adresses: ['Seniors'],
      prise_en_charge_specifique: ['Surdité'],
      modalites_acces: ['Téléphoner'],
      source: 'Réseau des Pentes',
      date_maj: '2026-01-11',
    })
  ).id;
  hiddenId = (await insertLieu(t.deps.db, { nom: 'Lieu retiré', status: 'unpublished' })).id;
});
afterAll(() => t.close());

describe('place page', () => {
  it('tells a resident when, where, how and for what, in plain words', async () => {
    const res = await t.app.inject({ url: `/lieux/${id}`, headers: html });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('<h1>Espace numérique &lt;des Pentes></h1>');
    expect(body).toContain('Ouvert maintenant · ferme à 12 h');
    expect(body).toContain('9 h – 12 h, 14 h – 18 h');
    expect(body).toContain('Être aidé pour faire ses démarches en ligne');
    expect(body).toContain('Ce lieu accueille en particulier les seniors.');
    expect(body).toContain('Accompagnement adapté pour les personnes sourdes ou malentendantes.');
    expect(body).toContain('Appelez avant de venir.');
    expect(body).toContain('href="tel:+33472000000"');
    expect(body).toContain('04 72 00 00 00');
    expect(body).toContain('href="mailto:accueil@pentes.example"');
    expect(body).toContain('href="https://rdv.example/pentes"');
    expect(body).toContain('acceslibre');
    expect(body).toContain('href="geo:45.764,4.8357"');
    expect(body).toContain('https://www.openstreetmap.org/directions?route=%3B45.764%2C4.8357');
    expect(body).toContain('Source : Réseau des Pentes. <span class="maillage-fraicheur">Mis à jour il y a 1 mois (<time datetime="2026-01-11">le 11 janvier 2026</time>)</span>.');
    expect(body).toContain(`action="/lieux/${id}/signalement"`);
    expect(body).toContain(`http://localhost:3000/lieux/${id}`);
    expect(body).toMatch(/<link rel="stylesheet" href="\/assets\/print\.[\w-]+\.css" media="print"/);
  });

  it('is a French 404 page for an unknown or malformed place, 410 for an unpublished one', async () => {
    const gone = await t.app.inject({ url: `/lieux/${hiddenId}`, headers: html });
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('Page retirée');
    for (const url of ['/lieux/00000000-0000-4000-8000-000000000000', '/lieux/n-importe-quoi']) {
      const res = await t.app.inject({ url, headers: html });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Page non trouvée');
    }
  });
});
