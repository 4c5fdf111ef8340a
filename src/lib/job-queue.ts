// Background jobs on PostgreSQL with pg-boss 10 (ADR 0004). pg-boss talks to the database
// through the platform's own Kysely pool (its `db.executeSql` option), so the same code runs
// on a PostgreSQL server and on embedded PGlite: on PGlite the pool has one connection, so
// pg-boss's queries wait for an import transaction instead of slipping inside it.
import { CompiledQuery, sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';

export interface JobQueueOptions {
  /** Installs and migrates pg-boss's tables (idempotent). */
  migrate?: boolean;
  /** Maintenance timers (expiry of stuck jobs, archiving): on for a worker, off for a client. */
  supervise?: boolean;
}

/**
 * pg-boss's tables live in their own schema: `pgboss` beside `public`, or, when the store
 * uses another schema (each PostgreSQL test file has one), that same schema, so dropping
 * a test schema drops its jobs too.
 */
export async function jobSchemaOf(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const current = rows[0]?.schema ?? 'public';
  return current === 'public' ? 'pgboss' : current;
}

/** The pg-boss `db` adapter: every statement through the Kysely pool. */
export function kyselyExecutor(db: Kysely<any>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as any[] };
    },
  };
}

export async function openJobQueue(db: Kysely<any>, options: JobQueueOptions = {}): Promise<{ boss: PgBoss; schema: string }> {
  const schema = await jobSchemaOf(db);
  const boss = new PgBoss({
    db: kyselyExecutor(db),
    schema,
    migrate: options.migrate ?? true,
    supervise: options.supervise ?? false,
    // Per-source cron is ours (pg-boss 10 keeps one schedule per queue name).
    schedule: false,
  });
  // pg-boss reports background errors (maintenance, polling) as events; an 'error' event
  // without a listener would crash the process. Workers add a listener that logs them.
  boss.on('error', () => {});
  await boss.start();
  return { boss, schema };
}
