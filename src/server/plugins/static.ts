// Serves the fingerprinted assets from memory with immutable cache headers and pre-computed
// compression, and compresses every other response (pages, API) with @fastify/compress.
import path from 'node:path';
import compress from '@fastify/compress';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildAssetStore, type AssetStore } from '../../web/assets.ts';
import type { PageContext } from '../../web/layout/page.tsx';
import type { AppDeps } from '../deps.ts';

declare module 'fastify' {
  interface FastifyInstance {
    assets: AssetStore;
  }
}

let cached: { key: string; store: AssetStore } | undefined;

/** Building the bundle reads a few MB of files: do it once per process and contours file. */
function assetStoreFor(contoursFile: string): AssetStore {
  if (cached?.key !== contoursFile) cached = { key: contoursFile, store: buildAssetStore({ contoursFile }) };
  return cached.store;
}

export function contoursFileOf(deps: AppDeps): string {
  return path.join(deps.config.referenceDir, 'contours', 'departements-version-simplifiee.geojson');
}

export async function registerStatic(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const store = assetStoreFor(contoursFileOf(deps));
  app.decorate('assets', store);
  // Assets are compressed once by the store; @fastify/compress handles dynamic responses.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

  app.get('/assets/*', { schema: { hide: true }, config: { compress: false } } as never, async (request, reply) => {
    const asset = store.get(request.url.split('?')[0]!);
    if (!asset) {
      reply.header('cache-control', 'no-store');
      return reply.callNotFound();
    }
    const { body, encoding } = store.encoded(asset, String(request.headers['accept-encoding'] ?? ''));
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff')
      .type(asset.contentType);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(body);
  });

  // Browsers ask for /favicon.ico on their own.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.redirect(store.url('favicon.ico'), 301),
  );
}

export function pageContext(request: FastifyRequest): PageContext {
  return { assets: request.server.assets, path: request.url.split('?')[0] ?? '/' };
}
