// Lets use cases that open their own transaction (`db.transaction().execute(…)`) run inside an
// outer one, so that a write and what must be recorded with it commit or roll back together.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.ts';

/** A Kysely handle on `trx` whose `transaction().execute(fn)` runs `fn` in `trx` itself. */
export function joinTransaction(trx: Transaction<Database>): Kysely<Database> {
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') return () => ({ execute: <T>(fn: (t: Transaction<Database>) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as Kysely<Database>;
}

/** Runs `fn` in a transaction of `db`, or in `db` itself when it already is one (joined or not). */
export async function inTransaction<T>(db: Kysely<Database> | Transaction<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(joinTransaction(db as Transaction<Database>));
  return db.transaction().execute((trx) => fn(joinTransaction(trx)));
}
