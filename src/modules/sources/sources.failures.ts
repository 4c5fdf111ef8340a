// Why a sync failed, and whether trying again can help. A wrong file (unreadable, wrong
// columns, every row rejected, too large) or a refused address gives the same result at every
// attempt: the job fails at once. So does an address the server says is wrong (HTTP 4xx: not
// found, gone, forbidden…): the next scheduled sync tries it again. A network failure
// (unreachable, timeout, HTTP 5xx, 408, 425 or 429) or an internal error may pass: the job is
// retried with backoff (ADR 0004).
import { DomainError, NotFoundError } from '../../lib/errors.ts';
import { DownloadError } from '../../lib/download.ts';
import { PrivateAddressError, ResponseTooLargeError, UrlRefusedError } from '../../lib/guarded-fetch.ts';

/**
 * file: the content is wrong; address: the URL is refused, by us or by its server (HTTP 4xx);
 * source: gone or without location; network: download failed; location: the source's file
 * cannot be read (it may be put back); internal.
 */
export type SyncFailureKind = 'file' | 'address' | 'source' | 'network' | 'location' | 'internal';

export const syncFailureKinds: readonly SyncFailureKind[] = ['file', 'address', 'source', 'network', 'location', 'internal'];

export function isRetriable(kind: SyncFailureKind): boolean {
  return kind === 'network' || kind === 'location' || kind === 'internal';
}

/** A failed sync attempt: its French reason and its kind (kept in pg-boss's job output). */
export class SyncFailure extends Error {
  constructor(
    message: string,
    readonly failure: SyncFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SyncFailure';
  }
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 6; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** A 4xx answer that the same request will get again (not a timeout, too early or too many requests). */
const isClientError = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;

export function failureKindOf(error: unknown): SyncFailureKind {
  if (error instanceof SyncFailure) return error.failure;
  const chain = causes(error);
  if (chain.some((e) => e instanceof PrivateAddressError || e instanceof UrlRefusedError)) return 'address';
  if (chain.some((e) => e instanceof ResponseTooLargeError)) return 'file';
  if (error instanceof DownloadError) return error.status !== null && isClientError(error.status) ? 'address' : 'network';
  if (error instanceof NotFoundError) return 'source';
  // ImportFileError, ValidationError and the other 4xx domain errors: the content is at fault.
  if (error instanceof DomainError && error.status < 500) return 'file';
  return 'internal';
}

/** The reason as people read it, without the download helper's wrapping around a refused address. */
export function failureMessageOf(error: unknown, kind: SyncFailureKind): string {
  const address = causes(error).find((e) => e instanceof PrivateAddressError || e instanceof UrlRefusedError) as Error | undefined;
  if (kind === 'address' && address) return address instanceof PrivateAddressError ? address.message : `Adresse refusée : ${address.message}.`;
  return error instanceof Error ? error.message : String(error);
}

const time = (at: Date, now: Date) => {
  const day = (d: Date) => d.toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' });
  const hour = at.toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  return day(at) === day(now) ? `à ${hour}` : `le ${day(at)} à ${hour}`;
};

/**
 * One French sentence saying what happened and what comes next: "Fichier invalide : … — pas
 * de nouvelle tentative." or "Échec réseau — nouvelle tentative à 14:05 : …".
 */
export function failureSummary(kind: SyncFailureKind, message: string, next: { retryAt: Date | null; attempts: number; now: Date }): string {
  const reason = message.replace(/[.\s]+$/, '');
  if (!isRetriable(kind)) return `${kind === 'file' ? 'Fichier invalide : ' : ''}${reason} — pas de nouvelle tentative.`;
  const label = kind === 'network' ? 'Échec réseau' : kind === 'location' ? 'Fichier inaccessible' : 'Erreur interne';
  if (next.retryAt) return `${label} — nouvelle tentative ${time(next.retryAt, next.now)} : ${reason}.`;
  return `${label} — plus de nouvelle tentative après ${next.attempts} essai${next.attempts > 1 ? 's' : ''} : ${reason}.`;
}
