/**
 * @module test/conformance/registry.test
 * The registry held to its promise: adding a provider is its own folder and one registry line, and
 * the conformance suite then runs against it (this fails until it has a fixture). A URL the
 * registry cannot place is refused with a message that says why, never with the secret in it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/ports/logger.js';
import type { ProviderContext } from '../../src/ports/provider.js';
import { createProvider, PROVIDER_SCHEMES } from '../../src/providers/registry.js';
import { FIXTURES } from './fixtures/index.js';

const PROVIDERS_DIR = join(import.meta.dirname, '../../src/providers');

/** Schemes that are another scheme's adapter with a different default, not an adapter of their own. */
const ALIASES: Readonly<Record<string, string>> = {
  smtps: 'smtp', // SMTP with TLS from the first byte (port 465)
};

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const ctx: ProviderContext = {
  publicUrl: 'http://127.0.0.1:1',
  reportStatus: () => undefined,
  logger: silent,
  clock: { now: () => Date.now() },
};

const SECRET = 'S3cretValue0123456789';

async function failure(url: string): Promise<Error> {
  const err = await createProvider(url, ctx).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('provider registry', () => {
  const adapterFolders = readdirSync(PROVIDERS_DIR).filter((entry) =>
    statSync(join(PROVIDERS_DIR, entry)).isDirectory(),
  );

  it.each(PROVIDER_SCHEMES)('%s:// has an adapter folder with an index.ts', (scheme) => {
    const kind = ALIASES[scheme] ?? scheme;
    expect(existsSync(join(PROVIDERS_DIR, kind, 'index.ts'))).toBe(true);
  });

  it.each(PROVIDER_SCHEMES)('%s:// is covered by a conformance fixture', (scheme) => {
    const kind = ALIASES[scheme] ?? scheme;
    expect(FIXTURES.map((f) => f.scheme)).toContain(kind);
  });

  it('every adapter folder is reachable through a scheme, and every fixture names a registered scheme', () => {
    const kinds = new Set(PROVIDER_SCHEMES.map((s) => ALIASES[s] ?? s));
    expect([...adapterFolders].sort()).toEqual([...kinds].sort());
    for (const f of FIXTURES) expect(PROVIDER_SCHEMES).toContain(f.scheme);
    expect(new Set(FIXTURES.map((f) => f.scheme)).size).toBe(FIXTURES.length);
  });

  it('smtps:// is the SMTP adapter, reporting kind smtp and printing itself back as smtps', async () => {
    const provider = await createProvider(`smtps://mailer:${SECRET}@127.0.0.1?from=noreply@example.com`, ctx);
    expect(provider).toMatchObject({ kind: 'smtp', id: 'smtp:default', channel: 'email' });
    expect(provider.describe()).toMatch(/^smtps:\/\/mailer:S3cr\*{4}@127\.0\.0\.1:465\?/);
    await provider.close?.();
  });

  it('an unknown scheme is refused by name, with the known ones listed, and without its secret', async () => {
    const err = await failure(`carrier-pigeon://coop:${SECRET}@loft`);
    expect(err.message).toMatch(/unknown provider "carrier-pigeon"/);
    for (const scheme of PROVIDER_SCHEMES) expect(err.message).toContain(scheme);
    expect(err.message).not.toContain(SECRET);
  });

  it.each([
    // AWS secrets hold "/" and "+": pasted unencoded, the URL no longer parses.
    ['an unencoded "/" in the secret', `sns://AKIAEXAMPLE:${SECRET}/x+y@us-east-1`],
    ['a space in the sender', `twilio://AC0123456789abcdef0123456789abcdef:${SECRET}@+1 555 0100`],
    ['a missing "://"', `twilio//AC0123456789abcdef0123456789abcdef:${SECRET}@+15550100`],
  ])('a malformed URL (%s) is refused as "not a provider URL", without its secret', async (_what, url) => {
    const err = await failure(url);
    expect(err.message).toMatch(/not a provider URL/);
    expect(err.message).not.toContain(SECRET);
  });

  // A bare token pasted where the URL belongs must not come back in the error (nor reach a log).
  it('a bare secret pasted instead of a URL is not echoed back', async () => {
    const err = await failure(SECRET);
    expect(err.message).not.toContain(SECRET);
  });

  it.each(PROVIDER_SCHEMES.filter((s) => s !== 'sim'))(
    '%s:// with an unknown option is refused with the option named, without the secret',
    async (scheme) => {
      const err = await failure(`${scheme}://user:${SECRET}@example.com?bogus=1`);
      expect(err.message).toMatch(/bogus/);
      expect(err.message).not.toContain(SECRET);
    },
  );
});
