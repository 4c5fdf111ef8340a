import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertPublished } from '../../../test/web/publish.ts';
import { contrastRatio, normaliseColour, parseLogo, themeCss } from './embed.options.ts';

let t: TestApp;
const rennes = { commune: 'Rennes', code_postal: '35000', code_insee: '35238', code_epci: '243500139', code_departement: '35', code_region: '53', latitude: 48.111, longitude: -1.68 };
const saintMalo = { commune: 'Saint-Malo', code_postal: '35400', code_insee: '35288', code_epci: null, code_departement: '35', code_region: '53', latitude: 48.649, longitude: -2.025 };

beforeAll(async () => {
  t = await buildTestApp();
  const rows = await insertPublished(t.deps, [
    { nom: 'France Services de Rennes', ...rennes, dispositif_programmes_nationaux: ['France Services'], structure_parente: 'Ville de Rennes' },
    { nom: 'Médiathèque de Saint-Malo', ...saintMalo, dispositif_programmes_nationaux: [] },
    { nom: 'Espace numérique de Lyon', dispositif_programmes_nationaux: ['Conseillers numériques'] },
    { nom: 'France Services de Lyon', dispositif_programmes_nationaux: ['France Services'], structure_parente: 'Métropole de Lyon' },
    // Enough places in Rennes Métropole for a second page.
    ...Array.from({ length: 21 }, (_, i) => ({ nom: `Point numérique Rennes ${i + 1}`, ...rennes, latitude: 48.1 + i / 1000 })),
  ]);
  const sourceId = randomUUID();
  await t.deps.db.insertInto('sources').values({ id: sourceId, name: 'reseau-lyon', producer: 'Réseau lyonnais' }).execute();
  const now = new Date();
  await t.deps.db
    .insertInto('lieu_sources')
    .values({ source_id: sourceId, external_id: 'l-1', lieu_id: rows[2]!.id, first_seen_at: now, last_seen_at: now })
    .execute();
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
const names = (html: string) => [...html.matchAll(/<h2 class="fr-card__title"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!);
const directive = (policy: unknown, name: string) =>
  String(policy)
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe('GET /embed/carte', () => {
  it('shows only the places of a territory, and may be framed by any site', async () => {
    const res = await get('/embed/carte?territoire=departement:35');
    expect(res.statusCode).toBe(200);
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe('frame-ancestors *');
    expect(directive(res.headers['content-security-policy'], 'script-src')).toBe("script-src 'self'");
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).toContain('23 lieux trouvés sur le territoire : Ille-et-Vilaine (département)');
    const list = names(res.body);
    expect(list).toHaveLength(20);
    expect(list.some((n) => n.includes('Lyon'))).toBe(false);
    // Place links open Maillage in a new tab; the form stays in the frame.
    expect(res.body).toContain('<base target="_blank"/>');
    expect(res.body).toMatch(/<form method="get" action="\/embed\/carte" target="_self"/);
    expect(res.body).toContain('<input type="hidden" name="territoire" value="departement:35"/>');
    // The next page keeps the embed and its territory.
    const next = /href="(\/embed\/carte\?[^"]*curseur=[^"]*)"/.exec(res.body)?.[1]?.replace(/&amp;/g, '&');
    expect(next).toContain('territoire=departement%3A35');
    const page2 = await get(next!);
    expect(names(page2.body)).toHaveLength(3);
    expect(names(page2.body).some((n) => n.includes('Lyon'))).toBe(false);
  });

  it('keeps the public filters and the place search inside the territory', async () => {
    const res = await get('/embed/carte?territoire=commune:35288&q=Saint-Malo');
    expect(res.statusCode).toBe(200);
    expect(names(res.body)).toEqual(['Médiathèque de Saint-Malo']);
    const epci = await get('/embed/carte?territoire=epci:243500139&services=Aide%20aux%20d%C3%A9marches%20administratives');
    expect(names(epci.body)).toHaveLength(20);
    expect(epci.body).toContain('22 lieux trouvés');
  });

  it('filters by network (dispositif_programmes_nationaux), parent structure and source', async () => {
    expect(names((await get('/embed/carte?reseau=France%20Services')).body).sort()).toEqual(['France Services de Lyon', 'France Services de Rennes']);
    expect(names((await get('/embed/carte?structure_parente=ville%20de%20RENNES')).body)).toEqual(['France Services de Rennes']);
    expect(names((await get('/embed/carte?source=reseau-lyon')).body)).toEqual(['Espace numérique de Lyon']);
    expect(names((await get('/embed/carte?reseau=France%20Services&territoire=region:84')).body)).toEqual(['France Services de Lyon']);
  });

  it('follows changes of the registry (the cached subset belongs to one read-model snapshot)', async () => {
    const count = async () => /(\d+) lieux? trouvés? sur le territoire/.exec((await get('/embed/carte?territoire=commune:35288')).body)?.[1];
    expect(await count()).toBe('1');
    expect(await count()).toBe('1'); // served from the cached subset
    await insertPublished(t.deps, [{ nom: 'Tiers-lieu de Saint-Malo', ...saintMalo }]);
    expect(await count()).toBe('2');
  });

  it('answers the results fragment for live filtering, still frameable', async () => {
    const res = await get('/embed/carte?territoire=commune:35288', { 'x-maillage-fragment': 'resultats' });
    expect(res.statusCode).toBe(200);
    expect(res.body.startsWith('<p class="fr-h5 maillage-counts"')).toBe(true);
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe('frame-ancestors *');
  });

  it('explains every bad option in French inside the frame (400, never a 500)', async () => {
    const res = await get(
      '/embed/carte?territoire=departement:999&reseau=Inconnu&source=nulle-part&couleur=bleu&logo=http%3A%2F%2Fexample.org%2Flogo.png&titre=' + 'x'.repeat(81) + '&rayon=7&foo=1',
    );
    expect(res.statusCode).toBe(400);
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe('frame-ancestors *');
    const text = res.body.replace(/&#39;|&rsquo;/g, '’');
    for (const expected of [
      'aucun(e) département n’a le code « 999 »',
      '« reseau » doit être un dispositif national du standard',
      'aucune source ne s’appelle « nulle-part »',
      '« couleur » doit être une couleur hexadécimale',
      '« logo » doit être l’adresse d’une image en https://',
      '« titre » doit contenir au plus 80 caractères',
      '« rayon » doit valoir',
      '« foo » n’est pas un paramètre de recherche reconnu',
    ]) {
      expect(text, expected).toContain(expected);
    }
    const badFormat = await get('/embed/carte?territoire=35');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.body).toContain('s’écrit type:code');
  });

  it('shows the title and logo, allows only that logo origin, and links the colour theme', async () => {
    const res = await get('/embed/carte?titre=Lieux%20de%20Rennes&logo=https%3A%2F%2Fcdn.example.org%2Flogo.svg&couleur=%23E1000F');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<p class="maillage-embed-title">Lieux de Rennes</p>');
    expect(res.body).toContain('<img src="https://cdn.example.org/logo.svg" alt class="maillage-embed-logo"/>');
    expect(directive(res.headers['content-security-policy'], 'img-src')).toContain('https://cdn.example.org');
    expect(res.body).toContain('href="/embed/theme.css?couleur=%23e1000f"');
    const css = await get('/embed/theme.css?couleur=%23e1000f');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('--background-action-high-blue-france:#e1000f');
    expect((await get('/embed/theme.css?couleur=red')).statusCode).toBe(400);
  });

  it('serves the web component at a stable address that redirects to the fingerprinted file', async () => {
    const res = await get('/embed/maillage-carte.js');
    expect(res.statusCode).toBe(302);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/assets\/maillage-carte\.[\w-]{10}\.js$/);
    const script = await get(location);
    expect(script.statusCode).toBe(200);
    expect(script.headers['cache-control']).toContain('immutable');
    expect(script.body).toContain("customElements.define('maillage-carte'");
  });
});

describe('GET /integrer', () => {
  it('is a site page that other sites cannot frame', async () => {
    const res = await get('/integrer');
    expect(res.statusCode).toBe(200);
    expect(directive(res.headers['content-security-policy'], 'frame-ancestors')).toBe("frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.body).toContain('<option value="reseau-lyon">Réseau lyonnais (reseau-lyon)</option>');
  });

  it('is linked from the open data page', async () => {
    const res = await get('/donnees');
    expect(res.body).toContain('<a href="/integrer">générer le code d’intégration</a>');
  });

  it('writes the iframe and web component code with a preview', async () => {
    const res = await get('/integrer?territoire_type=departement&territoire_code=35&reseau=France+Services&titre=Nos+lieux&couleur=%23E1000F');
    expect(res.statusCode).toBe(200);
    const text = res.body.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
    const query = 'territoire=departement%3A35&reseau=France+Services&titre=Nos+lieux&couleur=%23e1000f';
    // The snippet is HTML: its attribute escapes & as &amp;.
    expect(text).toContain(`<iframe src="http://localhost:3000/embed/carte?${query.replace(/&/g, '&amp;')}" title="Nos lieux - Maillage"`);
    expect(text).toContain('<script src="http://localhost:3000/embed/maillage-carte.js" async></script>');
    expect(text).toContain('<maillage-carte territoire="departement:35" reseau="France Services" titre="Nos lieux" couleur="#e1000f">');
    expect(text).toContain(`<iframe class="maillage-embed-preview" src="/embed/carte?${query}"`);
    const fragment = await get('/integrer?territoire_type=region&territoire_code=53', { 'x-maillage-fragment': 'integration' });
    expect(fragment.body).toContain('territoire=region%3A53');
    expect(fragment.body).not.toContain('<html');
  });

  it('names the wrong field in French', async () => {
    const res = await get('/integrer?territoire_type=commune&territoire_code=00000&logo=ftp%3A%2F%2Fx&couleur=%23GGG');
    expect(res.statusCode).toBe(400);
    const text = res.body.replace(/&#39;|&rsquo;/g, '’');
    expect(text).toContain('aucun(e) commune n’a le code « 00000 »');
    expect(text).toContain('« logo » doit être l’adresse d’une image en https://');
    expect(text).toContain('« couleur » doit être une couleur hexadécimale');
    expect(text).not.toContain('maillage-embed-preview');
    const missing = await get('/integrer?territoire_code=35');
    expect(missing.body).toContain('Choisissez le type de territoire');
  });
});

describe('embed options', () => {
  it('accepts hex colours and https logos only', () => {
    expect(normaliseColour('#ABC')).toBe('#aabbcc');
    expect(normaliseColour('#000091')).toBe('#000091');
    expect(normaliseColour('000091')).toBeUndefined();
    expect(normaliseColour('#00009')).toBeUndefined();
    expect(parseLogo('https://example.org/a.png')).toBe('https://example.org/a.png');
    expect(parseLogo('http://example.org/a.png')).toBeUndefined();
    expect(parseLogo('javascript:alert(1)')).toBeUndefined();
    expect(parseLogo('https://user:pw@example.org/a.png')).toBeUndefined();
  });

  it('keeps links legible: a light colour changes backgrounds, with dark text, never link text', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    const light = themeCss('#ffd700');
    expect(light).toContain('--text-inverted-blue-france:#000000');
    expect(light).not.toContain('--text-action-high-blue-france');
    const dark = themeCss('#e1000f');
    expect(dark).toContain('--text-inverted-blue-france:#ffffff');
    expect(dark).toContain('--text-action-high-blue-france:#e1000f');
  });
});
