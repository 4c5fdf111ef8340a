// Every module that serves HTTP routes registers here, in order.
import type { App } from './app.ts';
import type { AppDeps } from './deps.ts';
import { registerAccountsApi } from '../modules/accounts/accounts.api.ts';
import { registerProConnectPages } from '../modules/accounts/proconnect.pages.ts';
import { registerLieuxAccountWritesApi } from '../modules/lieux/lieux.account-writes.api.ts';
import { registerSitePages } from '../web/pages/site.pages.ts';
import { registerSearchPages } from '../modules/search/search.pages.ts';
import { registerOrientationPages } from '../modules/search/orientation.pages.ts';
import { registerLieuxPages } from '../modules/lieux/lieux.pages.ts';
import { registerReportPages } from '../modules/reports/reports.pages.ts';
import { registerTerritoryPages } from '../modules/territories/territories.pages.ts';
import { registerTerritoriesApi } from '../modules/territories/territories.api.ts';
import { registerSearchApi } from '../modules/search/search.api.ts';
import { registerLieuxApi } from '../modules/lieux/lieux.api.ts';
import { registerImportsApi } from '../modules/imports/imports.api.ts';
import { registerDuplicatesApi } from '../modules/imports/imports.duplicates.api.ts';
import { registerSourcesApi } from '../modules/sources/sources.api.ts';
import { registerSourcePages } from '../modules/sources/sources.pages.ts';
import { registerApiKeys } from '../modules/api-keys/api-keys.pages.ts';
import { registerObservatoryApi } from '../modules/observatory/observatory.api.ts';
import { registerObservatoryPages } from '../modules/observatory/observatory.pages.ts';
import { registerExportsApi } from '../modules/exports/exports.api.ts';
import { registerExportPages } from '../modules/exports/exports.pages.tsx';
import { registerEmbedPages } from '../modules/embed/embed.pages.ts';
import { registerModerationPages } from '../modules/moderation/moderation.pages.ts';
import { registerPropositionPages } from '../modules/propositions/propositions.pages.ts';
import { registerFreshnessPages } from '../modules/freshness/freshness.pages.ts';
import { registerTerritoryPlacesPages } from '../modules/territory-places/territory-places.pages.ts';
import { registerAccountDataPages } from '../modules/accounts/account-data.pages.ts';
import { registerContributionPages } from '../modules/contribution/contribution.pages.ts';

export type RouteModule = (app: App, deps: AppDeps) => Promise<void> | void;

// registerAccountsApi first: it installs cookies, sessions and rate limiting for all routes.
export const routeModules: RouteModule[] = [registerAccountsApi, registerProConnectPages, registerLieuxAccountWritesApi, registerSitePages, registerSearchPages, registerOrientationPages, registerLieuxPages, registerReportPages, registerTerritoryPages, registerTerritoriesApi, registerImportsApi, registerDuplicatesApi, registerSourcesApi, registerSourcePages, registerApiKeys, registerLieuxApi, registerSearchApi, registerObservatoryApi, registerObservatoryPages, registerExportsApi, registerExportPages, registerEmbedPages, registerModerationPages, registerPropositionPages, registerFreshnessPages, registerTerritoryPlacesPages, registerAccountDataPages, registerContributionPages];
