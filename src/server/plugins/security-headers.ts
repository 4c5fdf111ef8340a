// Content-Security-Policy on every HTML response. Pages load only their own fingerprinted
// scripts (no inline script anywhere, so no nonce or hash is needed), MapLibre runs its
// worker from a module file or a blob, and the map background may come from the configured
// tile server. Pages cannot be framed by other sites (clickjacking on the report form…),
// except the embeddable map, whose route sends its own policy (see embedPolicy).
import type { FastifyInstance } from 'fastify';
import type { Config, ProConnectConfig } from '../config.ts';

export interface PolicyOptions {
  /** `'self'` for every page; `*` for the embeddable map. */
  frameAncestors: string;
  /** Extra image origins (the logo of an embedded map). */
  imgSrc?: string[];
  /** Inline styles allowed (Swagger UI injects a <style> element); scripts stay strict. */
  inlineStyles?: boolean;
}

/** The origin of the tile URL template, or nothing when the map background is offline. */
export function tilesOrigin(config: Pick<Config, 'mapTilesUrl'>): string | undefined {
  if (!config.mapTilesUrl) return undefined;
  try {
    // The template holds {z}/{x}/{y}, maybe a {s} subdomain (a CSP wildcard): only its origin matters.
    const url = new URL(config.mapTilesUrl.replace('{s}', 'sous-domaine').replace(/\{[^}]*\}/g, '0'));
    return url.origin.replace('sous-domaine', '*');
  } catch {
    return undefined;
  }
}

type PolicyConfig = Pick<Config, 'mapTilesUrl'> & { proconnect?: Pick<ProConnectConfig, 'issuer'> | null };

export function contentSecurityPolicy(config: PolicyConfig, options: PolicyOptions): string {
  const tiles = tilesOrigin(config);
  // ProConnect sign-in and sign-out are forms answered by a redirect to the provider, and
  // form-action also governs redirects: its origin must be allowed there.
  const proconnect = config.proconnect ? new URL(config.proconnect.issuer).origin : undefined;
  const extra = (list: (string | undefined)[]) => list.filter((s): s is string => Boolean(s)).join(' ');
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    // MapLibre sizes its canvas and places markers through element.style (CSSOM, allowed);
    // no page has a style attribute or element.
    options.inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    `img-src 'self' data: blob: ${extra([tiles, ...(options.imgSrc ?? [])])}`.trim(),
    "font-src 'self'",
    `connect-src 'self' ${extra([tiles])}`.trim(),
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${extra([proconnect])}`.trim(),
    "manifest-src 'self'",
    `frame-ancestors ${options.frameAncestors}`,
  ];
  return directives.join('; ');
}

export function registerSecurityHeaders(app: FastifyInstance, config: PolicyConfig): void {
  const pagePolicy = contentSecurityPolicy(config, { frameAncestors: "'self'" });
  const apiDocsPolicy = contentSecurityPolicy(config, { frameAncestors: "'self'", inlineStyles: true });
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('text/html')) return payload;
    // A route that set its own policy (the embeddable map) keeps it.
    if (reply.hasHeader('content-security-policy')) return payload;
    reply.header('content-security-policy', request.url.startsWith('/api/v1/documentation') ? apiDocsPolicy : pagePolicy);
    // Browsers without frame-ancestors support (old IE/Edge) read this one.
    reply.header('x-frame-options', 'SAMEORIGIN');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    return payload;
  });
}
