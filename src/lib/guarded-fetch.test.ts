// Fetches of account-given URLs: private, loopback, link-local (cloud metadata) and other
// special addresses refused before anything is sent, whether given as a literal, a name, a
// name whose answer changes (rebinding) or a redirect; allowed when configured. A local HTTP
// server on 127.0.0.1 counts the requests that reached it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedAddressReason, type Resolver } from './public-address.ts';
import { guardedFetch, PrivateAddressError, ResponseTooLargeError, sourceUrlProblem, UrlRefusedError } from './guarded-fetch.ts';
import { ConfigError, loadConfig } from '../server/config.ts';

let server: http.Server;
let port: number;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    hits.push(request.url!);
    const url = new URL(request.url!, 'http://x');
    if (url.pathname === '/redirect') return void response.writeHead(302, { location: url.searchParams.get('to')! }).end();
    if (url.pathname === '/loop') return void response.writeHead(301, { location: '/loop' }).end();
    if (url.pathname === '/big') return void response.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
    if (url.pathname === '/big-chunked') {
      response.writeHead(200);
      for (let i = 0; i < 10; i++) response.write('y'.repeat(1000));
      return void response.end();
    }
    if (url.pathname === '/silent') return; // never answers
    response.writeHead(200, { 'content-type': 'text/csv' }).end('id,nom\n1,EPN');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const refused = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PrivateAddressError);
  return (error as PrivateAddressError).message;
};

describe('blockedAddressReason', () => {
  it('refuses loopback, private, link-local, unique-local, CGNAT, multicast and their IPv4-mapped forms', () => {
    const refusedAddresses = [
      '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '0.1.2.3',
      '100.64.0.1', '100.127.255.254', '224.0.0.1', '255.255.255.255', '192.0.2.1',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:10.0.0.1',
      '::7f00:1', '64:ff9b::a00:1', '64:ff9b:1::a00:1', '2002:7f00:1::1', '[::1]', 'fe80::1%eth0',
    ];
    for (const address of refusedAddresses) expect(blockedAddressReason(address), address).not.toBeNull();
    expect(blockedAddressReason('169.254.169.254')).toMatch(/métadonnées/);
    expect(blockedAddressReason('10.0.0.1')).toBe('réseau privé (RFC 1918)');
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      expect(blockedAddressReason(address), address).toBeNull();
    }
  });
});

describe('guardedFetch', () => {
  it('refuses a loopback literal before sending anything', async () => {
    hits.length = 0;
    expect(await refused(guardedFetch(`${base}/lieux.csv`, { allowPrivate: false }))).toBe(
      'Cette adresse pointe vers un réseau privé : 127.0.0.1, adresse de bouclage (la machine elle-même).',
    );
    expect(hits).toEqual([]);
  });

  it('refuses IPv6 literals (loopback, IPv4-mapped) and the cloud metadata address', async () => {
    await refused(guardedFetch(`http://[::1]:${port}/lieux.csv`, { allowPrivate: false }));
    await refused(guardedFetch(`http://[::ffff:127.0.0.1]:${port}/lieux.csv`, { allowPrivate: false }));
    expect(await refused(guardedFetch('http://169.254.169.254/latest/meta-data/', { allowPrivate: false, timeoutMs: 2_000 }))).toMatch(/169\.254\.169\.254, adresse lien-local/);
    expect(hits).toEqual([]);
  });

  it('refuses a host name that resolves to a private address', async () => {
    expect(await refused(guardedFetch(`http://localhost:${port}/lieux.csv`, { allowPrivate: false }))).toMatch(/^Cette adresse pointe vers un réseau privé : localhost \((127\.0\.0\.1|::1)\)/);
    const intranet: Resolver = async (name) => (name === 'flux.intranet.example' ? [{ address: '10.1.2.3', family: 4 }] : []);
    expect(await refused(guardedFetch(`http://flux.intranet.example:${port}/`, { allowPrivate: false, resolve: intranet }))).toBe(
      'Cette adresse pointe vers un réseau privé : flux.intranet.example (10.1.2.3), réseau privé (RFC 1918).',
    );
    // One public and one private answer: refused as a whole.
    const mixed: Resolver = async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    await refused(guardedFetch(`http://mixte.example:${port}/`, { allowPrivate: false, resolve: mixed }));
    expect(hits).toEqual([]);
  });

  it('checks the address at connection time: a name public when saved and private when fetched (rebinding) is refused', async () => {
    let answers = 0;
    const rebinding: Resolver = async () => (answers++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    expect(await sourceUrlProblem(`http://rebind.example:${port}/lieux.csv`, { allowPrivate: false, resolve: rebinding })).toBeNull();
    await refused(guardedFetch(`http://rebind.example:${port}/lieux.csv`, { allowPrivate: false, resolve: rebinding }));
    expect(answers).toBeGreaterThanOrEqual(2);
    expect(hits).toEqual([]);
  });

  it('checks every redirect again: a redirect to a private address is refused', async () => {
    // Here 127.0.0.1 plays a public server; every other special address stays refused.
    const policy = (address: string) => (address === '127.0.0.1' ? null : blockedAddressReason(address));
    hits.length = 0;
    const ok = await guardedFetch(`${base}/redirect?to=${encodeURIComponent('/lieux.csv')}`, { allowPrivate: false, policy });
    expect(await ok.text()).toBe('id,nom\n1,EPN');
    expect(hits).toEqual(['/redirect?to=%2Flieux.csv', '/lieux.csv']);

    hits.length = 0;
    await refused(guardedFetch(`${base}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/lieux.csv`)}`, { allowPrivate: false, policy }));
    await refused(guardedFetch(`${base}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`, { allowPrivate: false, policy }));
    expect(hits).toEqual([`/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/lieux.csv`)}`, `/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`]);

    await expect(guardedFetch(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, { allowPrivate: false, policy })).rejects.toThrow(UrlRefusedError);
    await expect(guardedFetch(`${base}/loop`, { allowPrivate: false, policy, maxRedirects: 3 })).rejects.toThrow('trop de redirections (plus de 3)');
  });

  it('refuses other schemes, and limits the size and the time', async () => {
    await expect(guardedFetch('ftp://example.org/lieux.csv', { allowPrivate: true })).rejects.toThrow(/seules les adresses http:\/\/ et https:\/\//);
    await expect(guardedFetch(`${base}/big`, { allowPrivate: true, maxBytes: 1_000 })).rejects.toThrow(ResponseTooLargeError);
    const chunked = await guardedFetch(`${base}/big-chunked`, { allowPrivate: true, maxBytes: 5_000 });
    await expect(chunked.arrayBuffer()).rejects.toThrow(/dépasse la taille permise/);
    await expect(guardedFetch(`${base}/silent`, { allowPrivate: true, timeoutMs: 300 })).rejects.toThrow(/abort|timeout/i);
  });

  it('fetches from loopback when private addresses are allowed (MAILLAGE_SOURCES_ALLOW_PRIVATE)', async () => {
    hits.length = 0;
    const response = await guardedFetch(`${base}/redirect?to=${encodeURIComponent(`http://localhost:${port}/lieux.csv`)}`, { allowPrivate: true });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('id,nom\n1,EPN');
    expect(hits).toHaveLength(2);
  });
});

describe('sourceUrlProblem (when a source is saved)', () => {
  it('names the private address, and says nothing for a public one or when allowed', async () => {
    expect(await sourceUrlProblem(`${base}/lieux.csv`, { allowPrivate: false })).toMatch(/^Cette adresse pointe vers un réseau privé : 127\.0\.0\.1/);
    expect(await sourceUrlProblem('http://[fd00::5]/flux.json', { allowPrivate: false })).toMatch(/^Cette adresse pointe vers un réseau privé : fd00::5, réseau privé IPv6/);
    expect(await sourceUrlProblem('gopher://example.org/', { allowPrivate: false })).toMatch(/^L’adresse n’est pas permise : seules les adresses http/);
    const publicName: Resolver = async () => [{ address: '93.184.216.34', family: 4 }];
    expect(await sourceUrlProblem('https://data.example.org/lieux.csv', { allowPrivate: false, resolve: publicName })).toBeNull();
    expect(await sourceUrlProblem(`${base}/lieux.csv`, { allowPrivate: true })).toBeNull();
  });
});

describe('MAILLAGE_SOURCES_ALLOW_PRIVATE', () => {
  it('is off by default, on when set to true, and refuses anything else in French', () => {
    expect(loadConfig({}).sourcesAllowPrivate).toBe(false);
    expect(loadConfig({ MAILLAGE_SOURCES_ALLOW_PRIVATE: 'true' }).sourcesAllowPrivate).toBe(true);
    expect(loadConfig({ MAILLAGE_SOURCES_ALLOW_PRIVATE: 'false' }).sourcesAllowPrivate).toBe(false);
    expect(() => loadConfig({ MAILLAGE_SOURCES_ALLOW_PRIVATE: 'intranet' })).toThrow(new ConfigError('MAILLAGE_SOURCES_ALLOW_PRIVATE doit valoir true ou false (reçu « intranet »)'));
  });
});
