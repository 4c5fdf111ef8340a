// Writes on places made by signed-in accounts: authorised here (not in routes), recorded in
// the place's history with the account as actor, and in the audit log.
import validator from 'validator';
import { standardFields, type Lieu } from './lieux.schema.ts';
import { createLieu, getLieu, unpublishLieu, updateLieu, type LieuxDeps } from './lieux.use-cases.ts';
import { validateLieu } from './lieux.validation.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { auditedWrite } from '../audit/audit.use-cases.ts';
import { assertAuthorized, type AccountPrincipal, type LieuTarget } from '../accounts/authorize.ts';

export interface WriteContext {
  account: AccountPrincipal;
  ip: string | null;
}

const targetOf = (lieu: LieuTarget & { id?: string }): LieuTarget => ({
  id: lieu.id,
  code_insee: lieu.code_insee,
  code_epci: lieu.code_epci,
  code_departement: lieu.code_departement,
  code_region: lieu.code_region,
});

/** The record updateLieu will validate: standard fields only, commune codes re-derived. */
function patchedRecord(current: Lieu, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const field of standardFields) merged[field] = (current as Record<string, unknown>)[field];
  Object.assign(merged, patch, { id: current.id });
  const touches = (field: string) => Object.prototype.hasOwnProperty.call(patch, field);
  if ((touches('commune') || touches('code_postal')) && !touches('code_insee')) merged.code_insee = null;
  return merged;
}

async function existing(deps: LieuxDeps, id: string): Promise<Lieu> {
  if (!validator.isUUID(id)) throw new NotFoundError(`Aucun lieu ne porte l’identifiant « ${id} ».`);
  return getLieu(deps, id);
}

export async function createLieuAsAccount(deps: LieuxDeps, raw: Record<string, unknown>, ctx: WriteContext): Promise<Lieu> {
  // The territory of a new place is only known once its commune is resolved.
  const preview = validateLieu(raw, deps.territories);
  if (!preview.ok) throw new ValidationError(preview.errors, 'Le lieu n’a pas été enregistré : certains champs ne sont pas valides.');
  assertAuthorized(ctx.account, 'lieu.create', targetOf({ ...preview.value, id: undefined }));
  return auditedWrite(
    deps,
    (db) => createLieu({ ...deps, db }, raw, { kind: 'account', id: ctx.account.id }),
    (lieu) => ({ account_id: ctx.account.id, action: 'lieu.create', target_type: 'lieu', target_id: lieu.id, ip: ctx.ip }),
  );
}

export async function updateLieuAsAccount(deps: LieuxDeps, id: string, patch: Record<string, unknown>, ctx: WriteContext): Promise<Lieu> {
  const current = await existing(deps, id);
  assertAuthorized(ctx.account, 'lieu.update', targetOf(current));
  // A territorial agent may not move a place out of its territory.
  if (ctx.account.role === 'agent_territorial') {
    const preview = validateLieu(patchedRecord(current, patch), deps.territories);
    if (preview.ok) assertAuthorized(ctx.account, 'lieu.update', targetOf({ ...preview.value, id: current.id }));
  }
  return auditedWrite(
    deps,
    (db) => updateLieu({ ...deps, db }, current.id, patch, { kind: 'account', id: ctx.account.id }),
    (lieu) => ({ account_id: ctx.account.id, action: 'lieu.update', target_type: 'lieu', target_id: lieu.id, ip: ctx.ip }),
  );
}

export async function unpublishLieuAsAccount(deps: LieuxDeps, id: string, ctx: WriteContext, reason?: string): Promise<Lieu> {
  const current = await existing(deps, id);
  assertAuthorized(ctx.account, 'lieu.unpublish', targetOf(current));
  return auditedWrite(
    deps,
    (db) => unpublishLieu({ ...deps, db }, current.id, { kind: 'account', id: ctx.account.id }, reason),
    (lieu) => ({ account_id: ctx.account.id, action: 'lieu.unpublish', target_type: 'lieu', target_id: lieu.id, ip: ctx.ip }),
  );
}
