// Sources as seen by a signed-in account (back-office pages and API). Every function checks
// the account's right first (authorizeSource), then works like the CLI use cases.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../lib/errors.ts';
import { sourceUrlProblem } from '../../lib/guarded-fetch.ts';
import type { Resolver } from '../../lib/public-address.ts';
import { assertSourceAuthorized, type AccountPrincipal } from '../accounts/authorize.ts';
import { importErrorsCsv } from '../imports/imports.use-cases.ts';
import * as repo from './sources.repository.ts';
import { addSource, listSources, toSource, validateNewSource, type NewSource, type Source } from './sources.use-cases.ts';
import { enqueueSync, listSyncJobs, type SourceJobs, type SyncJob } from './sources.jobs.ts';

export interface BackOfficeDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Uploaded feeds are kept under `<dataDir>/sources/<name>/`. */
  dataDir: string;
  /** MAILLAGE_SOURCES_ALLOW_PRIVATE: a URL may point to a private or loopback address (false when absent). */
  allowPrivateAddresses?: boolean;
  /** Name resolution of URL hosts (tests). */
  resolve?: Resolver;
}

export interface UploadedFile {
  fileName: string;
  bytes: Uint8Array;
}

export interface SourceForm extends Omit<NewSource, 'mapping'> {
  upload?: UploadedFile | null;
}

const ownedBy = (account: AccountPrincipal) => new Set(account.scopes.filter((s) => s.kind === 'source').map((s) => s.code));

/** The account's sources: all of them for an administrator, its scope for a réseau. */
export async function listSourcesFor(deps: Pick<BackOfficeDeps, 'db'>, account: AccountPrincipal) {
  assertSourceAuthorized(account, 'source.list');
  const all = await listSources(deps);
  if (account.role === 'administrateur') return all;
  const mine = ownedBy(account);
  return all.filter((s) => mine.has(s.id));
}

/** A source the account may see (404 before 403 would leak names: both say the same). */
export async function sourceFor(deps: Pick<BackOfficeDeps, 'db'>, account: AccountPrincipal, name: string): Promise<Source> {
  assertSourceAuthorized(account, 'source.list');
  const row = /^[a-z0-9][a-z0-9_-]{1,62}$/.test(name) ? await repo.findSourceByName(deps.db, name) : undefined;
  if (!row) throw new NotFoundError(`Aucune source ne s’appelle « ${name} ».`);
  assertSourceAuthorized(account, 'source.read', row.id);
  return toSource(row);
}

export async function sourceByIdFor(deps: Pick<BackOfficeDeps, 'db'>, account: AccountPrincipal, id: string): Promise<Source> {
  assertSourceAuthorized(account, 'source.list');
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findSourceById(deps.db, id.toLowerCase()) : undefined;
  if (!row) throw new NotFoundError(`Aucune source ne porte l’identifiant « ${id} ».`);
  assertSourceAuthorized(account, 'source.read', row.id);
  return toSource(row);
}

/**
 * Creates a source from the back-office form. Its location is an http(s) URL or an uploaded
 * file (never a path on the server) on a public address (the sync checks it again at each
 * connection). A réseau account gets the new source in its scope.
 */
export async function createSourceAs(deps: BackOfficeDeps, account: AccountPrincipal, form: SourceForm): Promise<Source> {
  assertSourceAuthorized(account, 'source.create');
  const url = form.location?.trim() || null;
  const upload = form.upload && form.upload.bytes.byteLength > 0 ? form.upload : null;
  const errors: FieldError[] = [];
  if (url && upload) errors.push({ field: 'location', message: 'Indiquez une URL ou déposez un fichier, pas les deux.' });
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) errors.push({ field: 'location', value: url, message: 'L’emplacement doit être une adresse web commençant par https:// (ou http://).' });
  else if (url) {
    const problem = await sourceUrlProblem(url, { allowPrivate: deps.allowPrivateAddresses === true, resolve: deps.resolve });
    if (problem) errors.push({ field: 'location', value: url, message: problem });
  }
  const checked = validateNewSource({ ...form, location: url });
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length > 0) throw new ValidationError(errors, 'La source n’a pas été créée : certains champs ne sont pas valides.');
  if (checked.ok && (await repo.findSourceByName(deps.db, checked.value.name))) throw new ConflictError(`Une source s’appelle déjà « ${checked.value.name} ».`);

  let location = url;
  let written: string | null = null;
  if (upload) {
    const name = (form.name ?? '').trim();
    const safe = path.basename(upload.fileName).replace(/[^\w.-]+/g, '_').slice(-80) || 'fichier';
    written = path.join(deps.dataDir, 'sources', name, safe);
    await fs.mkdir(path.dirname(written), { recursive: true });
    await fs.writeFile(written, upload.bytes);
    location = written;
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const source = await addSource({ db: trx, clock: deps.clock }, { ...form, location });
      if (account.role === 'reseau') await trx.insertInto('account_scopes').values({ account_id: account.id, kind: 'source', code: source.id }).execute();
      return source;
    });
  } catch (error) {
    if (written) await fs.rm(written, { force: true });
    throw error;
  }
}

/** "Synchroniser maintenant": queues a job; null when one is already waiting. */
export async function requestSyncAs(deps: Pick<BackOfficeDeps, 'db'>, jobs: SourceJobs, account: AccountPrincipal, source: Source): Promise<string | null> {
  assertSourceAuthorized(account, 'source.sync', source.id);
  if (!source.location) throw new ValidationError([{ field: 'location', message: 'Cette source n’a ni URL ni fichier : rien à synchroniser.' }], 'Synchronisation impossible.');
  return enqueueSync(jobs, source, 'manual', { accountId: account.id });
}

export async function sourceJobsAs(deps: Pick<BackOfficeDeps, 'db'>, jobs: SourceJobs, account: AccountPrincipal, source: Source, limit = 20): Promise<SyncJob[]> {
  assertSourceAuthorized(account, 'source.read', source.id);
  return listSyncJobs(deps.db, jobs, source.id, limit);
}

export async function sourceRunsAs(deps: Pick<BackOfficeDeps, 'db'>, account: AccountPrincipal, source: Source, limit = 20) {
  assertSourceAuthorized(account, 'source.read', source.id);
  return repo.listRuns(deps.db, source.id, limit);
}

/** The row errors of one of the source's runs, as CSV. */
export async function runErrorsCsvAs(deps: Pick<BackOfficeDeps, 'db'>, account: AccountPrincipal, source: Source, runId: string): Promise<string> {
  assertSourceAuthorized(account, 'source.read', source.id);
  const run = /^[0-9a-f-]{36}$/i.test(runId) ? await repo.findRunOfSource(deps.db, source.id, runId.toLowerCase()) : undefined;
  if (!run) throw new NotFoundError(`Aucun import « ${runId} » pour la source « ${source.name} ».`);
  return importErrorsCsv(deps, run.id);
}

