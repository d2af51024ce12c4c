import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSns, type FakeSns } from '../../../test/fakes/sns/index.js';
import { createSnsClient, publish } from './client.js';
import { parseSnsUrl } from './config.js';

// A server whose environment and ~/.aws files point somewhere else must not change where, as whom,
// or how often we publish: everything comes from the provider URL.
const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TRAP = 'http://127.0.0.1:1';

const HOSTILE_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'AKIAFROMENVIRONMENT0',
  AWS_SECRET_ACCESS_KEY: 'secret-from-environment',
  AWS_SESSION_TOKEN: 'token-from-environment',
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: TRAP,
  AWS_ENDPOINT_URL_SNS: TRAP,
  AWS_MAX_ATTEMPTS: '5',
  AWS_RETRY_MODE: 'adaptive',
  AWS_USE_FIPS_ENDPOINT: 'true',
  AWS_USE_DUALSTACK_ENDPOINT: 'true',
  AWS_DEFAULTS_MODE: 'auto',
  AWS_PROFILE: 'elsewhere',
};

describe('SNS client: credentials, region, endpoint and retries come only from the URL', () => {
  let fake: FakeSns;
  let dir: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    fake = await startFakeSns({ accessKeyId: AKID, secretAccessKey: SECRET });
    dir = mkdtempSync(join(tmpdir(), 'tidings-sns-'));
    const profile = [
      '[profile elsewhere]',
      'region = eu-west-1',
      `endpoint_url = ${TRAP}`,
      'max_attempts = 5',
      'use_fips_endpoint = true',
      '[services elsewhere]',
      `sns =\n  endpoint_url = ${TRAP}`,
    ].join('\n');
    writeFileSync(join(dir, 'config'), profile);
    writeFileSync(
      join(dir, 'credentials'),
      '[elsewhere]\naws_access_key_id = AKIAFROMPROFILEFILE0\naws_secret_access_key = x\n',
    );
    const env = {
      ...HOSTILE_ENV,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
  });

  const config = (query = '') =>
    parseSnsUrl(`sns://${AKID}:${encodeURIComponent(SECRET)}@us-east-1?endpoint=${fake.url}${query}`);
  const input = { PhoneNumber: '+15555550100', Message: 'hi' };
  const opts = { timeoutMs: 5_000, now: () => Date.now() };

  it('publishes to the URL endpoint with the URL key, scoped to the URL region', async () => {
    const client = createSnsClient(config());
    try {
      const id = await publish(client, input, new AbortController().signal, opts);
      expect(fake.sent.at(-1)).toMatchObject({ messageId: id, accessKeyId: AKID });
    } finally {
      client.destroy();
    }
  });

  it('tries once, whatever AWS_MAX_ATTEMPTS says', async () => {
    const client = createSnsClient(config());
    const before = fake.requests;
    fake.failNext(1, { code: 'InternalError', message: 'boom' });
    try {
      await expect(publish(client, input, new AbortController().signal, opts)).rejects.toMatchObject({
        kind: 'transient',
      });
      expect(fake.requests).toBe(before + 1);
    } finally {
      client.destroy();
    }
  });

  it("without endpoint=, goes to AWS's regional endpoint, not to AWS_ENDPOINT_URL_SNS or the profile's", async () => {
    const client = createSnsClient(parseSnsUrl(`sns://${AKID}:${encodeURIComponent(SECRET)}@us-east-1`));
    const seen: { url: string; authorization: string }[] = [];
    const stop = new Error('stopped before the network');
    // The SDK's public middleware API: look at the request as signed, then stop it before it leaves.
    client.middlewareStack.addRelativeTo(
      () => async (args: { request: unknown }) => {
        const req = args.request as {
          protocol: string;
          hostname: string;
          path: string;
          headers: Record<string, string>;
        };
        seen.push({
          url: `${req.protocol}//${req.hostname}${req.path}`,
          authorization: req.headers.authorization ?? '',
        });
        throw stop;
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tidingsCapture' },
    );
    try {
      await expect(client.send(new PublishCommand(input))).rejects.toBe(stop);
    } finally {
      client.destroy();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://sns.us-east-1.amazonaws.com/');
    expect(seen[0]?.authorization).toMatch(new RegExp(`Credential=${AKID}/\\d{8}/us-east-1/sns/aws4_request`));
  });
});
