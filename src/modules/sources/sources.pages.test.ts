// The sources back-office as a browser without JavaScript uses it (forms with the session's
// CSRF token, a multipart upload), and the jobs API: rights by role and scope, creation,
// "Synchroniser maintenant", job status, import runs and their errors as CSV.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { createMemoryMailer } from '../../lib/mailer.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { createAccountByOperator, openSession } from '../accounts/accounts.use-cases.ts';
import { authorizeSource, type AccountPrincipal } from '../accounts/authorize.ts';
import type { Role, ScopeKind } from '../accounts/accounts.tables.ts';
import { addSource, getSource } from './sources.use-cases.ts';
import { processAvailableJobs, sourceJobsFor } from './sources.jobs.ts';

const header = 'id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,services';
const upload = [
  header,
  'a1,21580194700019,Médiathèque Jean-Jaurès,Nevers,58000,58194,12 rue du Commandant Rivière,46.9896,3.1590,2024-05-02,Aide aux démarches administratives',
  'b2,21210231500017,EPN de la Fontaine d’Ouche,Dijon,21000,21231,2 place de la Fontaine d’Ouche,47.3150,5.0050,2024-05-02,Services inventés',
].join('\n');

describe('authorizeSource', () => {
  const who = (role: Role, scopes: { kind: ScopeKind; code: string }[] = []): AccountPrincipal => ({ id: 'x', role, scopes });
  it('lets administrators do everything and réseau accounts act on the sources of their scope only', () => {
    for (const action of ['source.list', 'source.create', 'source.read', 'source.sync'] as const) {
      expect(authorizeSource(who('administrateur'), action, 's1').allowed).toBe(true);
    }
    const reseau = who('reseau', [{ kind: 'source', code: 's1' }]);
    expect(authorizeSource(reseau, 'source.create').allowed).toBe(true);
    expect(authorizeSource(reseau, 'source.read', 's1').allowed).toBe(true);
    expect(authorizeSource(reseau, 'source.sync', 's1').allowed).toBe(true);
    expect(authorizeSource(reseau, 'source.sync', 's2')).toEqual({ allowed: false, reason: 'Cette source n’est pas rattachée à votre compte réseau.' });
    for (const role of ['gestionnaire', 'agent_territorial', 'moderateur'] as const) {
      expect(authorizeSource(who(role, [{ kind: 'source', code: 's1' }]), 'source.read', 's1')).toEqual({
        allowed: false,
        reason: 'La gestion des sources de données est réservée aux comptes réseau et aux administrateurs.',
      });
    }
  });
});

let t: TestApp;
let dataDir: string;
const mailer = createMemoryMailer();
let counter = 0;

async function signIn(role: Role, scopes: { kind: ScopeKind; code: string }[] = []) {
  const { id } = await createAccountByOperator({ db: t.deps.db, clock: t.deps.clock, mailer, publicUrl: 'http://test' }, { email: `sources${++counter}@example.org`, role, scopes });
  const session = await openSession(t.deps, id);
  return { id, cookies: { [SESSION_COOKIE]: session.sessionId }, csrf: session.csrfToken };
}
type Who = Awaited<ReturnType<typeof signIn>>;

const page = (url: string, who?: Who) => t.app.inject({ method: 'GET', url, cookies: who?.cookies ?? {}, headers: { accept: 'text/html' } });
const postForm = (url: string, fields: Record<string, string>, who: Who) =>
  t.app.inject({ method: 'POST', url, cookies: who.cookies, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });

function postMultipart(url: string, fields: Record<string, string>, who: Who, file?: { filename: string; content: string }) {
  const boundary = `----maillage${randomBytes(8).toString('hex')}`;
  let body = '';
  for (const [name, value] of Object.entries(fields)) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  if (file) body += `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`;
  body += `--${boundary}--\r\n`;
  return t.app.inject({ method: 'POST', url, cookies: who.cookies, payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' } });
}

let reseau: Who;
let otherReseau: Who;
let admin: Who;
let gestionnaire: Who;
let heldId: string;

beforeAll(async () => {
  t = await buildTestApp({ mailer });
  // Uploaded feeds go under the data folder: a temporary one for this file.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-sources-pages-'));
  t.deps.config.dataDir = dataDir;
  const held = await addSource(t.deps, { name: 'hub-bfc', producer: 'Hub Bourgogne-Franche-Comté', location: 'https://example.org/lieux.csv' });
  await addSource(t.deps, { name: 'autre-reseau', producer: 'Autre réseau' });
  heldId = held.id;
  reseau = await signIn('reseau', [{ kind: 'source', code: held.id }]);
  otherReseau = await signIn('reseau');
  admin = await signIn('administrateur');
  gestionnaire = await signIn('gestionnaire', [{ kind: 'lieu', code: '00000000-0000-4000-8000-000000000000' }]);
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('sources back-office pages', () => {
  it('sends anonymous visitors to sign in and refuses roles that do not manage sources', async () => {
    const anonymous = await page('/compte/sources');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/connexion');
    const refused = await page('/compte/sources', gestionnaire);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('La gestion des sources de données est réservée aux comptes réseau et aux administrateurs.');
  });

  it('lists the réseau’s own sources, and every source for an administrator', async () => {
    const mine = await page('/compte/sources', reseau);
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('href="/compte/sources/hub-bfc"');
    expect(mine.body).not.toContain('autre-reseau');
    const none = await page('/compte/sources', otherReseau);
    expect(none.body).toContain('Aucune source pour l’instant.');
    const all = await page('/compte/sources', admin);
    expect(all.body).toContain('hub-bfc');
    expect(all.body).toContain('autre-reseau');
  });

  it('keeps another réseau out of a source: page, sync and errors', async () => {
    const seen = await page('/compte/sources/hub-bfc', otherReseau);
    expect(seen.statusCode).toBe(403);
    expect(seen.body).toContain('Cette source n’est pas rattachée à votre compte réseau.');
    const sync = await postForm('/compte/sources/hub-bfc/synchroniser', { _csrf: otherReseau.csrf }, otherReseau);
    expect(sync.statusCode).toBe(403);
    const csv = await page(`/compte/sources/hub-bfc/imports/${heldId}/erreurs.csv`, otherReseau);
    expect(csv.statusCode).toBe(403);
    expect((await page('/compte/sources/hub-bfc', admin)).statusCode).toBe(200);
  });

  it('refuses a bad cron expression and a form without the session’s CSRF token, creating nothing', async () => {
    const form = await page('/compte/sources/nouvelle', reseau);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');
    const bad = await postMultipart('/compte/sources', { _csrf: reseau.csrf, name: 'cron-faux', producer: 'Réseau', location: 'https://example.org/a.csv', schedule: '0 3 * *' }, reseau);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('La planification doit être une expression cron à 5 champs');
    expect(bad.body).toContain('value="cron-faux"'); // the form keeps what was typed
    const forged = await postMultipart('/compte/sources', { _csrf: 'x'.repeat(43), name: 'sans-jeton', producer: 'Réseau' }, reseau);
    expect(forged.statusCode).toBe(403);
    const local = await postMultipart('/compte/sources', { _csrf: reseau.csrf, name: 'chemin-local', producer: 'Réseau', location: '/etc/passwd' }, reseau);
    expect(local.statusCode).toBe(400);
    expect(local.body).toContain('L’emplacement doit être une adresse web');
    for (const name of ['cron-faux', 'sans-jeton', 'chemin-local']) await expect(getSource(t.deps, name)).rejects.toThrow(/Aucune source/);
  });

  it('creates a source from an uploaded file, syncs it on demand and shows the job, the run and its errors', async () => {
    const created = await postMultipart(
      '/compte/sources',
      { _csrf: reseau.csrf, name: 'epn-nievre', producer: 'Réseau des EPN de la Nièvre', format: '', location: '', priority: '120', schedule: '0 3 * * 1' },
      reseau,
      { filename: 'lieux nièvre.csv', content: upload },
    );
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe('/compte/sources/epn-nievre?info=creee');
    const source = await getSource(t.deps, 'epn-nievre');
    expect(source).toMatchObject({ producer: 'Réseau des EPN de la Nièvre', priority: 120, schedule: '0 3 * * 1' });
    expect(source.location!.startsWith(path.join(dataDir, 'sources', 'epn-nievre'))).toBe(true);
    expect(fs.readFileSync(source.location!, 'utf8')).toBe(upload);
    // The creator's scope now holds the source.
    expect((await page('/compte/sources', reseau)).body).toContain('href="/compte/sources/epn-nievre"');

    const first = await postForm('/compte/sources/epn-nievre/synchroniser', { _csrf: reseau.csrf }, reseau);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/compte/sources/epn-nievre?info=demandee');
    const again = await postForm('/compte/sources/epn-nievre/synchroniser', { _csrf: reseau.csrf }, reseau);
    expect(again.headers.location).toBe('/compte/sources/epn-nievre?info=deja');
    let view = await page('/compte/sources/epn-nievre?info=demandee', reseau);
    expect(view.body).toContain('La synchronisation est en file');
    expect(view.body).toMatch(/0 3 \* \* 1 \(heure de Paris\) ; prochaine synchronisation le \d{2}\/\d{2}\/\d{4} 03:00/);
    expect(view.body).toContain('En attente');
    expect(view.body).toContain('À la demande');

    const jobs = await sourceJobsFor(t.deps.db, t.deps.config.jobs);
    expect(await processAvailableJobs({ ...t.deps, dataDir }, jobs)).toEqual({ succeeded: 1, failed: 0 });
    view = await page('/compte/sources/epn-nievre?info=demandee', reseau);
    expect(view.body).toContain('Réussie');
    expect(view.body).not.toContain('La synchronisation est en file');
    const run = await t.deps.db.selectFrom('import_runs').selectAll().where('source_id', '=', source.id).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
    const link = `/compte/sources/epn-nievre/imports/${run.id}/erreurs.csv`;
    expect(view.body).toContain(`href="${link}"`);
    const csv = await page(link, reseau);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.body).toContain('ligne;champ;valeur;message;gravite');
    expect(csv.body).toContain('services');
    // A run of another source is not reachable through this one.
    expect((await page(`/compte/sources/hub-bfc/imports/${run.id}/erreurs.csv`, reseau)).statusCode).toBe(404);
  });
});

describe('sources and private addresses, wrong files', () => {
  it('refuses a source URL on a private network, naming the field, and creates nothing', async () => {
    const refused = await postMultipart('/compte/sources', { _csrf: reseau.csrf, name: 'intranet', producer: 'Réseau', location: 'http://192.168.1.10/lieux.csv' }, reseau);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Cette adresse pointe vers un réseau privé : 192.168.1.10, réseau privé (RFC 1918).');
    expect(refused.body).toContain('value="http://192.168.1.10/lieux.csv"');
    await expect(getSource(t.deps, 'intranet')).rejects.toThrow(/Aucune source/);
  });

  it('shows on the source page that a wrong file failed and will not be retried', async () => {
    const created = await postMultipart('/compte/sources', { _csrf: reseau.csrf, name: 'mauvais-fichier', producer: 'Réseau', location: '' }, reseau, { filename: 'export.csv', content: 'identifiant;libelle\n1;EPN\n' });
    expect(created.statusCode).toBe(303);
    expect((await postForm('/compte/sources/mauvais-fichier/synchroniser', { _csrf: reseau.csrf }, reseau)).statusCode).toBe(303);
    const jobs = await sourceJobsFor(t.deps.db, t.deps.config.jobs);
    expect(await processAvailableJobs({ ...t.deps, dataDir }, jobs)).toEqual({ succeeded: 0, failed: 1 });
    const view = await page('/compte/sources/mauvais-fichier', reseau);
    expect(view.body).toContain('Dernière synchronisation en échec');
    expect(view.body).toMatch(/Fichier invalide : Colonnes non reconnues \(identifiant, libelle\)[^<]* — pas de nouvelle tentative\./);
    expect(view.body).toContain('1 sur 1');
  });
});

describe('sources jobs API', () => {
  const api = (method: 'GET' | 'POST', url: string, who?: Who, csrf = true) =>
    t.app.inject({ method, url, cookies: who?.cookies ?? {}, headers: who && csrf ? { 'x-csrf-token': who.csrf } : {} });

  it('shows a source’s jobs to its réseau and administrators only, and queues a sync', async () => {
    const url = `/api/v1/sources/${heldId}/jobs`;
    expect((await api('GET', url)).statusCode).toBe(401);
    const refused = await api('GET', url, otherReseau);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().title).toBe('Action refusée : Cette source n’est pas rattachée à votre compte réseau.');
    expect((await api('POST', url, reseau, false)).statusCode).toBe(403); // no CSRF header
    const queued = await api('POST', url, reseau);
    expect(queued.statusCode).toBe(202);
    expect(queued.json().job_id).toMatch(/^[0-9a-f-]{36}$/);
    const list = await api('GET', url, admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().jobs).toMatchObject([{ id: queued.json().job_id, status: 'queued', trigger: 'manual', attempts: 0, max_attempts: 4, error: null, failure: null, summary: null }]);
    expect((await api('GET', '/api/v1/sources/00000000-0000-4000-8000-000000000000/jobs', admin)).statusCode).toBe(404);
  });
});
