// Who may do what: one pure function, used by the use cases (never by routes), with the
// French reason of a refusal.
import { DomainError } from '../../lib/errors.ts';
import type { Role, ScopeKind } from './accounts.tables.ts';

export interface Scope {
  kind: ScopeKind;
  code: string;
}

export interface AccountPrincipal {
  id: string;
  role: Role;
  scopes: Scope[];
}

export type Action = 'lieu.create' | 'lieu.update' | 'lieu.unpublish' | 'audit.read' | 'lieu.history' | 'lieu.revert' | 'territoire.read';

/** The place concerned: its id (absent for a new one) and the codes of its territory. */
export interface LieuTarget {
  id?: string;
  code_insee: string | null;
  code_epci: string | null;
  code_departement: string | null;
  code_region: string | null;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

export const roleLabels: Record<Role, string> = {
  gestionnaire: 'gestionnaire de lieu',
  reseau: 'réseau',
  agent_territorial: 'agent territorial',
  moderateur: 'modérateur',
  administrateur: 'administrateur',
};

const refuse = (reason: string): Decision => ({ allowed: false, reason });

/** Scope kinds that name a territory (and not a place or a source). */
export const territoryKinds: ScopeKind[] = ['commune', 'epci', 'departement', 'region'];

function inTerritory(scopes: Scope[], target: LieuTarget): boolean {
  return scopes.some(
    (s) =>
      (s.kind === 'commune' && s.code === target.code_insee) ||
      (s.kind === 'epci' && s.code === target.code_epci) ||
      (s.kind === 'departement' && s.code === target.code_departement) ||
      (s.kind === 'region' && s.code === target.code_region),
  );
}

export function authorize(account: AccountPrincipal, action: Action, target?: LieuTarget): Decision {
  if (account.role === 'moderateur' || account.role === 'administrateur') return { allowed: true };
  if (action === 'audit.read') return refuse('Le journal d’audit est réservé aux modérateurs et aux administrateurs.');
  // Undoing someone else's edits is a moderation decision, even for a place one manages.
  if (action === 'lieu.history' || action === 'lieu.revert') return refuse('L’historique des lieux et le retour à une version précédente sont réservés aux modérateurs et aux administrateurs.');
  // The list of a territory's places (all statuses): agents see the territories of their scopes.
  if (action === 'territoire.read') {
    if (account.role !== 'agent_territorial') return refuse('La liste des lieux d’un territoire est réservée aux agents territoriaux, aux modérateurs et aux administrateurs.');
    if (!account.scopes.some((s) => territoryKinds.includes(s.kind))) return refuse('Votre territoire n’est pas encore défini : un modérateur ou un administrateur l’ajoutera à votre compte.');
    return { allowed: true };
  }
  if (!target) return refuse('Le lieu concerné est inconnu.');
  switch (account.role) {
    case 'gestionnaire':
      if (action === 'lieu.create') {
        return refuse('Un gestionnaire de lieu ne peut pas publier directement un nouveau lieu.');
      }
      if (target.id && account.scopes.some((s) => s.kind === 'lieu' && s.code === target.id)) return { allowed: true };
      return refuse('Ce lieu n’est pas géré par votre compte.');
    case 'agent_territorial':
      if (inTerritory(account.scopes, target)) return { allowed: true };
      return refuse('Ce lieu n’est pas situé sur le territoire de votre compte.');
    case 'reseau':
      return refuse('Un compte réseau modifie ses lieux par ses sources de données, pas lieu par lieu.');
  }
}

export class ForbiddenError extends DomainError {
  constructor(reason: string) {
    super('forbidden', `Action refusée : ${reason}`, 403);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Connectez-vous pour effectuer cette action.') {
    super('unauthorized', message, 401);
  }
}

export function assertAuthorized(account: AccountPrincipal, action: Action, target?: LieuTarget): void {
  const decision = authorize(account, action, target);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}

/** Back-office actions on sources of places (their feeds, syncs and import runs). */
export type SourceAction = 'source.list' | 'source.create' | 'source.read' | 'source.sync';

/**
 * Sources are managed by réseau accounts (the sources in their `source:<id>` scope, and the
 * ones they create) and by administrators (all of them).
 */
export function authorizeSource(account: AccountPrincipal, action: SourceAction, sourceId?: string): Decision {
  if (account.role === 'administrateur') return { allowed: true };
  if (account.role !== 'reseau') return refuse('La gestion des sources de données est réservée aux comptes réseau et aux administrateurs.');
  if (action === 'source.list' || action === 'source.create') return { allowed: true };
  if (sourceId && account.scopes.some((s) => s.kind === 'source' && s.code === sourceId)) return { allowed: true };
  return refuse('Cette source n’est pas rattachée à votre compte réseau.');
}

export function assertSourceAuthorized(account: AccountPrincipal, action: SourceAction, sourceId?: string): void {
  const decision = authorizeSource(account, action, sourceId);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}
