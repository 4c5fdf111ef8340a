// The only place that reads process.env: every setting is parsed and validated once here.
import net from 'node:net';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** postgres://… for a PostgreSQL server; undefined means embedded PGlite. */
  databaseUrl: string | undefined;
  /** Folder holding PGlite files and other local state. */
  dataDir: string;
  /** Folder holding the official reference files (commune centres, QPV, contours…). */
  referenceDir: string;
  /** Seed demonstration places when the registry is empty. */
  seedDemo: boolean;
  logLevel: string;
  /** Public base URL, used in links of exports and e-mails. */
  publicUrl: string;
  /** Raster tile URL template of the map background ({z}/{x}/{y}); none: offline contours only. */
  mapTilesUrl: string | undefined;
  mapTilesAttribution: string;
  /** Places within this distance (metres) of a QPV contour are linked to it as "proche". */
  qpvProximityM: number;
  /** Base URLs of the official reference data services (`maillage data download`); tests point them at 127.0.0.1. */
  referenceUrls: { geoApi: string; dataGouv: string; contours: string };
  /** smtp://user:pass@host:port of the outgoing mail server; undefined: e-mails are only logged (development). */
  smtpUrl: string | undefined;
  /** Sender of account e-mails. */
  mailFrom: string;
  /**
   * Which proxies' X-Forwarded-For/-Proto headers are believed (`MAILLAGE_TRUST_PROXY`): false
   * (default: the peer's address is the client's) or the proxies' addresses/CIDRs (or the
   * proxy-addr names loopback, linklocal, uniquelocal). Rate limits and the audit log's IP use
   * the address this yields.
   */
  trustProxy: false | string[];
  /** Requests per minute and per IP on sign-in, sign-up and password reset. */
  authRateLimitPerMinute: number;
  /** Address geocoder (BAN API) for imported places without usable coordinates; null: disabled (offline, commune centres). */
  geocoderUrl: string | null;
  /** Scheduled source syncs (`MAILLAGE_JOBS`): `serve` runs the worker and the scheduler when enabled. */
  jobs: { enabled: boolean; retryLimit: number; retryDelaySeconds: number };
  /**
   * `MAILLAGE_SOURCES_ALLOW_PRIVATE` (default false): source URLs may point to loopback, private
   * or link-local addresses. Off, the server refuses them (SSRF); on for intranet feeds and tests.
   */
  sourcesAllowPrivate: boolean;
  /** Freshness of places (months since date_maj) and reminder e-mails to their managers. */
  freshness: { staleMonths: number; oldMonths: number; reminderIntervalDays: number; linkValidityDays: number };
  /** ProConnect (OpenID Connect sign-in of public agents); null: not offered (MAILLAGE_PROCONNECT_ISSUER unset). */
  proconnect: ProConnectConfig | null;
}

export interface ProConnectConfig {
  /** Issuer URL; its /.well-known/openid-configuration is read at first use. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where ProConnect sends the browser back (registered with ProConnect). */
  redirectUri: string;
  /** Where ProConnect sends the browser after signing out there (registered too). */
  postLogoutRedirectUri: string;
}

export class ConfigError extends Error {}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT doit être un entier entre 0 et 65535 (reçu « ${value} »)`);
  }
  return port;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'oui'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'non'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${name} doit valoir true ou false (reçu « ${value} »)`);
}

function parseDistance(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const metres = Number(value);
  if (!Number.isFinite(metres) || metres < 0 || metres > 10_000) {
    throw new ConfigError(`${name} doit être une distance en mètres entre 0 et 10000 (reçu « ${value} »)`);
  }
  return metres;
}

function parseCount(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`${name} doit être un entier entre 0 et ${max} (reçu « ${value} »)`);
  return n;
}

const trustProxyNames = ['loopback', 'linklocal', 'uniquelocal'];

// Fastify ignores a hop count (it cannot check the immediate peer), hence addresses only.
function parseTrustProxy(value: string | undefined): false | string[] {
  const text = value?.trim() ?? '';
  if (text === '' || ['off', 'false', 'non', 'no'].includes(text.toLowerCase())) return false;
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (trustProxyNames.includes(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = net.isIP(address ?? '');
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(`MAILLAGE_TRUST_PROXY doit valoir off ou la liste, séparée par des virgules, des adresses IP ou plages CIDR des proxys (ou loopback, linklocal, uniquelocal) (entrée invalide : « ${entry} »)`);
    }
  }
  return entries;
}

function parseGeocoderUrl(value: string | undefined): string | null {
  const url = value?.trim() || 'https://api-adresse.data.gouv.fr';
  if (['off', 'false', 'non', 'no', '0', 'none'].includes(url.toLowerCase())) return null;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new ConfigError(`MAILLAGE_GEOCODER_URL doit être une URL http(s) ou « off » (reçu « ${url} »)`);
  return url.replace(/\/+$/, '');
}

function parseProConnect(env: NodeJS.ProcessEnv, publicUrl: string): ProConnectConfig | null {
  const issuer = env.MAILLAGE_PROCONNECT_ISSUER?.trim();
  if (!issuer) return null;
  if (!/^https?:\/\/[^/]/i.test(issuer)) throw new ConfigError(`MAILLAGE_PROCONNECT_ISSUER doit être une URL http(s) (reçu « ${issuer} »)`);
  const clientId = env.MAILLAGE_PROCONNECT_CLIENT_ID?.trim();
  const clientSecret = env.MAILLAGE_PROCONNECT_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new ConfigError('MAILLAGE_PROCONNECT_CLIENT_ID et MAILLAGE_PROCONNECT_CLIENT_SECRET sont obligatoires quand MAILLAGE_PROCONNECT_ISSUER est défini');
  }
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri: env.MAILLAGE_PROCONNECT_REDIRECT_URI?.trim() || `${publicUrl}/connexion/proconnect/retour`,
    postLogoutRedirectUri: env.MAILLAGE_PROCONNECT_POST_LOGOUT_URI?.trim() || `${publicUrl}/`,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL doit commencer par postgres:// ou postgresql://');
  }
  const dataDir = path.resolve(cwd, env.MAILLAGE_DATA_DIR || 'var');
  const port = parsePort(env.PORT, 3000);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    referenceDir: path.resolve(cwd, env.MAILLAGE_REFERENCE_DIR || path.join(dataDir, 'reference')),
    seedDemo: parseBoolean('MAILLAGE_SEED_DEMO', env.MAILLAGE_SEED_DEMO, true),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    qpvProximityM: parseDistance('MAILLAGE_QPV_DISTANCE_M', env.MAILLAGE_QPV_DISTANCE_M, 300),
    referenceUrls: {
      geoApi: (env.MAILLAGE_GEO_API_URL || 'https://geo.api.gouv.fr').replace(/\/$/, ''),
      dataGouv: (env.MAILLAGE_DATA_GOUV_URL || 'https://www.data.gouv.fr').replace(/\/$/, ''),
      contours: (env.MAILLAGE_CONTOURS_URL || 'https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/geojson').replace(/\/$/, ''),
    },
    publicUrl: (env.MAILLAGE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    mapTilesUrl: env.MAILLAGE_MAP_TILES_URL?.trim() || undefined,
    mapTilesAttribution: env.MAILLAGE_MAP_ATTRIBUTION ?? '© les contributeurs d’OpenStreetMap',
    smtpUrl: env.MAILLAGE_SMTP_URL?.trim() || undefined,
    mailFrom: env.MAILLAGE_MAIL_FROM || 'Maillage <ne-pas-repondre@maillage.local>',
    trustProxy: parseTrustProxy(env.MAILLAGE_TRUST_PROXY),
    authRateLimitPerMinute: parsePort(env.MAILLAGE_AUTH_RATE_LIMIT, 10),
    geocoderUrl: parseGeocoderUrl(env.MAILLAGE_GEOCODER_URL),
    jobs: {
      enabled: parseBoolean('MAILLAGE_JOBS', env.MAILLAGE_JOBS?.replace(/^on$/i, 'true').replace(/^off$/i, 'false'), true),
      retryLimit: parseCount('MAILLAGE_JOBS_RETRY_LIMIT', env.MAILLAGE_JOBS_RETRY_LIMIT, 3, 20),
      retryDelaySeconds: parseCount('MAILLAGE_JOBS_RETRY_DELAY', env.MAILLAGE_JOBS_RETRY_DELAY, 60, 86_400),
    },
    sourcesAllowPrivate: parseBoolean('MAILLAGE_SOURCES_ALLOW_PRIVATE', env.MAILLAGE_SOURCES_ALLOW_PRIVATE, false),
    freshness: {
      staleMonths: parseCount('MAILLAGE_FRAICHEUR_A_VERIFIER_MOIS', env.MAILLAGE_FRAICHEUR_A_VERIFIER_MOIS, 6, 120),
      oldMonths: parseCount('MAILLAGE_FRAICHEUR_ANCIENNE_MOIS', env.MAILLAGE_FRAICHEUR_ANCIENNE_MOIS, 12, 240),
      reminderIntervalDays: parseCount('MAILLAGE_FRAICHEUR_RAPPEL_JOURS', env.MAILLAGE_FRAICHEUR_RAPPEL_JOURS, 30, 365),
      linkValidityDays: parseCount('MAILLAGE_FRAICHEUR_LIEN_JOURS', env.MAILLAGE_FRAICHEUR_LIEN_JOURS, 30, 365),
    },
    proconnect: parseProConnect(env, (env.MAILLAGE_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '')),
  };
}
