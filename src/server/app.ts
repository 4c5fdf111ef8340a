// Builds the Fastify application from its dependencies; no I/O of its own, so tests can
// build as many apps as they need with `app.inject()`.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerOpenapi } from './plugins/openapi.ts';
import { registerStatic } from './plugins/static.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { renderHtmlError } from '../web/error-page.tsx';
import { routeModules } from './routes.ts';

/** The app type every route module receives: TypeBox schemas give typed requests. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Off unless configured: otherwise anyone could pick their own IP with X-Forwarded-For
    // and dodge the rate limits or forge the audit log's address.
    trustProxy: deps.config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    // Two info lines per request cost more than a search itself under load: requests are
    // logged once, at debug level (server errors at error level, see the hook below).
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onResponse', (request, reply, done) => {
    // The query string is left out: e-mailed links carry single-use tokens (?jeton=…).
    const line = { method: request.method, path: request.url.split('?')[0], statusCode: reply.statusCode, responseTime: reply.elapsedTime };
    if (reply.statusCode >= 500) request.log.error(line, 'request completed');
    else request.log.debug(line, 'request completed');
    done();
  });
  registerErrorHandling(app, renderHtmlError);
  registerSecurityHeaders(app, deps.config);
  await registerStatic(app, deps);
  await registerOpenapi(app);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  for (const register of routeModules) await register(app as App, deps);

  await app.ready();
  return app;
}
