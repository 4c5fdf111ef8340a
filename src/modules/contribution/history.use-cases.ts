// A place's history as its manager reads it: each version, newest first, with who made it (the
// reader's own edits as "vous", other accounts by their role only, never an e-mail; sources
// by name), when, and the field diff.
import validator from 'validator';
import type { AccountPrincipal } from '../accounts/authorize.ts';
import { roleLabels } from '../accounts/authorize.ts';
import type { Lieu } from '../lieux/lieux.schema.ts';
import { listLieuVersions, type LieuVersion, type LieuxDeps } from '../lieux/lieux.use-cases.ts';
import { placeForEdit } from './edit.use-cases.ts';
import { fieldDiff, type FieldDiff } from './field-diff.ts';

export interface HistoryEntry {
  version: number;
  changed_at: string;
  action: LieuVersion['action'];
  /** "Vous", "Un compte modérateur", "Source « cd39 » (Département du Jura)"… */
  actor: string;
  own: boolean;
  reason: string | null;
  changes: FieldDiff[];
}

export async function placeHistory(deps: Pick<LieuxDeps, 'db'>, id: string, account: AccountPrincipal): Promise<{ lieu: Lieu; entries: HistoryEntry[] }> {
  const lieu = await placeForEdit(deps, id, account);
  const versions = await listLieuVersions(deps, lieu.id);
  const ids = (kind: LieuVersion['actor_kind']) => [...new Set(versions.filter((v) => v.actor_kind === kind && v.actor_id && validator.isUUID(v.actor_id)).map((v) => v.actor_id!))];
  const accountIds = ids('account');
  const sourceIds = ids('source');
  const roles = new Map(
    accountIds.length ? (await deps.db.selectFrom('accounts').select(['id', 'role']).where('id', 'in', accountIds).execute()).map((a) => [a.id, a.role]) : [],
  );
  const sources = new Map(
    sourceIds.length ? (await deps.db.selectFrom('sources').select(['id', 'name', 'producer']).where('id', 'in', sourceIds).execute()).map((s) => [s.id, s]) : [],
  );
  const actorOf = (v: LieuVersion): string => {
    switch (v.actor_kind) {
      case 'account': {
        if (v.actor_id === account.id) return 'Vous';
        const role = v.actor_id ? roles.get(v.actor_id) : undefined;
        return role ? `Un compte ${roleLabels[role]}` : 'Un compte supprimé';
      }
      case 'source': {
        const source = v.actor_id ? sources.get(v.actor_id) : undefined;
        return source ? `Source « ${source.name} » (${source.producer})` : 'Une source supprimée';
      }
      case 'cli':
        return 'L’équipe Maillage';
      case 'system':
        return 'Maillage (automatique)';
    }
  };
  const entries = versions
    .map((v) => ({
      version: v.version,
      changed_at: v.changed_at,
      action: v.action,
      actor: actorOf(v),
      own: v.actor_kind === 'account' && v.actor_id === account.id,
      reason: v.reason,
      changes: fieldDiff(v.changes),
    }))
    .reverse();
  return { lieu, entries };
}
