// Proposed places through the use cases: a valid proposal waits unpublished, acceptance
// creates the place with the proposer as actor of its history (and audits), rejection keeps
// the proposal with its reason; invalid proposals are refused field by field; e-mails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { DomainError, ValidationError } from '../../lib/errors.ts';
import { createAccountByOperator } from '../accounts/accounts.use-cases.ts';
import type { Role } from '../accounts/accounts.tables.ts';
import type { AccountPrincipal } from '../accounts/authorize.ts';
import { createLieu, getLieu, listLieuVersions } from '../lieux/lieux.use-cases.ts';
import { decideProposition, listPendingPropositions, PENDING_MAX, proposeLieu, type PropositionDeps } from './propositions.use-cases.ts';

let t: TestApp;
let deps: PropositionDeps;
const mailer = createMemoryMailer();
let counter = 0;

async function account(role: Role): Promise<AccountPrincipal & { email: string }> {
  const email = `personne${++counter}@exemple.org`;
  const placeholder = { kind: 'lieu' as const, code: '00000000-0000-4000-8000-000000000000' };
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer: createMemoryMailer(), publicUrl: 'http://test' }, { email, role, scopes: role === 'gestionnaire' ? [placeholder] : [] });
  await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).execute();
  return { id, role, scopes: [], email };
}

const proposal = (extra: Record<string, unknown> = {}) => ({
  nom: `Espace numérique du Mouësse ${++counter}`,
  pivot: '21580194700017',
  adresse: '12 rue du Commandant Rivière',
  code_postal: '58000',
  commune: 'Nevers',
  services: ['Aide aux démarches administratives'],
  horaires: 'Mo-Fr 09:00-12:00',
  ...extra,
});

const mailsTo = (email: string) => mailer.sent.filter((m) => m.to === email);

beforeAll(async () => {
  t = await buildTestApp();
  deps = { db: t.deps.db, clock: t.deps.clock, territories: t.deps.territories, mailer, publicUrl: 'https://maillage.test' };
});
afterAll(async () => t?.close());

describe('proposeLieu', () => {
  it('keeps a valid proposal unpublished, in the queue, and tells the proposer it was received', async () => {
    const proposer = await account('gestionnaire');
    const input = proposal();
    const { id } = await proposeLieu(deps, input, { account: proposer, ip: '192.0.2.1' });
    expect(await t.deps.db.selectFrom('lieux').select('id').where('nom', '=', input.nom).execute()).toEqual([]);
    const queued = (await listPendingPropositions(deps)).find((p) => p.id === id);
    expect(queued).toMatchObject({ nom: input.nom, commune: 'Nevers', code_postal: '58000', email: proposer.email });
    expect(queued!.record.date_maj).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mailsTo(proposer.email).at(-1)?.subject).toContain('en attente');
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'account_id']).where('target_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'proposition.create', account_id: proposer.id }]);
  });

  it('refuses an invalid proposal with the API’s French message for each field, and stores nothing', async () => {
    const proposer = await account('gestionnaire');
    const before = await t.deps.db.selectFrom('lieu_propositions').select('id').execute();
    const error = await proposeLieu(deps, proposal({ code_postal: '580', horaires: 'tous les jours', courriels: 'pas-une-adresse', nom: '' }), { account: proposer, ip: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = Object.fromEntries((error as ValidationError).errors.map((e) => [e.field, e.message]));
    expect(fields.nom).toBe('Le champ « nom » est obligatoire dans le standard.');
    expect(fields.code_postal).toBe('Le code postal « 580 » doit comporter 5 chiffres.');
    expect(fields.courriels).toContain('« pas-une-adresse » n’est pas valide');
    expect(fields.horaires).toBeTruthy();
    expect(await t.deps.db.selectFrom('lieu_propositions').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses an id, a value that is not an object, and a moderator is not exempt from the queue', async () => {
    const moderator = await account('moderateur');
    await expect(proposeLieu(deps, proposal({ id: '3f2b8c1e-0000-4000-8000-000000000001' }), { account: moderator, ip: null })).rejects.toMatchObject({ errors: [{ field: 'id' }] });
    await expect(proposeLieu(deps, 'un lieu', { account: moderator, ip: null })).rejects.toBeInstanceOf(ValidationError);
    const { id } = await proposeLieu(deps, proposal(), { account: moderator, ip: null });
    expect((await listPendingPropositions(deps)).map((p) => p.id)).toContain(id);
  });

  it('shows moderators the published places of the commune that look like the proposal', async () => {
    const proposer = await account('gestionnaire');
    const existing = await createLieu(deps, { nom: 'Médiathèque Jean Jaurès', pivot: '21580194700017', adresse: '8 rue de la Pique', code_postal: '58000', commune: 'Nevers', date_maj: '2025-06-01', latitude: 46.98623, longitude: 3.15731 }, { kind: 'cli' });
    const twin = await proposeLieu(deps, proposal({ nom: 'Mediatheque Jean-Jaures', adresse: '8 rue de la Pique', latitude: 46.98625, longitude: 3.15733 }), { account: proposer, ip: null });
    const elsewhere = await proposeLieu(deps, proposal({ nom: 'Médiathèque Jean Jaurès', adresse: '2 place Saint-Romain', code_postal: '58120', commune: 'Château-Chinon (Ville)' }), { account: proposer, ip: null });
    const queue = await listPendingPropositions(deps);
    const similar = queue.find((p) => p.id === twin.id)!.similar;
    expect(similar.map((s) => s.id)).toEqual([existing.id]);
    expect(similar[0]!.score).toBeGreaterThanOrEqual(60);
    expect(queue.find((p) => p.id === elsewhere.id)!.similar).toEqual([]);
  });

  it('limits the pending proposals of one account', async () => {
    const proposer = await account('reseau');
    for (let i = 0; i < PENDING_MAX; i++) await proposeLieu(deps, proposal(), { account: proposer, ip: null });
    const error = await proposeLieu(deps, proposal(), { account: proposer, ip: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(429);
  });
});

describe('decideProposition', () => {
  it('accept: the place exists, published, with the proposer as actor of its first version, audited, proposer told', async () => {
    const proposer = await account('gestionnaire');
    const moderator = await account('moderateur');
    const input = proposal({ latitude: '46.98955', longitude: '3.15868' });
    const { id } = await proposeLieu(deps, input, { account: proposer, ip: null });
    const { lieu_id, notified } = await decideProposition(deps, id, 'accept', 'Bienvenue !', { account: moderator, ip: '192.0.2.2' });
    expect(notified).toBe(true);
    const lieu = await getLieu(deps, lieu_id!);
    expect(lieu).toMatchObject({ nom: input.nom, status: 'published', code_insee: '58194', latitude: 46.98955, position_approximate: false });
    const [version] = await listLieuVersions(deps, lieu.id);
    expect(version).toMatchObject({ version: 1, action: 'create', actor_kind: 'account', actor_id: proposer.id });
    expect(version!.reason).toContain(id);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'account_id', 'target_id']).where('account_id', '=', moderator.id).orderBy('seq').execute();
    expect(audit).toEqual([
      { action: 'lieu.create', account_id: moderator.id, target_id: lieu.id },
      { action: 'proposition.accept', account_id: moderator.id, target_id: id },
    ]);
    const mail = mailsTo(proposer.email).at(-1)!;
    expect(mail.subject).toContain('est publié');
    expect(mail.text).toContain(`https://maillage.test/lieux/${lieu.id}`);
    expect(mail.text).toContain('Bienvenue !');
    expect((await listPendingPropositions(deps)).map((p) => p.id)).not.toContain(id);
    await expect(decideProposition(deps, id, 'reject', 'trop tard', { account: moderator, ip: null })).rejects.toMatchObject({ status: 404 });
  });

  it('reject: needs a reason, keeps the proposal with it, publishes nothing, proposer told', async () => {
    const proposer = await account('gestionnaire');
    const moderator = await account('administrateur');
    const input = proposal();
    const { id } = await proposeLieu(deps, input, { account: proposer, ip: null });
    await expect(decideProposition(deps, id, 'reject', '  ', { account: moderator, ip: null })).rejects.toMatchObject({ errors: [{ field: 'commentaire' }] });
    await decideProposition(deps, id, 'reject', 'Ce lieu existe déjà sous un autre nom.', { account: moderator, ip: null });
    const row = await t.deps.db.selectFrom('lieu_propositions').select(['status', 'comment', 'lieu_id', 'decided_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'rejected', comment: 'Ce lieu existe déjà sous un autre nom.', lieu_id: null, decided_by: moderator.id });
    expect(await t.deps.db.selectFrom('lieux').select('id').where('nom', '=', input.nom).execute()).toEqual([]);
    const mail = mailsTo(proposer.email).at(-1)!;
    expect(mail.subject).toContain('n’a pas été acceptée');
    expect(mail.text).toContain('Ce lieu existe déjà sous un autre nom.');
  });

  it('is reserved to moderators; an unknown or malformed id is a 404, never a 500', async () => {
    const proposer = await account('gestionnaire');
    const { id } = await proposeLieu(deps, proposal(), { account: proposer, ip: null });
    await expect(decideProposition(deps, id, 'accept', '', { account: proposer, ip: null })).rejects.toMatchObject({ status: 403 });
    const moderator = await account('moderateur');
    await expect(decideProposition(deps, 'pas-un-uuid', 'accept', '', { account: moderator, ip: null })).rejects.toMatchObject({ status: 404 });
    await expect(decideProposition(deps, '3f2b8c1e-0000-4000-8000-000000000009', 'accept', '', { account: moderator, ip: null })).rejects.toMatchObject({ status: 404 });
    expect((await listPendingPropositions(deps)).map((p) => p.id)).toContain(id);
  });

  it('a proposal that no longer validates stays pending, with the field errors', async () => {
    const proposer = await account('gestionnaire');
    const moderator = await account('moderateur');
    const { id } = await proposeLieu(deps, proposal(), { account: proposer, ip: null });
    // Stored records are re-validated at acceptance (e.g. after a change of the standard's rules).
    await t.deps.db.updateTable('lieu_propositions').set({ record: JSON.stringify({ ...proposal(), date_maj: '2026-01-05', code_postal: '1' }) }).where('id', '=', id).execute();
    const error = await decideProposition(deps, id, 'accept', '', { account: moderator, ip: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]!.field).toBe('code_postal');
    const row = await t.deps.db.selectFrom('lieu_propositions').select(['status', 'lieu_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', lieu_id: null });
  });
});
