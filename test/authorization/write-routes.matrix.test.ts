// The authorisation matrix: every write route of the app (enumerated from the built app, not
// typed by hand) × every profile × inside/outside the profile's scope. The `policy` table below
// *is* the authorisation policy (docs/accounts.md, « Matrice des autorisations ») : a new write
// route fails the first test until it is added there, or to `publicRoutes` with its reason.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { buildTestAppListingWriteRoutes } from '../helpers/routes.ts';
import { createMemoryMailer } from '../../src/lib/mailer.ts';
import { SESSION_COOKIE } from '../../src/server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../../src/modules/accounts/accounts.use-cases.ts';
import type { Role } from '../../src/modules/accounts/accounts.tables.ts';
import type { Scope } from '../../src/modules/accounts/authorize.ts';
import { createLieu, updateLieu } from '../../src/modules/lieux/lieux.use-cases.ts';
import type { Lieu } from '../../src/modules/lieux/lieux.schema.ts';
import { addSource } from '../../src/modules/sources/sources.use-cases.ts';
import { createApiKeyAs } from '../../src/modules/api-keys/api-keys.use-cases.ts';
import { createReport } from '../../src/modules/reports/reports.use-cases.ts';
import { proposeLieu } from '../../src/modules/propositions/propositions.use-cases.ts';
import { mergeLieux } from '../../src/modules/imports/imports.duplicates.ts';
import { formValuesOf } from '../../src/modules/contribution/edit-form.ts';

/** Write routes anyone may call: each with why no account or scope is checked. */
const publicRoutes: Record<string, string> = {
  'POST /api/v1/compte/inscription': 'sign-up (rate-limited, anonymous CSRF)',
  'POST /inscription': 'sign-up form',
  'POST /api/v1/compte/verification': 'e-mail confirmation: the single-use token is the authorisation',
  'POST /compte/verifier': 'e-mail confirmation form (token)',
  'POST /api/v1/compte/connexion': 'sign-in',
  'POST /connexion': 'sign-in form',
  'POST /api/v1/compte/deconnexion': 'sign-out closes the caller’s own session only',
  'POST /deconnexion': 'sign-out form (own session only)',
  'POST /api/v1/compte/mot-de-passe-oublie': 'password reset request (answers the same for any address)',
  'POST /mot-de-passe-oublie': 'password reset request form',
  'POST /api/v1/compte/mot-de-passe': 'new password: the single-use token is the authorisation',
  'POST /mot-de-passe/nouveau': 'new password form (token)',
  'POST /lieux/:id/signalement': 'public error report (honeypot, rate limit, hashed IP)',
  'POST /fraicheur/confirmer': 'freshness link of a reminder e-mail: the token names the account, whose rights are re-checked',
  'POST /api/v1/lieux/validation': 'validates a place, writes nothing',
  'POST /api/v1/validation': 'validates a file against the standard, writes nothing',
  'POST /donnees/validation': 'file validation form, writes nothing',
};

const PROFILES = [
  'anonyme',
  'compte non confirmé (inscrit, sans lieu)',
  'gestionnaire du lieu',
  'gestionnaire d’un autre lieu',
  'réseau de la source',
  'réseau d’une autre source',
  'agent territorial (commune du lieu)',
  'agent territorial (EPCI du lieu)',
  'agent territorial (département du lieu)',
  'agent territorial (région du lieu)',
  'agent territorial (autre département)',
  'modérateur',
  'administrateur',
] as const;
type Profile = (typeof PROFILES)[number];

// Groups of profiles, to read the policy table below.
const reviewers: Profile[] = ['modérateur', 'administrateur'];
const placeEditors: Profile[] = ['gestionnaire du lieu', 'agent territorial (commune du lieu)', 'agent territorial (EPCI du lieu)', 'agent territorial (département du lieu)', 'agent territorial (région du lieu)', ...reviewers];
const placeCreators: Profile[] = placeEditors.filter((p) => p !== 'gestionnaire du lieu');
const signedInConfirmed: Profile[] = PROFILES.filter((p) => p !== 'anonyme' && p !== 'compte non confirmé (inscrit, sans lieu)');
const signedIn: Profile[] = PROFILES.filter((p) => p !== 'anonyme');
const managers: Profile[] = ['gestionnaire du lieu', 'gestionnaire d’un autre lieu'];
const sourceOwners: Profile[] = ['réseau de la source', 'administrateur'];
const networks: Profile[] = ['réseau de la source', 'réseau d’une autre source', 'administrateur'];

/** What one request of the matrix needs: the target place (inside the "du lieu" profiles' scope), the signed-in account. */
interface Ctx {
  lieu: Lieu;
  who: { id: string | null; apiKey: string | null; profile: Profile };
}
interface Req {
  url: string;
  json?: unknown;
  form?: Record<string, string | string[]>;
  raw?: { type: string; body: string };
}
interface RouteCase {
  /** Profiles allowed; every other one must be refused (401/403 or sent to /connexion). */
  allowed: Profile[];
  /** Statuses of an allowed request (default: 2xx/3xx); a 4xx listed here is a validation or state answer. */
  ok: number[];
  /** A fresh place for each request, when the route changes or consumes it. */
  fresh?: boolean;
  /** Audit action written on success by the account (checked when the answer is 2xx/3xx). */
  audit?: string;
  /** Other refusal statuses (e.g. 404 for an object of another account, not revealed). */
  refusedAlso?: number[];
  /** What else an allowed answer must show (redirect target, message). */
  check?(res: { headers: Record<string, unknown>; body: string }): void;
  make(ctx: Ctx): Promise<Req>;
}

let t: TestApp;
let writeRoutes: string[];
let shared: Lieu;
let elsewhere: Lieu;
type Source = Awaited<ReturnType<typeof addSource>>;
let sourceS: Source;
let sourceT: Source;
let counter = 0;
const mailer = createMemoryMailer();

const lyon = () => ({
  pivot: '21690123100011',
  nom: `Médiathèque de la Part-Dieu ${++counter}`,
  commune: 'Lyon',
  code_postal: '69003',
  adresse: `${counter} boulevard Vivier-Merle`,
  date_maj: '2025-01-15',
  latitude: 45.7607,
  longitude: 4.8583,
});
const newLieu = () => createLieu(t.deps, lyon(), { kind: 'cli' });
const lieuVersion = async (lieu: Lieu) => (await t.deps.db.selectFrom('lieux').select('version').where('id', '=', lieu.id).executeTakeFirstOrThrow()).version;
let ips = 0;
const nextIp = () => `10.0.${(++ips >> 8) & 255}.${ips & 255}`;

async function account(role: Role, scopes: Scope[], verified = true): Promise<string> {
  // An operator must give a manager a place: a placeholder, removed, makes one without.
  const placeholder: Scope = { kind: 'lieu', code: '00000000-0000-4000-8000-000000000000' };
  const given = role === 'gestionnaire' && scopes.length === 0 ? [placeholder] : scopes;
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer, publicUrl: 'http://test' }, { email: `matrice${++counter}@example.org`, role, scopes: given });
  if (given !== scopes) await t.deps.db.deleteFrom('account_scopes').where('account_id', '=', id).execute();
  if (!verified) await t.deps.db.updateTable('accounts').set({ email_verified_at: null }).where('id', '=', id).execute();
  return id;
}

// One account per profile for the whole file (creating one hashes a password: the dearest
// step); the manager of "the place" is given each fresh place in turn.
const profileAccounts = new Map<Profile, { id: string; session: { sessionId: string; csrfToken: string } }>();
async function signedInAs(profile: Profile, lieu: Lieu) {
  let cached = profileAccounts.get(profile);
  if (!cached) {
    const id = await newProfileAccount(profile, lieu);
    if (!id) return null;
    cached = { id, session: await openSession(t.deps, id) };
    profileAccounts.set(profile, cached);
  } else if (profile === 'gestionnaire du lieu') {
    const manages = await t.deps.db.selectFrom('account_scopes').select('code').where('account_id', '=', cached.id).where('code', '=', lieu.id).executeTakeFirst();
    if (!manages) await t.deps.db.insertInto('account_scopes').values({ account_id: cached.id, kind: 'lieu', code: lieu.id }).execute();
  }
  return cached;
}

function newProfileAccount(profile: Profile, lieu: Lieu): Promise<string> | null {
  const territory = (kind: Scope['kind'], code: string | null): Scope[] => [{ kind, code: code! }];
  switch (profile) {
    case 'anonyme': return null;
    // As after sign-up: no place, address not confirmed (sign-in refuses it; the session is opened directly).
    case 'compte non confirmé (inscrit, sans lieu)': return account('gestionnaire', [], false);
    case 'gestionnaire du lieu': return account('gestionnaire', [{ kind: 'lieu', code: lieu.id }]);
    case 'gestionnaire d’un autre lieu': return account('gestionnaire', [{ kind: 'lieu', code: elsewhere.id }]);
    case 'réseau de la source': return account('reseau', [{ kind: 'source', code: sourceS.id }]);
    case 'réseau d’une autre source': return account('reseau', [{ kind: 'source', code: sourceT.id }]);
    case 'agent territorial (commune du lieu)': return account('agent_territorial', territory('commune', lieu.code_insee));
    case 'agent territorial (EPCI du lieu)': return account('agent_territorial', territory('epci', lieu.code_epci));
    case 'agent territorial (département du lieu)': return account('agent_territorial', territory('departement', lieu.code_departement));
    case 'agent territorial (région du lieu)': return account('agent_territorial', territory('region', lieu.code_region));
    case 'agent territorial (autre département)': return account('agent_territorial', territory('departement', elsewhere.code_departement));
    case 'modérateur': return account('moderateur', []);
    case 'administrateur': return account('administrateur', []);
  }
}

// Fixtures consumed by one decision: each request gets its own.
// Someone else's claims and proposals: one pending claim per account and place, 10 pending proposals per account.
let claimants: string[] = [];
let claims = 0;
const claimant = async () => {
  if (claims++ % 9 === 0) claimants = [await account('gestionnaire', [{ kind: 'lieu', code: elsewhere.id }]), ...claimants];
  return claimants[0]!;
};
async function pendingClaim() {
  const id = randomUUID();
  const lieu = await newLieu();
  await t.deps.db.insertInto('lieu_claims').values({ id, lieu_id: lieu.id, account_id: await claimant(), status: 'pending', message: 'Je gère ce lieu.', created_at: new Date() }).execute();
  return id;
}
async function openReport(lieu: Lieu) {
  const report = await createReport(t.deps, lieu.id, { kind: 'horaires', message: 'Fermé le samedi depuis mars.' }, `203.0.113.${++counter % 250}`);
  if (!report.stored) throw new Error('report not stored');
  return report.id;
}
async function pendingDuplicate() {
  const [a, b] = [(await newLieu()).id, (await newLieu()).id].sort();
  await t.deps.db.insertInto('lieu_duplicates').values({ lieu_a: a!, lieu_b: b!, score: 80, decision: 'review', signals: JSON.stringify({ name: 0.9, address: 1, distance_m: 12, pivot: 'same', phone: null, email: null }), reason: 'même adresse', found_run_id: null, found_at: new Date() } as never).execute();
  return { lieu_a: a!, lieu_b: b! };
}
async function pendingProposition() {
  const { id } = await proposeLieu({ ...t.deps, mailer } as never, lyon(), { account: { id: await claimant(), role: 'gestionnaire', scopes: [] }, ip: null });
  return id;
}
async function mergedPlace() {
  const [kept, merged] = [await newLieu(), await newLieu()];
  await mergeLieux(t.deps as never, kept.id, merged.id, { kind: 'cli' }, { force: true });
  return merged.id;
}
async function withVersion2(lieu: Lieu) {
  await updateLieu(t.deps, lieu.id, { presentation_resume: 'Version 2 de la fiche.' }, { kind: 'cli' });
}
async function openConflict(lieu: Lieu) {
  const row = await t.deps.db
    .insertInto('lieu_conflicts')
    .values({ lieu_id: lieu.id, field: 'telephone', source_id: sourceS.id, source_value: JSON.stringify('+33400000000'), kept_value: JSON.stringify(null), run_id: randomUUID() } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
let keyOwner: string | undefined;
async function keyToRevoke(who: Ctx['who']) {
  // Only one's own key may be revoked: the réseau profile gets its own, the others someone else's.
  keyOwner ??= await account('reseau', [{ kind: 'source', code: sourceS.id }]);
  const ownerId = who.profile === 'réseau de la source' ? who.id! : keyOwner;
  const { key } = await createApiKeyAs(t.deps, { id: ownerId, role: 'reseau', scopes: [{ kind: 'source', code: sourceS.id }] }, { label: 'Clé à révoquer' }, null);
  return key.id;
}

/** The authorisation policy: write route → profiles allowed, with a request that must succeed for them. */
const policy: Record<string, RouteCase> = {
  // Places (JSON API).
  'POST /api/v1/lieux': { allowed: placeCreators, ok: [201], audit: 'lieu.create', make: async () => ({ url: '/api/v1/lieux', json: lyon() }) },
  'PATCH /api/v1/lieux/:id': { allowed: placeEditors, ok: [200], fresh: true, audit: 'lieu.update', make: async ({ lieu }) => ({ url: `/api/v1/lieux/${lieu.id}`, json: { presentation_resume: 'Nouveaux horaires d’été.' } }) },
  'DELETE /api/v1/lieux/:id': { allowed: placeEditors, ok: [200], fresh: true, audit: 'lieu.unpublish', make: async ({ lieu }) => ({ url: `/api/v1/lieux/${lieu.id}` }) },
  // A manager claiming the place it already manages gets a 409.
  'POST /api/v1/lieux/:id/revendication': { allowed: managers, ok: [200, 202, 409], audit: 'claim.create', make: async ({ lieu }) => ({ url: `/api/v1/lieux/${lieu.id}/revendication`, json: { message: 'Responsable du lieu.' } }) },
  'POST /api/v1/lieux/:id/versions/:version/retablir': {
    allowed: reviewers, ok: [200], fresh: true, audit: 'lieu.revert',
    make: async ({ lieu }) => (await withVersion2(lieu), { url: `/api/v1/lieux/${lieu.id}/versions/1/retablir`, json: {} }),
  },
  // Proposals: every confirmed account (they go through moderation).
  'POST /api/v1/propositions': { allowed: signedInConfirmed, ok: [202], audit: 'proposition.create', make: async () => ({ url: '/api/v1/propositions', json: lyon() }) },
  'POST /lieux/proposer': { allowed: signedInConfirmed, ok: [303], audit: 'proposition.create', check: (res) => expect(res.headers.location).toBe('/lieux/proposer?envoyee=1'), make: async () => ({ url: '/lieux/proposer', form: { ...lyon(), latitude: '45.7607', longitude: '4.8583' } as Record<string, string> }) },
  'POST /lieux/:id/revendiquer': { allowed: managers, ok: [200, 202, 303, 409], audit: 'claim.create', make: async ({ lieu }) => ({ url: `/lieux/${lieu.id}/revendiquer`, form: { message: 'Responsable du lieu.' } }) },
  // Moderation (JSON and forms).
  'POST /api/v1/moderation/revendications/:id': { allowed: reviewers, ok: [200], audit: 'claim.accept', make: async () => ({ url: `/api/v1/moderation/revendications/${await pendingClaim()}`, json: { decision: 'accepter' } }) },
  'POST /moderation/revendications/:id': { allowed: reviewers, ok: [303], audit: 'claim.accept', make: async () => ({ url: `/moderation/revendications/${await pendingClaim()}`, form: { decision: 'accepter' } }) },
  'POST /api/v1/moderation/signalements/:id': { allowed: reviewers, ok: [200], audit: 'report.resolve', make: async ({ lieu }) => ({ url: `/api/v1/moderation/signalements/${await openReport(lieu)}`, json: { decision: 'traite' } }) },
  'POST /moderation/signalements/:id': { allowed: reviewers, ok: [303], audit: 'report.resolve', make: async ({ lieu }) => ({ url: `/moderation/signalements/${await openReport(lieu)}`, form: { decision: 'traite' } }) },
  'POST /api/v1/moderation/doublons': { allowed: reviewers, ok: [200], audit: 'doublon.reject', make: async () => ({ url: '/api/v1/moderation/doublons', json: { ...(await pendingDuplicate()), decision: 'rejeter' } }) },
  'POST /moderation/doublons': { allowed: reviewers, ok: [303], audit: 'doublon.reject', make: async () => ({ url: '/moderation/doublons', form: { ...(await pendingDuplicate()), decision: 'rejeter' } }) },
  'POST /api/v1/moderation/propositions/:id': { allowed: reviewers, ok: [200], audit: 'proposition.reject', make: async () => ({ url: `/api/v1/moderation/propositions/${await pendingProposition()}`, json: { decision: 'refuser', commentaire: 'Lieu fermé.' } }) },
  'POST /moderation/propositions/:id': { allowed: reviewers, ok: [303], audit: 'proposition.reject', make: async () => ({ url: `/moderation/propositions/${await pendingProposition()}`, form: { decision: 'refuser', commentaire: 'Lieu fermé.' } }) },
  'POST /moderation/lieux/:id/historique/:version': {
    allowed: reviewers, ok: [303], fresh: true, audit: 'lieu.revert',
    make: async ({ lieu }) => (await withVersion2(lieu), { url: `/moderation/lieux/${lieu.id}/historique/1`, form: { commentaire: 'Retour.' } }),
  },
  'POST /moderation/fusions/:id': { allowed: reviewers, ok: [303], audit: 'lieu.split', make: async () => ({ url: `/moderation/fusions/${await mergedPlace()}`, form: { commentaire: 'Deux lieux distincts.' } }) },
  // Duplicates API.
  'POST /api/v1/doublons/fusion': { allowed: reviewers, ok: [200], audit: 'lieu.merge', make: async () => ({ url: '/api/v1/doublons/fusion', json: { lieu_conserve: (await newLieu()).id, lieu_fusionne: (await newLieu()).id, forcer: true } }) },
  'POST /api/v1/doublons/separation': { allowed: reviewers, ok: [200], audit: 'lieu.split', make: async () => ({ url: '/api/v1/doublons/separation', json: { lieu: await mergedPlace() } }) },
  'POST /api/v1/doublons/rejet': { allowed: reviewers, ok: [200], audit: 'doublon.reject', make: async () => { const d = await pendingDuplicate(); return { url: '/api/v1/doublons/rejet', json: d }; } },
  // A manager's pages (the same right as a modification).
  'POST /compte/fraicheur/:id': { allowed: placeEditors, ok: [303], fresh: true, audit: 'lieu.confirm_freshness', make: async ({ lieu }) => ({ url: `/compte/fraicheur/${lieu.id}`, form: {} }) },
  // The territory page's form: the same use case as /compte/fraicheur (a place's manager too).
  'POST /compte/territoire/:id/confirmer': { allowed: placeEditors, ok: [303], fresh: true, audit: 'lieu.confirm_freshness', make: async ({ lieu }) => ({ url: `/compte/territoire/${lieu.id}/confirmer`, form: {} }) },
  'POST /compte/lieux/:id/modifier': {
    allowed: placeEditors, ok: [303], fresh: true, audit: 'lieu.update',
    make: async ({ lieu }) => ({ url: `/compte/lieux/${lieu.id}/modifier`, form: { ...(formValuesOf(lieu) as Record<string, string | string[]>), presentation_resume: 'Nouveaux horaires d’été.', etape: 'enregistrer', vu: String(lieu.updated_at) } }),
  },
  'POST /compte/lieux/:id/conflits/:conflict': { allowed: placeEditors, ok: [303], fresh: true, audit: 'lieu.conflict.keep', make: async ({ lieu }) => ({ url: `/compte/lieux/${lieu.id}/conflits/${await openConflict(lieu)}`, form: { decision: 'garder' } }) },
  // Sources and the network API.
  'POST /compte/sources': { allowed: networks, ok: [303], check: (res) => expect(res.headers.location).toMatch(/^\/compte\/sources\/matrice-\d+\?info=creee$/), make: async () => ({ url: '/compte/sources', form: { name: `matrice-${++counter}`, producer: 'Réseau de test', format: '', location: 'https://example.org/lieux.csv', priority: '', schedule: '' } }) },
  'POST /compte/sources/:name/synchroniser': { allowed: sourceOwners, ok: [303], check: (res) => expect(res.headers.location).toMatch(/\?info=(demandee|deja)$/), make: async () => ({ url: `/compte/sources/${sourceS.name}/synchroniser`, form: {} }) },
  'POST /api/v1/sources/:id/jobs': { allowed: sourceOwners, ok: [202], check: (res) => expect(JSON.parse(res.body).message).toMatch(/Synchronisation mise en file|attend déjà son tour/), make: async () => ({ url: `/api/v1/sources/${sourceS.id}/jobs`, json: {} }) },
  // Opened by an API key only (the session cookie sent along must not open it).
  'PUT /api/v1/sources/:id/lieux': {
    allowed: sourceOwners, ok: [200], audit: 'source.push',
    make: async () => ({ url: `/api/v1/sources/${sourceS.id}/lieux`, raw: { type: 'application/json', body: JSON.stringify([{ id: `ext-${++counter}`, ...lyon() }]) } }),
  },
  'POST /compte/cles-api': { allowed: networks, ok: [201], audit: 'api_key.create', make: async () => ({ url: '/compte/cles-api', form: { label: 'Export nocturne' } }) },
  'POST /compte/cles-api/:id/revoquer': { allowed: ['réseau de la source'], ok: [303], audit: 'api_key.revoke', refusedAlso: [404], make: async ({ who }) => ({ url: `/compte/cles-api/${await keyToRevoke(who)}/revoquer`, form: {} }) },
  // One's own account: a wrong password is the validation answer (400), nothing deleted.
  'POST /compte/suppression': { allowed: signedIn, ok: [400], check: (res) => expect(res.body).toContain('Mot de passe incorrect'), make: async () => ({ url: '/compte/suppression', form: { password: 'pas le bon mot de passe' } }) },
};

beforeAll(async () => {
  ({ t, writeRoutes } = await buildTestAppListingWriteRoutes({ mailer }));
  shared = await newLieu();
  elsewhere = await createLieu(t.deps, { pivot: '21750001600019', nom: 'Espace numérique parisien', commune: 'Paris', code_postal: '75011', adresse: '12 place Léon Blum', date_maj: '2025-01-15', latitude: 48.8574, longitude: 2.38 }, { kind: 'cli' });
  // "Outside" is only meaningful if the two places share no territory.
  for (const level of ['code_insee', 'code_epci', 'code_departement', 'code_region'] as const) {
    expect(shared[level]).toBeTruthy();
    expect(elsewhere[level]).not.toBe(shared[level]);
  }
  sourceS = await addSource(t.deps, { name: 'reseau-matrice', producer: 'Réseau de la matrice', location: 'https://example.org/lieux.csv' });
  sourceT = await addSource(t.deps, { name: 'autre-reseau-matrice', producer: 'Autre réseau' });
});
afterAll(async () => t?.close());

/** One request of the matrix: `profile` calls `route`, which must answer as the policy says. */
async function check(route: string, spec: RouteCase, profile: Profile, allowed: boolean, csrf = true): Promise<void> {
  const lieu = spec.fresh ? await newLieu() : shared;
  const signed = await signedInAs(profile, lieu);
  const accountId = signed?.id ?? null;
  const session = signed?.session ?? null;
  const apiKey = accountId && (profile === 'réseau de la source' || profile === 'réseau d’une autre source' || profile === 'administrateur') && route.startsWith('PUT ')
    ? (await createApiKeyAs(t.deps, { id: accountId, role: profile === 'administrateur' ? 'administrateur' : 'reseau', scopes: [{ kind: 'source', code: profile === 'réseau de la source' ? sourceS.id : sourceT.id }] }, { label: 'Envoi' }, null)).token
    : null;
  const req = await spec.make({ lieu, who: { id: accountId, apiKey, profile } });
  const versionBefore = await lieuVersion(lieu);
  const auditBefore = (await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst())?.seq ?? 0;
  const method = route.split(' ')[0] as 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  const headers: Record<string, string> = {};
  if (session) headers.cookie = `${SESSION_COOKIE}=${session.sessionId}`;
  if (session && csrf) headers['x-csrf-token'] = session.csrfToken;
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let payload: string | undefined;
  if (req.form) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...req.form, ...(session && csrf ? { _csrf: session.csrfToken } : {}) })) for (const x of [v].flat()) body.append(k, x);
    payload = body.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.accept = 'text/html';
  } else if (req.raw) {
    payload = req.raw.body;
    headers['content-type'] = req.raw.type;
  } else if (req.json !== undefined) {
    payload = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  // A distinct address per request: the per-IP rate limits are not what is tested here.
  const res = await t.app.inject({ method, url: req.url, headers, payload, remoteAddress: nextIp() });
  const detail = `${res.statusCode} ${res.headers.location ?? ''} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, detail).toBeLessThan(500);
  const refused = res.statusCode === 401 || res.statusCode === 403 || (spec.refusedAlso ?? []).includes(res.statusCode) || (res.statusCode === 303 && String(res.headers.location).startsWith('/connexion'));
  const audit = accountId ? await t.deps.db.selectFrom('audit_log').select('action').where('account_id', '=', accountId).where('seq', '>', auditBefore as never).execute() : [];
  if (allowed) {
    expect(refused, detail).toBe(false);
    expect(spec.ok, detail).toContain(res.statusCode);
    if (spec.audit && res.statusCode < 400) expect(audit.map((a) => a.action), detail).toContain(spec.audit);
    spec.check?.({ headers: res.headers, body: res.body });
  } else {
    expect(refused, detail).toBe(true);
    // The refusal is the use case's decision (or the missing CSRF token), said in French.
    if (res.statusCode === 403) expect(res.body, detail).toContain(csrf ? 'Action refusée' : 'CSRF');
    expect(audit, 'a refused request writes nothing to the audit log').toEqual([]);
    expect(await lieuVersion(lieu), 'a refused request leaves the place as it was').toBe(versionBefore);
  }
}

describe('write routes authorisation matrix', () => {
  it('covers every write route the app serves (policy or public list)', () => {
    expect(writeRoutes.length).toBeGreaterThan(30);
    const uncovered = writeRoutes.filter((r) => !(r in policy) && !(r in publicRoutes));
    expect(uncovered, 'write routes missing from the authorisation matrix').toEqual([]);
    const stale = [...Object.keys(policy), ...Object.keys(publicRoutes)].filter((r) => !writeRoutes.includes(r));
    expect(stale, 'matrix entries for routes that no longer exist').toEqual([]);
  });

  for (const [route, spec] of Object.entries(policy)) {
    describe(route, () => {
      for (const profile of PROFILES) {
        const allowed = spec.allowed.includes(profile);
        it(`${profile}: ${allowed ? 'allowed' : 'refused'}`, () => check(route, spec, profile, allowed));
      }
      if (!route.startsWith('PUT ')) {
        it('without the CSRF token: refused', () => check(route, spec, spec.allowed.includes('administrateur') ? 'administrateur' : spec.allowed[0]!, false, false));
      }
    });
  }
});

describe('the object decides, not the URL', () => {
  it('refuses a manager settling, under its own place’s URL, the conflict of a place it does not manage', async () => {
    const mine = await newLieu();
    const theirs = await newLieu();
    const accountId = await account('gestionnaire', [{ kind: 'lieu', code: mine.id }]);
    const session = await openSession(t.deps, accountId);
    const conflict = await openConflict(theirs);
    const res = await t.app.inject({
      method: 'POST',
      url: `/compte/lieux/${mine.id}/conflits/${conflict}`,
      headers: { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ decision: 'garder', _csrf: session.csrfToken }).toString(),
    });
    expect(res.statusCode).toBe(403);
    const row = await t.deps.db.selectFrom('lieu_conflicts').select('status').where('id', '=', conflict).executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('refuses a réseau key restricted to another source, even for a source of its account', async () => {
    const accountId = await account('reseau', [{ kind: 'source', code: sourceS.id }, { kind: 'source', code: sourceT.id }]);
    const principal = { id: accountId, role: 'reseau' as const, scopes: [{ kind: 'source' as const, code: sourceS.id }, { kind: 'source' as const, code: sourceT.id }] };
    const { token } = await createApiKeyAs(t.deps, principal, { label: 'Seulement T', source_ids: [sourceT.id] }, null);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/sources/${sourceS.id}/lieux`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify([{ id: 'restreint', ...lyon() }]),
    });
    expect(res.statusCode, res.body).toBe(403);
  });
});
