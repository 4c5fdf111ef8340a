import { describe, expect, it } from 'vitest';
import { authorize, assertAuthorized, ForbiddenError, type AccountPrincipal, type LieuTarget } from './authorize.ts';

const lyon: LieuTarget = { id: 'lieu-a', code_insee: '69383', code_epci: '200046977', code_departement: '69', code_region: '84' };
const noCommune: LieuTarget = { id: 'lieu-b', code_insee: null, code_epci: null, code_departement: null, code_region: null };
const account = (role: AccountPrincipal['role'], scopes: AccountPrincipal['scopes'] = []): AccountPrincipal => ({ id: 'x', role, scopes });

describe('authorize', () => {
  it('lets an agent act only where one of its territory codes matches', () => {
    for (const scope of [
      { kind: 'commune', code: '69383' },
      { kind: 'epci', code: '200046977' },
      { kind: 'departement', code: '69' },
      { kind: 'region', code: '84' },
    ] as const) {
      expect(authorize(account('agent_territorial', [scope]), 'lieu.update', lyon)).toEqual({ allowed: true });
      expect(authorize(account('agent_territorial', [scope]), 'lieu.update', noCommune).allowed).toBe(false);
    }
    // A code of another kind never matches by accident (69 the département is not a commune code).
    expect(authorize(account('agent_territorial', [{ kind: 'commune', code: '69' }]), 'lieu.update', lyon).allowed).toBe(false);
  });

  it('lets a manager edit only its places and never create', () => {
    const manager = account('gestionnaire', [{ kind: 'lieu', code: 'lieu-a' }]);
    expect(authorize(manager, 'lieu.unpublish', lyon).allowed).toBe(true);
    expect(authorize(manager, 'lieu.update', noCommune)).toEqual({ allowed: false, reason: 'Ce lieu n’est pas géré par votre compte.' });
    expect(authorize(manager, 'lieu.create', { ...lyon, id: undefined }).allowed).toBe(false);
  });

  it('reserves the audit log to moderators and administrators', () => {
    expect(authorize(account('moderateur'), 'audit.read').allowed).toBe(true);
    expect(authorize(account('administrateur'), 'audit.read').allowed).toBe(true);
    for (const role of ['gestionnaire', 'reseau', 'agent_territorial'] as const) expect(authorize(account(role, [{ kind: 'region', code: '84' }]), 'audit.read').allowed).toBe(false);
  });

  it('reserves place history and reverts to moderators and administrators, even for a place one manages', () => {
    for (const action of ['lieu.history', 'lieu.revert'] as const) {
      expect(authorize(account('moderateur'), action, lyon).allowed).toBe(true);
      expect(authorize(account('administrateur'), action, lyon).allowed).toBe(true);
      expect(authorize(account('gestionnaire', [{ kind: 'lieu', code: 'lieu-a' }]), action, lyon).allowed).toBe(false);
      expect(authorize(account('agent_territorial', [{ kind: 'region', code: '84' }]), action, lyon).allowed).toBe(false);
    }
  });

  it('lets agents with a territory, moderators and administrators read a territory’s places', () => {
    for (const kind of ['commune', 'epci', 'departement', 'region'] as const) expect(authorize(account('agent_territorial', [{ kind, code: '69' }]), 'territoire.read')).toEqual({ allowed: true });
    expect(authorize(account('moderateur'), 'territoire.read').allowed).toBe(true);
    expect(authorize(account('administrateur'), 'territoire.read').allowed).toBe(true);
    const noTerritory = authorize(account('agent_territorial'), 'territoire.read');
    expect(noTerritory.allowed).toBe(false);
    expect(noTerritory.allowed ? '' : noTerritory.reason).toMatch(/territoire n’est pas encore défini/);
    expect(authorize(account('gestionnaire', [{ kind: 'lieu', code: 'lieu-a' }]), 'territoire.read').allowed).toBe(false);
    expect(authorize(account('reseau', [{ kind: 'source', code: 's' }]), 'territoire.read').allowed).toBe(false);
  });

  it('throws a 403 with the French reason', () => {
    const error = (() => {
      try {
        assertAuthorized(account('reseau'), 'lieu.update', lyon);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).status).toBe(403);
    expect((error as ForbiddenError).message).toMatch(/^Action refusée : Un compte réseau/);
  });
});
