// Every module that serves HTTP routes registers here, in order.
import type { App } from './app.ts';
import type { AppDeps } from './deps.ts';
import { registerSitePages } from '../web/pages/site.pages.ts';

export type RouteModule = (app: App, deps: AppDeps) => Promise<void> | void;

export const routeModules: RouteModule[] = [registerSitePages];
