// Which sync failures are retried, and the French sentence that says so.
import { describe, expect, it } from 'vitest';
import { DownloadError } from '../../lib/download.ts';
import { NotFoundError, ValidationError } from '../../lib/errors.ts';
import { PrivateAddressError, ResponseTooLargeError, UrlRefusedError } from '../../lib/guarded-fetch.ts';
import { ImportFileError } from '../imports/imports.errors.ts';
import { ImportRunError } from '../imports/imports.use-cases.ts';
import { failureKindOf, failureMessageOf, failureSummary, isRetriable, SyncFailure } from './sources.failures.ts';

const download = (cause: unknown) => new DownloadError('Source « x » : téléchargement impossible depuis http://a/b (…) ; le fichier précédent est conservé.', { cause });

const httpError = (status: number) => new DownloadError(`Source « x » : le serveur a répondu HTTP ${status} pour http://a/b ; le fichier précédent est conservé.`, { status });

describe('failureKindOf', () => {
  it('retries network and internal failures only, not an address its server refuses (HTTP 4xx but 408 and 429)', () => {
    const cases: [unknown, string, boolean][] = [
      [httpError(503), 'network', true],
      [httpError(429), 'network', true],
      [httpError(408), 'network', true],
      [httpError(404), 'address', false],
      [httpError(410), 'address', false],
      [httpError(403), 'address', false],
      [download(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 'network', true],
      [download(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })), 'network', true],
      [download(new PrivateAddressError('intranet', '10.0.0.1', 'réseau privé (RFC 1918)')), 'address', false],
      [download(new UrlRefusedError('trop de redirections (plus de 5)')), 'address', false],
      [download(new ResponseTooLargeError(100 * 1024 * 1024)), 'file', false],
      [new ImportFileError('Le fichier est vide.'), 'file', false],
      [new ValidationError([{ field: 'format', message: 'Format inconnu.' }]), 'file', false],
      [new NotFoundError('Aucune source ne s’appelle « x ».'), 'source', false],
      [new SyncFailure('Source « x » : lecture impossible de « /a » (le fichier n’existe pas).', 'location'), 'location', true],
      [new ImportRunError('L’import a échoué et n’a rien modifié : deadlock detected'), 'internal', true],
      [new TypeError('Cannot read properties of undefined'), 'internal', true],
    ];
    for (const [error, kind, retried] of cases) {
      expect(failureKindOf(error), String((error as Error).message)).toBe(kind);
      expect(isRetriable(failureKindOf(error))).toBe(retried);
    }
  });

  it('gives the refused address’s own message, without the download wrapping', () => {
    const error = download(new PrivateAddressError('localhost', '127.0.0.1', 'adresse de bouclage (la machine elle-même)'));
    expect(failureMessageOf(error, 'address')).toBe('Cette adresse pointe vers un réseau privé : localhost (127.0.0.1), adresse de bouclage (la machine elle-même).');
    expect(failureMessageOf(download(new UrlRefusedError('trop de redirections (plus de 5)')), 'address')).toBe('Adresse refusée : trop de redirections (plus de 5).');
  });
});

describe('failureSummary', () => {
  const now = new Date('2025-03-01T12:00:00Z'); // 13:00 in Paris

  it('says a wrong file will not be retried, and when a network failure will be', () => {
    expect(failureSummary('file', 'Le fichier est vide.', { retryAt: null, attempts: 1, now })).toBe('Fichier invalide : Le fichier est vide — pas de nouvelle tentative.');
    expect(failureSummary('address', 'Cette adresse pointe vers un réseau privé : 10.0.0.1, réseau privé (RFC 1918).', { retryAt: null, attempts: 1, now })).toBe(
      'Cette adresse pointe vers un réseau privé : 10.0.0.1, réseau privé (RFC 1918) — pas de nouvelle tentative.',
    );
    expect(failureSummary('network', 'Source « x » : le serveur a répondu HTTP 503.', { retryAt: new Date('2025-03-01T12:04:00Z'), attempts: 1, now })).toBe(
      'Échec réseau — nouvelle tentative à 13:04 : Source « x » : le serveur a répondu HTTP 503.',
    );
    expect(failureSummary('network', 'HTTP 503', { retryAt: new Date('2025-03-02T00:30:00Z'), attempts: 2, now })).toBe('Échec réseau — nouvelle tentative le 02/03/2025 à 01:30 : HTTP 503.');
    expect(failureSummary('network', 'HTTP 503', { retryAt: null, attempts: 4, now })).toBe('Échec réseau — plus de nouvelle tentative après 4 essais : HTTP 503.');
    expect(failureSummary('location', 'lecture impossible', { retryAt: new Date('2025-03-01T12:01:00Z'), attempts: 1, now })).toBe('Fichier inaccessible — nouvelle tentative à 13:01 : lecture impossible.');
  });
});
