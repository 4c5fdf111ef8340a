// Which IP addresses the server may fetch a producer's feed from: public unicast only. A URL
// given by an account must not make the server reach its own machine, the hosting network or
// the cloud metadata service (SSRF). ipaddr.js names the special ranges; we refuse all of them.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** French names of the refused ranges (ipaddr.js range names). */
const rangeLabels: Record<string, string> = {
  loopback: 'adresse de bouclage (la machine elle-même)',
  private: 'réseau privé (RFC 1918)',
  linkLocal: 'adresse lien-local (dont le service de métadonnées du cloud 169.254.169.254)',
  uniqueLocal: 'réseau privé IPv6 (fc00::/7)',
  unspecified: 'adresse non spécifiée (0.0.0.0/8 ou ::)',
  carrierGradeNat: 'réseau partagé d’opérateur (100.64.0.0/10)',
  multicast: 'adresse de multidiffusion',
  broadcast: 'adresse de diffusion',
  reserved: 'plage réservée',
  benchmarking: 'plage réservée aux tests',
  deprecatedSiteLocal: 'réseau local IPv6 (fec0::/10)',
};

/** IPv6 ranges that embed an IPv4 address (NAT64, 6to4, Teredo…) or that ipaddr.js does not name. */
const embeddingIpv4: [ipaddr.IPv6, number][] = [
  ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number], // IPv4-compatible (deprecated): ::7f00:1 is 127.0.0.1
  ipaddr.parseCIDR('64:ff9b::/32') as [ipaddr.IPv6, number], // NAT64, well-known and local-use (RFC 6052, 8215)
];

/**
 * Why the server must not connect to this address (a French phrase), or null for a public
 * unicast address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as its IPv4 address.
 */
export function blockedAddressReason(address: string): string | null {
  const literal = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(literal)) return 'adresse IP illisible';
  let parsed = ipaddr.parse(literal);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (parsed.kind() === 'ipv6' && range === 'unicast' && embeddingIpv4.some(([base, bits]) => (parsed as ipaddr.IPv6).match(base, bits))) {
    return 'adresse IPv6 qui contient une adresse IPv4';
  }
  if (range === 'unicast') return null;
  return rangeLabels[range] ?? (parsed.kind() === 'ipv6' ? 'adresse IPv6 de transition ou réservée' : 'plage réservée');
}

/** Why an address is refused (French phrase), or null: blockedAddressReason, or a stricter one in tests. */
export type AddressPolicy = (address: string) => string | null;

/** The address the server was about to reach is not public. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`Cette adresse pointe vers un réseau privé : ${host === address ? address : `${host} (${address})`}, ${reason}.`);
    this.name = 'PrivateAddressError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address of a host name (injectable in tests). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The host's addresses, refused as a whole when any of them is not public (an IP literal is not resolved). */
export async function publicAddressesOf(host: string, resolve: Resolver = systemResolver, reasonOf: AddressPolicy = blockedAddressReason): Promise<ResolvedAddress[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const family = net.isIP(bare);
  const addresses = family ? [{ address: bare, family }] : await resolve(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`aucune adresse pour ${bare}`), { code: 'ENOTFOUND' });
  for (const { address } of addresses) {
    const reason = reasonOf(address);
    if (reason) throw new PrivateAddressError(bare, address, reason);
  }
  return addresses;
}
