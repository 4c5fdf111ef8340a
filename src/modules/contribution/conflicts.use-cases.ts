// Import conflicts as a manager sees and settles them (table lieu_conflicts, written by the
// import pipeline: imports.conflicts.ts). "Garder ma valeur" closes the conflict; "Reprendre
// la valeur de la source" writes the source's value as the account's own edit (the same use
// case as the edit page) and closes it, in one transaction. Authorised here, not in routes.
import validator from 'validator';
import { inTransaction } from '../../db/join-transaction.ts';
import { NotFoundError } from '../../lib/errors.ts';
import { assertAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';
import { recordAudit } from '../audit/audit.use-cases.ts';
import { updateLieuAsAccount, type WriteContext } from '../lieux/lieux.account-writes.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { getLieu, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { labelOf } from './field-labels.ts';
import { shown } from './field-diff.ts';

export interface OpenConflict {
  id: string;
  lieu_id: string;
  field: string;
  label: string;
  source: string;
  /** The values as shown (lists joined), null when empty. */
  source_value: string | null;
  kept_value: string | null;
  updated_at: string;
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/**
 * The open conflicts of places the account may update. A conflict whose source value the place
 * already has (the manager typed it in) is left out: there is nothing left to decide.
 */
export async function openConflicts(deps: Pick<LieuxDeps, 'db'>, account: AccountPrincipal, places: readonly Lieu[]): Promise<OpenConflict[]> {
  for (const lieu of places) assertAuthorized(account, 'lieu.update', lieu);
  if (places.length === 0) return [];
  const byId = new Map(places.map((lieu) => [lieu.id, lieu as unknown as Record<string, unknown>]));
  const rows = await deps.db
    .selectFrom('lieu_conflicts')
    .innerJoin('sources', 'sources.id', 'lieu_conflicts.source_id')
    .select(['lieu_conflicts.id', 'lieu_id', 'field', 'sources.name as source', 'source_value', 'kept_value', 'lieu_conflicts.updated_at'])
    .where('lieu_id', 'in', [...byId.keys()])
    .where('status', '=', 'open')
    .orderBy('lieu_conflicts.updated_at', 'desc')
    .execute();
  return rows
    .filter((row) => !same(byId.get(row.lieu_id)?.[row.field], row.source_value))
    .map((row) => ({
      id: row.id,
      lieu_id: row.lieu_id,
      field: row.field,
      label: labelOf(row.field),
      source: row.source,
      source_value: shown(row.source_value),
      kept_value: shown(row.kept_value),
      updated_at: new Date(row.updated_at).toISOString(),
    }));
}

export type ConflictDecision = 'garder' | 'reprendre';

/** Settles one open conflict of a place the account may update; returns the place as it now is. */
export async function resolveConflict(deps: LieuxDeps, conflictId: string, decision: ConflictDecision, ctx: WriteContext): Promise<Lieu> {
  const unknown = new NotFoundError('Ce conflit n’existe pas ou a déjà été traité.');
  if (!validator.isUUID(conflictId)) throw unknown;
  return inTransaction(deps.db, async (trx) => {
    const conflict = await trx.selectFrom('lieu_conflicts').selectAll().where('id', '=', conflictId).where('status', '=', 'open').forUpdate().executeTakeFirst();
    if (!conflict) throw unknown;
    const lieu = await getLieu({ db: trx }, conflict.lieu_id);
    assertAuthorized(ctx.account, 'lieu.update', lieu);
    const after =
      decision === 'reprendre' ? await updateLieuAsAccount({ ...deps, db: trx }, lieu.id, { [conflict.field]: conflict.source_value }, ctx) : lieu;
    const now = deps.clock.now();
    await trx
      .updateTable('lieu_conflicts')
      .set({ status: 'resolved', resolution: decision === 'reprendre' ? 'taken' : 'kept', resolved_by: ctx.account.id, resolved_at: now })
      .where('id', '=', conflict.id)
      .execute();
    await recordAudit(trx, deps.clock, {
      account_id: ctx.account.id,
      action: decision === 'reprendre' ? 'lieu.conflict.take' : 'lieu.conflict.keep',
      target_type: 'lieu',
      target_id: lieu.id,
      ip: ctx.ip,
    });
    return after;
  });
}
