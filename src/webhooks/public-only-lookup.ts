/**
 * @module webhooks/public-only-lookup
 * Name resolution for connections to other people's servers that must not reach ours (SSRF). The
 * URL's host is checked when an endpoint is registered (app/webhook-url), but only as written: a
 * public-looking name can resolve to 10.0.0.5 or 169.254.169.254, or be pointed there later. This
 * lookup runs for every new connection: it drops the addresses the caller refuses, and the socket
 * connects to one of those that were checked, so there is no window between check and use. A name
 * with nothing but refused addresses fails with EPRIVATEADDRESS, which the delivery records.
 * (A URL with an IP address in it is not looked up at all; the senders check that case themselves.)
 */
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** dns.lookup's shape with `all: true`; tests pass their own names in. */
export type Resolver = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export const PRIVATE_ADDRESS = 'EPRIVATEADDRESS';

export function refusedHostError(hostname: string): NodeJS.ErrnoException {
  return Object.assign(
    new Error(
      `${hostname} is a loopback, private or link-local address, or resolves only to such addresses ` +
        '(set TIDINGS_ALLOW_PRIVATE_WEBHOOKS=1 to allow them)',
    ),
    { code: PRIVATE_ADDRESS },
  );
}

/** A `lookup` for net/tls (and undici's `connect` option) that never yields a refused address. */
export function publicOnlyLookup(
  refuse: (address: string) => boolean,
  resolve: Resolver = systemLookup,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      const allowed = err ? [] : addresses.filter((a) => !refuse(a.address));
      const failure = err ?? (allowed.length === 0 ? refusedHostError(hostname) : null);
      // net asks for every address (`all`) when it races IPv4 and IPv6; otherwise for one.
      if (options.all) callback(failure, allowed);
      else if (failure) callback(failure, '', 0);
      else callback(null, (allowed[0] as LookupAddress).address, (allowed[0] as LookupAddress).family);
    });
  };
}
