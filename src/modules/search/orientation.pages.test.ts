import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertPublished } from '../../../test/web/publish.ts';
import { fixedClock } from '../../lib/clock.ts';

let t: TestApp;
const html = { accept: 'text/html' };
const ids: Record<string, string> = {};
const DEMARCHES = 'Aide aux démarches administratives';
const MATERIEL = 'Accès internet et matériel informatique';

beforeAll(async () => {
  // Tuesday 10 March 2026, 10:30 in Paris.
  t = await buildTestApp({ clock: fixedClock('2026-03-10T09:30:00Z') });
  const rows = await insertPublished(t.deps, [
    { nom: 'Centre social de Villeurbanne', latitude: 45.7719, longitude: 4.8902, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      horaires: 'Mo-Fr 09:00-12:00', services: [DEMARCHES], telephone: '+33478000001', modalites_acces: ['Se présenter'] },
    { nom: 'Maison des Gratte-Ciel', latitude: 45.7695, longitude: 4.8801, commune: 'Villeurbanne', code_postal: '69100', code_insee: '69266',
      horaires: 'Sa 10:00-12:00', services: [MATERIEL], frais_a_charge: ['Payant'], modalites_acces: ['Téléphoner'] },
    { nom: 'Médiathèque de la Part-Dieu', latitude: 45.7605, longitude: 4.8575, code_postal: '69003', code_insee: '69383',
      horaires: 'Tu,Th 17:00-20:00', prise_en_charge_specifique: ['Handicaps moteurs'], fiche_acces_libre: 'https://acceslibre.beta.gouv.fr/app/69-lyon/a/bibliotheque/erp/part-dieu/' },
    { nom: 'Espace sans horaires', latitude: 45.7578, longitude: 4.832, code_postal: '69002', code_insee: '69382', horaires: null },
    { nom: 'Médiathèque de Marseille', latitude: 43.2965, longitude: 5.3698, commune: 'Marseille', code_postal: '13001', code_insee: '13201', code_departement: '13', code_region: '93' },
  ]);
  for (const row of rows) ids[row.nom] = row.id;
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ url, headers: html });
const q = (params: [string, string][]) => new URLSearchParams(params).toString();
/** Place names of the step 4 list, in order. */
const listed = (body: string) => [...body.matchAll(/<span class="orientation-result__nom">([^<]+)<\/span>/g)].map((m) => m[1]);
const hidden = (body: string, name: string) => [...body.matchAll(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('orientation steps', () => {
  it('step 1 asks where, with commune suggestions, and is linked from the header and the home page', async () => {
    const res = await get('/orientation');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('class="fr-stepper"');
    expect(res.body).toContain('Étape 1 sur 4');
    expect(res.body).toContain('action="/orientation/besoin"');
    expect(res.body).toContain('data-autocomplete="communes"');
    expect(res.body).toMatch(/<a class="fr-nav__link" href="\/orientation" aria-current="page">Orienter une personne<\/a>/);
    expect(res.body).toMatch(/href="\/assets\/orientation\.[\w-]+\.css"/);
    const home = await get('/');
    expect(home.body).toContain('href="/orientation"');
  });

  it('step 2 carries the place and offers the standard’s services in plain words', async () => {
    const res = await get(`/orientation/besoin?${q([['q', 'Villeurbanne'], ['commune', ''], ['rayon', '10']])}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Étape 2 sur 4');
    expect(hidden(res.body, 'q')).toEqual(['Villeurbanne']);
    expect(hidden(res.body, 'rayon')).toEqual(['10']);
    expect(res.body).toContain('Villeurbanne (69100), jusqu’à 10 km');
    expect(res.body).toContain('Être aidé pour faire ses démarches en ligne (CAF, impôts, retraite, santé…)');
    expect(res.body).toContain(`value="${DEMARCHES}"`);
    expect(res.body).toContain('action="/orientation/quand"');
  });

  it('step 3 offers free of charge, adapted support, weekend, evening and the coming days', async () => {
    const res = await get(`/orientation/quand?${q([['q', 'Villeurbanne'], ['rayon', '10'], ['services', DEMARCHES]])}`);
    expect(res.statusCode).toBe(200);
    expect(hidden(res.body, 'services')).toEqual([DEMARCHES]);
    expect(res.body).toContain('Handicap moteur, mobilité réduite (PMR)');
    expect(res.body).toContain('Ouvert le week-end (samedi ou dimanche)');
    expect(res.body).toContain('Ouvert en soirée (après 18 h)');
    expect(res.body).toMatch(/<input type="radio" id="orientation-jour-1" name="jour" value="2026-03-10"\/?>\s*<label class="fr-label" for="orientation-jour-1">Aujourd’hui, mardi 10 mars/);
    expect(res.body).toContain('value="2026-03-16"');
    expect(res.body).not.toContain('value="2026-03-17"');
  });

  it('step 4 lists the places nearest first, as the search API does with the same filters', async () => {
    const res = await get(`/orientation/lieux?${q([['q', 'Villeurbanne'], ['rayon', '10']])}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('4 lieux correspondent à moins de 10 km de Villeurbanne (69100)');
    const names = listed(res.body);
    expect(names).toEqual(['Centre social de Villeurbanne', 'Maison des Gratte-Ciel', 'Médiathèque de la Part-Dieu', 'Espace sans horaires']);
    expect(res.body).toContain('action="/orientation/fiche"');
    // Same semantics as GET /api/v1/lieux, checked on several combinations of answers.
    const villeurbanne = t.deps.territories.getCommune('69266')!.centre!;
    for (const [answers, api] of [
      [[['services', DEMARCHES]], [['services', DEMARCHES]]],
      [[['frais_a_charge', 'Gratuit']], [['frais_a_charge', 'Gratuit']]],
      [[['prise_en_charge_specifique', 'Handicaps moteurs'], ['prise_en_charge_specifique', 'Surdité']], [['prise_en_charge_specifique', 'Handicaps moteurs'], ['prise_en_charge_specifique', 'Surdité']]],
      [[['jour', '2026-03-12'], ['heure', '18:00']], [['ouvert_le', '2026-03-12T18:00:00+01:00']]],
      [[['services', MATERIEL], ['services', DEMARCHES], ['frais_a_charge', 'Gratuit']], [['services', MATERIEL], ['services', DEMARCHES], ['frais_a_charge', 'Gratuit']]],
    ] as [[string, string][], [string, string][]][]) {
      const page = await get(`/orientation/lieux?${q([['q', 'Villeurbanne'], ['rayon', '20'], ...answers])}`);
      const json = await t.app.inject({
        url: `/api/v1/lieux?${q([['lat', String(villeurbanne.latitude)], ['lon', String(villeurbanne.longitude)], ['rayon', '20'], ...api])}`,
      });
      const expected = (json.json() as { items: { nom: string }[] }).items.map((i) => i.nom);
      expect(expected.length, JSON.stringify(answers)).toBeGreaterThan(0);
      expect(listed(page.body), JSON.stringify(answers)).toEqual(expected);
    }
  });

  it('narrows by weekend, evening or a day without an hour, from the declared hours', async () => {
    const names = async (extra: [string, string][]) => listed((await get(`/orientation/lieux?${q([['q', 'Villeurbanne'], ['rayon', '10'], ...extra])}`)).body);
    expect(await names([['quand', 'week-end']])).toEqual(['Maison des Gratte-Ciel']);
    expect(await names([['quand', 'soir']])).toEqual(['Médiathèque de la Part-Dieu']);
    expect(await names([['jour', '2026-03-12']])).toEqual(['Centre social de Villeurbanne', 'Médiathèque de la Part-Dieu']);
    expect(await names([['jour', '2026-03-14']])).toEqual(['Maison des Gratte-Ciel']);
    expect(await names([['jour', '2026-03-12'], ['heure', '10:00']])).toEqual(['Centre social de Villeurbanne']);
    const res = await get(`/orientation/lieux?${q([['q', 'Villeurbanne'], ['rayon', '10'], ['quand', 'soir']])}`);
    expect(res.body).toContain('1 lieu correspond à moins de 10 km');
    expect(res.body).toContain('Voir ces lieux sur la carte (sans les conditions d’horaires)');
  });

  it('says when nothing matches, offers to widen, and has nothing to submit', async () => {
    const res = await get(`/orientation/lieux?${q([['q', 'Villeurbanne'], ['rayon', '2'], ['quand', 'week-end'], ['quand', 'soir']])}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Aucun lieu ne correspond à toutes les réponses');
    expect(res.body).toContain('Chercher jusqu’à 50 km');
    expect(res.body).not.toContain('Préparer la fiche d’orientation');
  });

  it('keeps every answer when going back to change one', async () => {
    const res = await get(`/orientation?${q([['q', 'Villeurbanne'], ['rayon', '5'], ['services', DEMARCHES], ['quand', 'soir'], ['jour', '2026-03-12']])}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/id="orientation-q" name="q" type="text" value="Villeurbanne"/);
    expect(res.body).toMatch(/<option value="5" selected>/);
    expect(hidden(res.body, 'services')).toEqual([DEMARCHES]);
    expect(hidden(res.body, 'quand')).toEqual(['soir']);
    expect(hidden(res.body, 'jour')).toEqual(['2026-03-12']);
    expect(hidden(res.body, 'q')).toEqual([]);
  });
});

describe('orientation: bad answers give the step back with a French message, never a 500', () => {
  it('an unknown commune or no place at all', async () => {
    for (const [url, text] of [
      [`/orientation/besoin?${q([['q', 'Zzzyxville-sur-Rien']])}`, 'Nous n’avons pas trouvé de commune « Zzzyxville-sur-Rien »'],
      [`/orientation/lieux?${q([['q', 'Zzzyxville-sur-Rien'], ['services', DEMARCHES]])}`, 'Nous n’avons pas trouvé de commune'],
      ['/orientation/besoin?q=', 'Indiquez l’adresse, la commune ou le code postal de la personne.'],
    ]) {
      const res = await get(url!);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body, url).toContain(text);
      expect(res.body, url).toContain('Étape 1 sur 4');
      expect(res.body, url).toContain('<title>Erreur : ');
      expect(res.body, url).toContain('fr-input-group--error');
    }
  });

  it('values outside the choices, each on its own step', async () => {
    const base: [string, string][] = [['q', 'Villeurbanne'], ['rayon', '10']];
    for (const [url, step, text] of [
      [`/orientation/quand?${q([['q', 'Villeurbanne'], ['rayon', '7']])}`, 1, 'La distance doit valoir 2, 5, 10, 20, 50 kilomètres.'],
      [`/orientation/quand?${q([...base, ['services', 'Cuisine']])}`, 2, 'Besoin : « Cuisine » ne fait pas partie des choix proposés.'],
      [`/orientation/lieux?${q([...base, ['jour', '2026-04-01']])}`, 3, 'Le jour « 2026-04-01 » n’est pas dans les 7 prochains jours'],
      [`/orientation/lieux?${q([...base, ['jour', '2026-02-30']])}`, 3, 'Le jour « 2026-02-30 » n’est pas une date'],
      [`/orientation/lieux?${q([...base, ['heure', '14:00']])}`, 3, 'Choisissez aussi un jour'],
      [`/orientation/lieux?${q([...base, ['jour', '2026-03-12'], ['heure', '25:00']])}`, 3, 'L’heure « 25:00 » n’est pas proposée'],
      [`/orientation/lieux?${q([...base, ['quand', 'nuit']])}`, 3, '« quand » peut valoir'],
      [`/orientation/lieux?${q([...base, ['frais_a_charge', 'Payant']])}`, 3, '« frais_a_charge » ne peut valoir que « Gratuit »'],
      [`/orientation/quand?${q([...base, ['pirate', '1']])}`, 3, '« pirate » n’est pas une réponse attendue'],
      [`/orientation/fiche?${q([...base])}`, 4, 'Choisissez au moins un lieu pour la fiche.'],
      [`/orientation/fiche?${q([...base, ['lieux', 'abc']])}`, 4, 'Un des lieux choisis n’a pas un identifiant valide'],
    ] as [string, number, string][]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain(text);
      expect(res.body, url).toContain(`Étape ${step} sur 4`);
    }
    // An answer of a later step is only checked once the person gets there.
    const early = await get(`/orientation/besoin?${q([...base, ['jour', '2026-04-01']])}`);
    expect(early.statusCode).toBe(200);
  });

  it('more than three places, or places gone from the registry', async () => {
    const base: [string, string][] = [['q', 'Villeurbanne'], ['rayon', '10']];
    const four = Object.values(ids).slice(0, 4).map((id): [string, string] => ['lieux', id]);
    const tooMany = await get(`/orientation/fiche?${q([...base, ...four])}`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('Choisissez au plus 3 lieux (4 sont cochés).');
    // The choice is kept: the four boxes stay ticked to untick one.
    expect(tooMany.body.match(/name="lieux" value="[^"]+" checked/g)).toHaveLength(4);
    const gone = await get(`/orientation/fiche?${q([...base, ['lieux', randomUUID()]])}`);
    expect(gone.statusCode).toBe(400);
    expect(gone.body).toContain('Les lieux choisis ne sont plus dans le registre');
  });
});

describe('fiche d’orientation', () => {
  it('prints the chosen places for the person: address, access, coming days, phone, what to bring, QR code', async () => {
    const url = `/orientation/fiche?${q([
      ['q', 'Villeurbanne'], ['rayon', '10'], ['services', DEMARCHES],
      ['lieux', ids['Centre social de Villeurbanne']!], ['lieux', ids['Médiathèque de la Part-Dieu']!], ['lieux', randomUUID()],
    ])}`;
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('<h1>Fiche d’orientation</h1>');
    expect(body).toContain('Lieu 1 sur 2 : </span>Centre social de Villeurbanne');
    expect(body).toContain('Lieu 2 sur 2 : </span>Médiathèque de la Part-Dieu');
    expect(body).toContain('Un lieu choisi n’est plus dans le registre');
    expect(body).toContain('Être aidé pour faire ses démarches en ligne (CAF, impôts, retraite, santé…)');
    expect(body).toContain('<strong>Mardi 10 mars</strong> : ouvert de 9 h à 12 h');
    expect(body).toContain('<strong>Samedi 14 mars</strong> : fermé');
    expect(body).toContain('<strong>Jeudi 12 mars</strong> : ouvert de 17 h à 20 h');
    expect(body).toContain('<a href="tel:+33478000001">04 78 00 00 01</a>');
    expect(body).toContain('Vous pouvez venir sans rendez-vous.');
    expect(body).toContain('Accessibilité du bâtiment décrite sur acceslibre : https://acceslibre.beta.gouv.fr/app/69-lyon/');
    expect(body).toMatch(/À [\d,]+ km du centre de Villeurbanne \(69100\)\./);
    expect(body).toContain('Une pièce d’identité.');
    expect(body).toContain('Fiche préparée le 10 mars 2026.');
    expect(body).toContain(`${t.deps.config.publicUrl}/lieux/${ids['Centre social de Villeurbanne']}`.replace(/^https?:\/\//, ''));
    expect(body).toMatch(/<svg class="orientation-qr"[^>]*aria-hidden="true"[^>]*>.*<path d="M\d+ \d+h1v1h-1z/s);
    expect(body).toContain('data-print');
    // Back to the list with the same choice ticked.
    const change = /href="(\/orientation\/lieux\?[^"]+)"/.exec(body)![1]!.replaceAll('&amp;', '&');
    const back = await get(change);
    expect(back.body.match(/name="lieux" value="[^"]+" checked/g)).toHaveLength(2);
  });
});
