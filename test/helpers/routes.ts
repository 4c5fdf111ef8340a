// Lists the routes an app really serves, for tests that must cover every write route.
// Fastify 5 has no public route list (printRoutes is a drawing), and buildApp() calls ready(),
// after which an onRoute hook sees nothing: the hook is installed by a route module put
// first in `routeModules` for the time of one build.
import { routeModules, type RouteModule } from '../../src/server/routes.ts';
import { buildTestApp, type TestApp } from './app.ts';

export const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Builds a test app and returns it with its write routes, as 'METHOD /url/:param' strings, sorted. */
export async function buildTestAppListingWriteRoutes(options: Parameters<typeof buildTestApp>[0] = {}): Promise<{ t: TestApp; writeRoutes: string[] }> {
  const seen = new Set<string>();
  const recorder: RouteModule = (app) => {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) if ((WRITE_METHODS as readonly string[]).includes(method)) seen.add(`${method} ${route.url}`);
    });
  };
  routeModules.unshift(recorder);
  try {
    const t = await buildTestApp(options);
    return { t, writeRoutes: [...seen].sort() };
  } finally {
    routeModules.splice(routeModules.indexOf(recorder), 1);
  }
}
