import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { isPrivateHost } from '../app/private-address.js';
import { PRIVATE_ADDRESS, publicOnlyLookup, type Resolver } from './public-only-lookup.js';

/** Names as a DNS server would answer them. */
const zone: Record<string, LookupAddress[]> = {
  'mixed.example': [
    { address: '10.0.0.5', family: 4 },
    { address: '93.184.216.34', family: 4 },
    { address: '::1', family: 6 },
    { address: '2606:2800:220:1::1', family: 6 },
  ],
  'metadata.example': [{ address: '169.254.169.254', family: 4 }],
  'internal.example': [
    { address: '10.1.2.3', family: 4 },
    { address: 'fd00::7', family: 6 },
  ],
};
const resolver: Resolver = (hostname, _options, callback) => {
  const found = zone[hostname];
  if (found) callback(null, found);
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
};
const lookup = publicOnlyLookup(isPrivateHost, resolver);

function ask(
  hostname: string,
  all: boolean,
): Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }> {
  return new Promise((resolve) =>
    lookup(hostname, { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

describe('public-only name resolution for webhook connections', () => {
  it('gives every public address, and none of the private ones, when net asks for all', async () => {
    const { err, address } = await ask('mixed.example', true);
    expect(err).toBeNull();
    expect(address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
  });

  it('gives the first public address when net asks for one', async () => {
    expect(await ask('mixed.example', false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
  });

  it('refuses a name that resolves only to private, link-local or metadata addresses', async () => {
    for (const name of ['metadata.example', 'internal.example']) {
      for (const all of [true, false]) {
        const { err, address } = await ask(name, all);
        expect(err?.code).toBe(PRIVATE_ADDRESS);
        expect(err?.message).toContain(name);
        expect(address).toEqual(all ? [] : '');
      }
    }
  });

  it("passes the resolver's own failure on", async () => {
    const { err } = await ask('nowhere.example', true);
    expect(err?.code).toBe('ENOTFOUND');
  });
});
