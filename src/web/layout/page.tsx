import type { ComponentChildren } from 'preact';
import type { AssetStore } from '../assets.ts';
import { SkipLinks } from '../components/skiplinks.tsx';
import { Header } from '../components/header.tsx';
import { Footer } from '../components/footer.tsx';

// The DSFR shell of every page: head with fingerprinted assets, skip links, header, one
// <main>, footer. Scripts are modules (deferred, ignored by old browsers): pages work without.

export const SERVICE_NAME = 'Maillage';
export const TAGLINE = 'Trouver un lieu pour être accompagné dans ses usages numériques';

export interface PageContext {
  assets: AssetStore;
  /** Path of the current request, to mark the current menu entry. */
  path: string;
}

export interface PageProps {
  ctx: PageContext;
  title: string;
  description?: string;
  /** Extra scripts by asset name (e.g. the map) and data passed to them. */
  scripts?: string[];
  styles?: string[];
  canonical?: string;
  noindex?: boolean;
  children: ComponentChildren;
}

const nav = [
  { href: '/', label: 'Trouver un lieu' },
  { href: '/orientation', label: 'Orienter une personne' },
  { href: '/territoires', label: 'Les lieux par territoire' },
  { href: '/donnees', label: 'Données ouvertes' },
];

export const legalLinks = [
  { href: '/accessibilite', label: 'Accessibilité : partiellement conforme' },
  { href: '/mentions-legales', label: 'Mentions légales' },
  { href: '/donnees-personnelles', label: 'Données personnelles' },
  { href: '/api/v1/documentation', label: 'API' },
];

function isCurrent(href: string, path: string): boolean {
  if (href === '/') return path === '/' || path.startsWith('/recherche');
  return path === href || path.startsWith(`${href}/`);
}

export function Page({ ctx, title, description, scripts = [], styles = [], canonical, noindex, children }: PageProps) {
  const { assets } = ctx;
  return (
    <html lang="fr" data-fr-scheme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <title>{`${title} - ${SERVICE_NAME}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        {noindex ? <meta name="robots" content="noindex" /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        <meta name="theme-color" content="#000091" />
        <link rel="stylesheet" href={assets.url('site.css')} />
        <link rel="stylesheet" href={assets.url('print.css')} media="print" />
        {styles.map((s) => (
          <link rel="stylesheet" href={assets.url(s)} />
        ))}
        <link rel="icon" href={assets.url('favicon.svg')} type="image/svg+xml" />
        <link rel="shortcut icon" href={assets.url('favicon.ico')} type="image/x-icon" />
        <link rel="apple-touch-icon" href={assets.url('apple-touch-icon.png')} />
        <script type="module" src={assets.url('dsfr.js')}></script>
        <script type="module" src={assets.url('app.js')}></script>
        {scripts.map((s) => (
          <script type="module" src={assets.url(s)}></script>
        ))}
      </head>
      <body>
        <SkipLinks
          links={[
            { href: '#contenu', label: 'Contenu' },
            { href: '#navigation', label: 'Menu' },
            { href: '#pied-de-page', label: 'Pied de page' },
          ]}
        />
        <Header
          serviceName={SERVICE_NAME}
          tagline={TAGLINE}
          tools={[{ href: '/donnees', label: 'Données ouvertes', icon: 'download-line' }]}
          nav={nav.map((n) => ({ ...n, current: isCurrent(n.href, ctx.path) }))}
        />
        <main role="main" id="contenu" tabIndex={-1}>
          {children}
        </main>
        <Footer
          description="Maillage recense les lieux de médiation numérique de France : des lieux où l’on peut être aidé pour ses démarches en ligne, apprendre à se servir d’un ordinateur ou d’un téléphone, ou accéder à internet."
          bottomLinks={legalLinks}
        />
      </body>
    </html>
  );
}
