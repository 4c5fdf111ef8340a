// fetch() for URLs given by accounts (source feeds): http(s) only, public addresses only, a
// time limit, a size limit, and redirects followed by hand so that each hop is checked again.
// The address check runs inside the connection (undici connector with a filtering DNS lookup,
// then the socket's actual peer address), so a DNS answer that changes between a check and the
// connection (rebinding) cannot reach a private address.
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { blockedAddressReason, PrivateAddressError, publicAddressesOf, systemResolver, type AddressPolicy, type Resolver } from './public-address.ts';

export { PrivateAddressError } from './public-address.ts';

/** The URL itself is refused (scheme, syntax, redirect loop): asking again will not help. */
export class UrlRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlRefusedError';
  }
}

/** The response is larger than allowed. */
export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`le fichier dépasse la taille permise (${Math.round(maxBytes / 1024 / 1024)} Mo)`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface GuardedFetchOptions {
  /** MAILLAGE_SOURCES_ALLOW_PRIVATE: private and loopback addresses allowed (intranet feeds, tests). */
  allowPrivate: boolean;
  /** Whole exchange, redirects included (default 2 minutes). */
  timeoutMs?: number;
  /** Largest body accepted (default 100 MiB). */
  maxBytes?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  /** Name resolution (tests); the system resolver by default. */
  resolve?: Resolver;
  /** Which addresses are refused (tests); blockedAddressReason by default. */
  policy?: AddressPolicy;
}

export const defaultMaxBytes = 100 * 1024 * 1024;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function filteringLookup(resolve: Resolver, policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    publicAddressesOf(hostname, resolve, policy).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) return callback(null, wanted);
        const first = wanted[0];
        if (!first) return callback(Object.assign(new Error(`aucune adresse IPv${options.family} pour ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** An undici Agent whose every connection goes to a public address (checked before and after connecting). */
export function createPublicOnlyAgent(resolve: Resolver = systemResolver, policy: AddressPolicy = blockedAddressReason): Agent {
  const connector = buildConnector({ lookup: filteringLookup(resolve, policy), timeout: 10_000 });
  const connect: buildConnector.connector = (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    // net.connect does not call `lookup` for an IP literal: judge it here.
    const literalReason = net.isIP(host) ? policy(host) : null;
    if (literalReason) return callback(new PrivateAddressError(host, host, literalReason), null);
    connector(options, (...args) => {
      if (args[0]) return callback(args[0], null);
      const socket = args[1];
      const peer = socket.remoteAddress ?? '';
      const reason = peer ? policy(peer) : 'adresse du serveur inconnue';
      if (reason) {
        socket.destroy();
        return callback(new PrivateAddressError(host, peer, reason), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect });
}

let publicAgent: Agent | undefined;
let anyAgent: Agent | undefined;
const customAgents = new WeakMap<Resolver | AddressPolicy, Agent>();

function agentFor(options: GuardedFetchOptions): Agent {
  if (options.allowPrivate) return (anyAgent ??= new Agent({ connect: { timeout: 10_000 } }));
  if (!options.resolve && !options.policy) return (publicAgent ??= createPublicOnlyAgent());
  // Tests: one agent per resolver or policy function.
  const key = (options.resolve ?? options.policy)!;
  let agent = customAgents.get(key);
  if (!agent) customAgents.set(key, (agent = createPublicOnlyAgent(options.resolve, options.policy)));
  return agent;
}

/** The first PrivateAddressError in an error's causes (undici wraps connection errors in "fetch failed"). */
function privateAddressCause(error: unknown): PrivateAddressError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = (e as Error & { cause?: unknown }).cause, depth++) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new UrlRefusedError(`adresse illisible : « ${text} »`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UrlRefusedError(`seules les adresses http:// et https:// sont permises (reçu « ${url.protocol} »)`);
  if (url.username || url.password) throw new UrlRefusedError('une adresse avec identifiant et mot de passe n’est pas permise');
  return url;
}

/** Counts the body as it streams and stops it past `maxBytes`. */
function limitedBody(response: Response, maxBytes: number): Response {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel();
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!response.body) return response;
  let received = 0;
  const limiter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > maxBytes) controller.error(new ResponseTooLargeError(maxBytes));
      else controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(limiter), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Like fetch(url), with the rules above; a refused address throws PrivateAddressError. */
export async function guardedFetch(url: string | URL, options: GuardedFetchOptions): Promise<Response> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const maxRedirects = options.maxRedirects ?? 5;
  const dispatcher = agentFor(options);
  let current = parseUrl(String(url));
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = (await undiciFetch(current, { dispatcher, redirect: 'manual', signal })) as unknown as Response;
    } catch (error) {
      throw privateAddressCause(error) ?? error;
    }
    const location = response.headers.get('location');
    if (!redirectStatuses.has(response.status) || !location) return limitedBody(response, options.maxBytes ?? defaultMaxBytes);
    await response.body?.cancel();
    if (hop >= maxRedirects) throw new UrlRefusedError(`trop de redirections (plus de ${maxRedirects})`);
    current = parseUrl(location, current);
  }
}

/** A fetch function with these options, for code that takes `typeof fetch` (download helper). */
export function guardedFetchWith(options: GuardedFetchOptions): typeof fetch {
  return ((input: string | URL | Request) => guardedFetch(input instanceof Request ? input.url : input, options)) as typeof fetch;
}

/**
 * French reason why the server must not fetch this URL, or null: checked when a source is
 * saved, so the producer hears it at once (the fetch checks again, at each connection).
 */
export async function sourceUrlProblem(url: string, options: Pick<GuardedFetchOptions, 'allowPrivate' | 'resolve' | 'policy'>): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = parseUrl(url);
  } catch (error) {
    return `L’adresse n’est pas permise : ${(error as Error).message}.`;
  }
  if (options.allowPrivate) return null;
  try {
    // A slow resolver must not hold the form: past 3 s, the sync's own check will do.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, 3_000)));
    await Promise.race([publicAddressesOf(parsed.hostname, options.resolve, options.policy), late]).finally(() => clearTimeout(timer));
    return null;
  } catch (error) {
    if (error instanceof PrivateAddressError) return error.message;
    // A name that does not resolve today may tomorrow; the sync will say so.
    return null;
  }
}
