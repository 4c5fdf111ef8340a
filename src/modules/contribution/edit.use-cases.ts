// Editing a place from its edit page: open it (authorised), preview what a submitted form
// changes (the real write, rolled back, so the diff shown is exactly what saving does), save.
// The write itself is updateLieuAsAccount: authorisation, history, audit, change feed.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { DomainError } from '../../lib/errors.ts';
import { assertAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';
import { updateLieuAsAccount, type WriteContext } from '../lieux/lieux.account-writes.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { diff, getLieu, recordOf, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import type { LieuValue } from '../lieux/lieux.schema.ts';
import { patchOf, type FormValues } from './edit-form.ts';
import { fieldDiff, type FieldDiff } from './field-diff.ts';

export type EditDeps = LieuxDeps & { db: Kysely<Database> };

/** The place, if the account may update it (403 otherwise, 404 for an unknown id). */
export async function placeForEdit(deps: Pick<LieuxDeps, 'db'>, id: string, account: AccountPrincipal): Promise<Lieu> {
  const lieu = await getLieu(deps, id);
  assertAuthorized(account, 'lieu.update', lieu);
  return lieu;
}

class PreviewRollback extends Error {
  constructor(readonly after: Lieu) {
    super('preview');
  }
}

export interface EditPreview {
  lieu: Lieu;
  /** Empty: the form changes nothing. */
  changes: FieldDiff[];
}

const changesBetween = (before: Lieu, after: Lieu): FieldDiff[] =>
  fieldDiff(diff(recordOf(before as unknown as LieuValue) as Record<string, unknown>, recordOf(after as unknown as LieuValue) as Record<string, unknown>));

/**
 * What saving the form would change: updateLieuAsAccount run in a transaction that is rolled
 * back (validation and authorisation errors are thrown as on save).
 */
export async function previewEdit(deps: EditDeps, id: string, form: FormValues, ctx: WriteContext): Promise<EditPreview> {
  const lieu = await placeForEdit(deps, id, ctx.account);
  const patch = patchOf(lieu, form);
  if (Object.keys(patch).length === 0) return { lieu, changes: [] };
  try {
    await deps.db.transaction().execute(async (trx) => {
      throw new PreviewRollback(await updateLieuAsAccount({ ...deps, db: trx }, lieu.id, patch, ctx));
    });
  } catch (error) {
    if (error instanceof PreviewRollback) return { lieu, changes: changesBetween(lieu, error.after) };
    throw error;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

export class StaleEditError extends DomainError {
  constructor() {
    super('stale_edit', 'Ce lieu a été modifié par ailleurs depuis que vous avez vérifié vos modifications : vérifiez-les de nouveau avant d’enregistrer.', 409);
  }
}

/**
 * Saves the form. `seenAt`: the place's updated_at when its diff was shown; if the place changed
 * since, nothing is written (StaleEditError) so that what is saved is what was confirmed.
 */
export async function saveEdit(deps: EditDeps, id: string, form: FormValues, ctx: WriteContext, seenAt?: string): Promise<{ lieu: Lieu; changes: FieldDiff[] }> {
  const lieu = await placeForEdit(deps, id, ctx.account);
  if (seenAt !== undefined && seenAt !== lieu.updated_at) throw new StaleEditError();
  const patch = patchOf(lieu, form);
  if (Object.keys(patch).length === 0) return { lieu, changes: [] };
  const after = await updateLieuAsAccount(deps, lieu.id, patch, ctx);
  return { lieu: after, changes: changesBetween(lieu, after) };
}
