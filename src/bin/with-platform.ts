import type { Config } from '../server/config.ts';
import type { AppDeps } from '../server/deps.ts';
import { bootstrap, shutdown } from '../server/bootstrap.ts';

/** Opens the platform for one command and always closes it, so no command leaves the store open. */
export async function withPlatform(config: Config, run: (deps: AppDeps) => Promise<unknown>): Promise<void> {
  const deps = await bootstrap(config);
  try {
    await run(deps);
  } finally {
    await shutdown(deps);
  }
}
