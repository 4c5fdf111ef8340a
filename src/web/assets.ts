// The asset pipeline: every file the pages load gets a content-hashed URL
// (/assets/<name>.<hash>.<ext>), so it can be cached forever ("immutable") and a new
// release changes the URL. Text assets are compressed once, in memory, at first request.
// Only the DSFR parts the pages use are bundled, to keep transferred bytes low.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const dsfrDist = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const maplibreDist = path.join(path.dirname(require.resolve('maplibre-gl/package.json')), 'dist');
// The package exports no package.json: its main file is dist/DSFRChart/DSFRChart.umd.cjs.
const dsfrChartDist = path.dirname(path.dirname(require.resolve('@gouvfr/dsfr-chart')));
const ownAssets = path.join(path.dirname(new URL(import.meta.url).pathname), 'assets');

/** DSFR components whose CSS the pages need (order matters little: each file is scoped). */
export const DSFR_COMPONENTS = [
  'skiplink', 'logo', 'header', 'modal', 'navigation', 'footer', 'link', 'button', 'form', 'input', 'select',
  'checkbox', 'search', 'card', 'badge', 'tag', 'alert', 'breadcrumb', 'callout', 'table', 'download',
] as const;

/** DSFR icons used by our views and client code; only these are shipped. */
export const DSFR_ICONS = [
  'map-pin-2-line', 'time-line', 'phone-line', 'mail-line', 'calendar-line', 'search-line', 'arrow-left-line',
  'arrow-right-line', 'external-link-line', 'road-map-line', 'focus-3-line', 'error-warning-line',
  'checkbox-circle-line', 'close-circle-line', 'download-line', 'printer-line', 'share-line', 'links-line',
  'information-line', 'filter-line', 'map-pin-user-line', 'wheelchair-line', 'close-line', 'menu-fill', 'check-line',
  'arrow-down-s-line', 'arrow-up-s-line', 'alert-line',
  'checkbox-circle-fill', 'question-line', 'equalizer-line', 'flag-line', 'list-unordered',
] as const;

export interface Asset {
  url: string;
  contentType: string;
  body: Buffer;
  /** Compressed variants, computed on first use. */
  gzip?: Buffer;
  br?: Buffer;
  compressible: boolean;
}

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

function hashOf(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 10);
}

export class AssetStore {
  private readonly byUrl = new Map<string, Asset>();
  private readonly byName = new Map<string, string>();
  private readonly byFile = new Map<string, string>();

  /** The public URL of a named asset; throws on a typo so a broken link fails tests. */
  url(name: string): string {
    const url = this.byName.get(name);
    if (!url) throw new Error(`unknown asset ${name}`);
    return url;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(url: string): Asset | undefined {
    return this.byUrl.get(url);
  }

  /** Adds content under /assets/<base>.<hash><ext>. */
  add(name: string, body: Buffer | string, prefix = '/assets/'): string {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body;
    const ext = path.extname(name);
    const base = path.basename(name, ext);
    const url = `${prefix}${base}.${hashOf(buffer)}${ext}`;
    const contentType = contentTypes[ext] ?? 'application/octet-stream';
    this.byUrl.set(url, { url, contentType, body: buffer, compressible: !/^(font|image\/png)/.test(contentType) });
    this.byName.set(name, url);
    return url;
  }

  /** Adds a file once, keyed by its absolute path (fonts and icons referenced by CSS). */
  addFile(file: string, name = path.basename(file)): string {
    const known = this.byFile.get(file);
    if (known) return known;
    const url = this.add(name, fs.readFileSync(file));
    this.byFile.set(file, url);
    return url;
  }

  /** Files that must keep their names side by side (maplibre's worker is found relative to it). */
  addDirectory(name: string, dir: string, files: string[]): string {
    const hash = createHash('sha256');
    const bodies = files.map((f) => fs.readFileSync(path.join(dir, f)));
    for (const b of bodies) hash.update(b);
    const prefix = `/assets/${name}-${hash.digest('base64url').slice(0, 10)}/`;
    files.forEach((file, i) => {
      const url = `${prefix}${file}`;
      const ext = path.extname(file);
      const contentType = contentTypes[ext] ?? 'application/octet-stream';
      this.byUrl.set(url, { url, contentType, body: bodies[i]!, compressible: !contentType.startsWith('font') });
      this.byName.set(`${name}/${file}`, url);
    });
    return prefix;
  }

  /** The body in the best encoding the client accepts (br, then gzip), computed once. */
  encoded(asset: Asset, acceptEncoding: string): { body: Buffer; encoding?: 'br' | 'gzip' } {
    if (!asset.compressible || asset.body.length < 512) return { body: asset.body };
    if (/\bbr\b/.test(acceptEncoding)) {
      asset.br ??= zlib.brotliCompressSync(asset.body, {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 10, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length },
      });
      return { body: asset.br, encoding: 'br' };
    }
    if (/\bgzip\b/.test(acceptEncoding)) {
      asset.gzip ??= zlib.gzipSync(asset.body, { level: 9 });
      return { body: asset.gzip, encoding: 'gzip' };
    }
    return { body: asset.body };
  }
}

/** Rewrites url(...) references of a CSS file to hashed asset URLs. */
function rewriteCssUrls(store: AssetStore, css: string, fromDir: string): string {
  return css.replace(/url\((['"]?)([^)'"]+)\1\)/g, (whole, _q: string, ref: string) => {
    if (/^(data:|https?:|#|\/)/.test(ref)) return whole;
    const file = path.resolve(fromDir, ref.split(/[?#]/)[0]!);
    if (!fs.existsSync(file)) return whole;
    return `url(${store.addFile(file)})`;
  });
}

/**
 * DSFR declares ten Marianne faces (five weights, italics) of 58 KB each. We serve two
 * subsets (Latin-1, see fonts.subset.ts): 300/400 use Regular, 500/700 use Bold, and
 * italics are synthesised by the browser.
 */
function marianneFaces(store: AssetStore): string {
  const regular = store.addFile(path.join(ownAssets, 'fonts/Marianne-Regular-latin.woff2'));
  const bold = store.addFile(path.join(ownAssets, 'fonts/Marianne-Bold-latin.woff2'));
  const face = (weight: number, url: string) =>
    `@font-face{font-display:swap;font-family:Marianne;font-style:normal;font-weight:${weight};src:url(${url}) format("woff2")}`;
  return [face(300, regular), face(400, regular), face(500, bold), face(700, bold)].join('');
}

function readCss(store: AssetStore, file: string): string {
  // Drop the repeated licence banners but keep one (added once at the top of the bundle),
  // and DSFR's own Marianne faces (replaced by marianneFaces).
  const css = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*![\s\S]*?\*\//g, '')
    .replace(/@font-face\{[^}]*font-family:Marianne;[^}]*\}/g, '');
  return rewriteCssUrls(store, css, path.dirname(file));
}

function iconFile(name: string): string {
  const icons = path.join(dsfrDist, 'icons');
  for (const category of fs.readdirSync(icons)) {
    const file = path.join(icons, category, `${name}.svg`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`unknown DSFR icon ${name}`);
}

/** Only the icons we use, written the way DSFR's own icon utility writes them. */
function iconsCss(store: AssetStore): string {
  const rules: string[] = [];
  const forced: string[] = [];
  for (const name of DSFR_ICONS) {
    const url = store.addFile(iconFile(name));
    const sel = `.fr-icon-${name}:after,.fr-icon-${name}:before`;
    rules.push(`${sel}{-webkit-mask-image:url(${url});mask-image:url(${url})}`);
    forced.push(`${sel}{background-image:url(${url})}`);
  }
  return `${rules.join('')}@media (forced-colors:active){${forced.join('')}}`;
}

function dsfrJs(): string {
  // DSFR's module files are scripts sharing window.dsfr; blocks keep their top-level names apart.
  const files = ['core/core.module.min.js', 'component/header/header.module.min.js', 'component/modal/modal.module.min.js',
    'component/navigation/navigation.module.min.js'];
  const banner = fs.readFileSync(path.join(dsfrDist, files[0]!), 'utf8').match(/^\/\*![\s\S]*?\*\//)?.[0] ?? '';
  return `${banner}\n${files.map((f) => `{\n${fs.readFileSync(path.join(dsfrDist, f), 'utf8').replace(/^\/\*![\s\S]*?\*\//, '')}\n}`).join('\n')}`;
}

/**
 * One of our scripts, its imports of sibling modules (`from './x.js'`) pointing at their hashed
 * URLs: shared code is a module of its own, cached once, and still served from this origin
 * (CSP: own scripts only). A module must be added before the scripts that import it.
 */
function ownScript(store: AssetStore, file: string): string {
  return fs.readFileSync(path.join(ownAssets, file), 'utf8').replace(/(\bfrom\s*)(['"])\.\/([\w.-]+\.js)\2/g, (_whole, from: string, q: string, name: string) => `${from}${q}${store.url(name)}${q}`);
}

export interface AssetOptions {
  /** Simplified contours of France for the offline map background, when present. */
  contoursFile?: string;
}

export function buildAssetStore(options: AssetOptions = {}): AssetStore {
  const store = new AssetStore();
  const banner = '/*! DSFR v1.15.3 | SPDX-License-Identifier: Etalab-2.0 | License-Filename: LICENSE.md | restricted use (see terms and conditions) */\n';
  const core = readCss(store, path.join(dsfrDist, 'core/core.min.css'));
  const parts = [
    marianneFaces(store) + core,
    ...DSFR_COMPONENTS.map((c) => readCss(store, path.join(dsfrDist, `component/${c}/${c}.min.css`))),
    iconsCss(store),
    rewriteCssUrls(store, fs.readFileSync(path.join(ownAssets, 'site.css'), 'utf8'), ownAssets),
  ];
  store.add('site.css', banner + parts.join('\n'));
  store.add('print.css', fs.readFileSync(path.join(ownAssets, 'print.css')));
  // Orientation pages only: the DSFR stepper and radios stay out of every other page's bundle.
  store.add('orientation.css', [
    ...(['stepper', 'radio'] as const).map((c) => readCss(store, path.join(dsfrDist, `component/${c}/${c}.min.css`))),
    fs.readFileSync(path.join(ownAssets, 'orientation.css'), 'utf8'),
  ].join('\n'));
  store.add('dsfr.js', dsfrJs());
  // map-base.js first: map.js and propose.js import it by its hashed URL.
  for (const file of ['app.js', 'map-base.js', 'map.js', 'orientation.js', 'propose.js']) store.add(file, ownScript(store, file));
  for (const file of ['embed.js', 'maillage-carte.js', 'integrer.js', 'embed.css']) store.add(file, fs.readFileSync(path.join(ownAssets, file)));
  // Observatory pages only: DSFR Chart's bar chart (a self-contained web component) and the table sorting.
  store.add('bar-chart.js', fs.readFileSync(path.join(dsfrChartDist, 'BarChart/BarChart.js')));
  store.add('bar-chart.css', fs.readFileSync(path.join(dsfrChartDist, 'BarChart/BarChart.css')));
  for (const file of ['observatory.js', 'observatory.css']) store.add(file, fs.readFileSync(path.join(ownAssets, file)));
  store.add('maplibre-gl.css', fs.readFileSync(path.join(maplibreDist, 'maplibre-gl.css')));
  store.addDirectory('maplibre-gl', maplibreDist, ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl-shared.mjs']);
  store.addFile(path.join(dsfrDist, 'favicon/favicon.svg'), 'favicon.svg');
  store.addFile(path.join(dsfrDist, 'favicon/favicon.ico'), 'favicon.ico');
  store.addFile(path.join(dsfrDist, 'favicon/apple-touch-icon.png'), 'apple-touch-icon.png');
  if (options.contoursFile && fs.existsSync(options.contoursFile)) {
    store.add('contours.geojson', fs.readFileSync(options.contoursFile));
  }
  return store;
}
