// What the app needs from the outside world, built once by bin/ (or a test) and passed down.
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from '../db/database.ts';
import type { DbHandle } from '../db/kysely.ts';
import type { Logger } from '../lib/logger.ts';
import type { Clock } from '../lib/clock.ts';
import type { Territories } from '../modules/territories/territories.types.ts';
import type { SearchIndex } from '../modules/search/search-index.ts';
import type { Mailer } from '../lib/mailer.ts';
import type { Geocoder } from '../modules/imports/imports.geocoder.ts';

export interface AppDeps {
  config: Config;
  db: Kysely<Database>;
  dbHandle: DbHandle;
  logger: Logger;
  clock: Clock;
  territories: Territories;
  /** In-memory search read model of this process, kept fresh from the change log. */
  search: SearchIndex;
  /** Outgoing e-mail (account links); built from config when absent. */
  mailer?: Mailer;
  /** Address geocoder for imports (MAILLAGE_GEOCODER_URL); null or absent: disabled, commune centres only. */
  geocoder?: Geocoder | null;
}
