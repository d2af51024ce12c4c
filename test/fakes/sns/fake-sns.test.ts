import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, startFakeSns, type FakeSns, type SignableRequest } from './index.js';

// The fake checked from the outside, with AWS's OFFICIAL SDK as the client: if the SDK signs requests
// the fake accepts, and reads its answers into the errors and results it documents, our adapter is
// tested against something that behaves like SNS. Hand-signed requests cover what the SDK never sends.
const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TO = '+15555550100';

function sdkClient(fake: FakeSns, over: { secret?: string; akid?: string; region?: string } = {}): SNSClient {
  return new SNSClient({
    region: over.region ?? 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: over.akid ?? AKID, secretAccessKey: over.secret ?? SECRET },
    maxAttempts: 1,
  });
}

const sms = (over: Partial<PublishCommandInput> = {}): PublishCommand =>
  new PublishCommand({
    PhoneNumber: TO,
    Message: 'hello world',
    MessageAttributes: {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'MySender' },
    },
    ...over,
  });

async function sdkError(client: SNSClient, command = sms()): Promise<Record<string, unknown>> {
  const err = await client.send(command).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Record<string, unknown>;
}

/** Sends a hand-made (and usually hand-signed) request; answers status, headers and body. */
async function raw(fake: FakeSns, req: SignableRequest) {
  const res = await request(`${fake.url}${req.target}`, {
    method: req.method as 'GET' | 'POST',
    headers: req.headers.flatMap(([n, v]) => [n, v]),
    body: req.method === 'GET' ? null : req.body,
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function formRequest(fake: FakeSns, body: string, now = Date.now()): SignableRequest {
  return signRequest(
    {
      method: 'POST',
      target: '/',
      headers: [
        ['host', new URL(fake.url).host],
        ['content-type', 'application/x-www-form-urlencoded'],
      ],
      body,
    },
    { accessKeyId: AKID, secretAccessKey: SECRET, region: 'us-east-1', service: 'sns', now },
  );
}

const codeIn = (xml: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

describe('fake SNS, seen through the official SDK', () => {
  let fake: FakeSns;
  let client: SNSClient;

  beforeAll(async () => {
    fake = await startFakeSns({ accessKeyId: AKID, secretAccessKey: SECRET });
    client = sdkClient(fake);
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('accepts a signed Publish, answers a MessageId, and records the SMS and its delivery log', async () => {
    const out = await client.send(sms());
    expect(out.MessageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.sent.at(-1)).toMatchObject({
      messageId: out.MessageId,
      phoneNumber: TO,
      message: 'hello world',
      smsType: 'Transactional',
      senderId: 'MySender',
      originationNumber: null,
      accessKeyId: AKID,
      suppressed: null,
    });
    expect(fake.deliveryLog.at(-1)).toMatchObject({
      notification: { messageId: out.MessageId },
      delivery: { destination: TO, smsType: 'Transactional' },
      status: 'SUCCESS',
    });
  });

  it('defaults to Promotional, as SNS does, and reads origination number and max price', async () => {
    await client.send(
      sms({
        MessageAttributes: {
          'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+15555550199' },
          'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.50' },
        },
      }),
    );
    expect(fake.sent.at(-1)).toMatchObject({
      smsType: 'Promotional',
      originationNumber: '+15555550199',
      maxPrice: 0.5,
    });
  });

  it('a wrong secret → SignatureDoesNotMatch (403); an unknown key → InvalidClientTokenId (403)', async () => {
    const wrongSecret = sdkClient(fake, { secret: 'not-the-secret' });
    expect(await sdkError(wrongSecret)).toMatchObject({
      name: 'SignatureDoesNotMatch',
      Code: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    const unknownKey = sdkClient(fake, { akid: 'AKIAUNKNOWNKEY000000' });
    expect(await sdkError(unknownKey)).toMatchObject({
      Code: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    const otherRegion = sdkClient(fake, { region: 'eu-west-1' });
    const err = await sdkError(otherRegion);
    expect(err).toMatchObject({ Code: 'SignatureDoesNotMatch' });
    expect(err.message).toMatch(/scoped to a valid region, not 'eu-west-1'/);
    for (const c of [wrongSecret, unknownKey, otherRegion]) c.destroy();
  });

  it('a bad number → InvalidParameterException, code InvalidParameter, the number quoted back', async () => {
    const err = await sdkError(client, sms({ PhoneNumber: '+0123' }));
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      Code: 'InvalidParameter',
      Type: 'Sender',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    expect(err.message).toBe('Invalid parameter: PhoneNumber Reason: +0123 is not valid to publish to');
  });

  it.each([
    ['Throttling', 400, 'Throttling', 'client'],
    ['Throttled', 429, 'ThrottledException', 'client'],
    ['InternalError', 500, 'InternalErrorException', 'server'],
    ['ServiceUnavailable', 503, 'ServiceUnavailable', 'server'],
    ['AuthorizationError', 403, 'AuthorizationErrorException', 'client'],
    ['KMSDisabled', 400, 'KMSDisabledException', 'client'],
    ['OptedOut', 400, 'OptedOutException', 'client'],
    ['EndpointDisabled', 400, 'EndpointDisabledException', 'client'],
  ])('failNext %s → HTTP %i, SDK error %s', async (code, status, name, fault) => {
    fake.failNext(1, { code, message: `injected ${code}` });
    const err = await sdkError(client);
    expect(err).toMatchObject({ name, Code: code, $fault: fault, $metadata: { httpStatusCode: status } });
    expect(fake.errors.at(-1)).toEqual({ code, status });
  });

  it('a clock 20 minutes ahead → "Signature expired"; the SDK corrects its clock from Date and the next call passes', async () => {
    const own = sdkClient(fake);
    fake.setClockOffset(20 * 60_000);
    try {
      const err = await sdkError(own);
      expect(err).toMatchObject({ Code: 'SignatureDoesNotMatch', $metadata: { clockSkewCorrected: true } });
      expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than .* - 15 min\.\)$/);
      await expect(own.send(sms())).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    } finally {
      fake.setClockOffset(0);
      own.destroy();
    }
  });

  it('a reset, an unreadable 200 and an HTML 502 reach the SDK as errors, and nothing is recorded', async () => {
    const before = fake.sent.length;
    fake.resetNext(1);
    expect(await sdkError(client)).toMatchObject({ code: 'ECONNRESET' });
    fake.malformedNext(1);
    expect(await sdkError(client)).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    fake.malformedNext(1, 502);
    expect(await sdkError(client)).toMatchObject({
      name: 'Unknown',
      $fault: 'server',
      $metadata: { httpStatusCode: 502 },
    });
    expect(fake.sent.length).toBe(before);
    fake.resetNext(2);
    fake.clearFaults();
    await expect(client.send(sms())).resolves.toMatchObject({ MessageId: expect.any(String) });
  });

  it('an opted-out number is accepted and never delivered, as SNS does', async () => {
    fake.optOut('+15555550111');
    const out = await client.send(sms({ PhoneNumber: '+15555550111' }));
    expect(fake.sent.at(-1)).toMatchObject({ messageId: out.MessageId, suppressed: 'opted_out' });
    expect(fake.deliveryLog.at(-1)).toMatchObject({
      status: 'FAILURE',
      delivery: { providerResponse: 'Phone number is opted out' },
    });
  });
});

describe('fake SNS, seen through hand-signed requests', () => {
  let fake: FakeSns;

  beforeAll(async () => {
    fake = await startFakeSns({ accessKeyId: AKID, secretAccessKey: SECRET });
  });
  afterAll(() => fake.close());

  const publishBody = `Action=Publish&Version=2010-03-31&Message=hi&PhoneNumber=${encodeURIComponent(TO)}`;

  it('answers the PublishResponse XML of providers.md §5.2, with a request id header', async () => {
    const res = await raw(fake, formRequest(fake, publishBody));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toMatch(
      /^<PublishResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><PublishResult><MessageId>[0-9a-f-]{36}<\/MessageId><\/PublishResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/PublishResponse>$/,
    );
  });

  it('answers errors in the ErrorResponse XML shape', async () => {
    const res = await raw(fake, formRequest(fake, publishBody.replace(encodeURIComponent(TO), '12345')));
    expect(res.status).toBe(400);
    expect(res.body).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>InvalidParameter<\/Code><Message>Invalid parameter: PhoneNumber Reason: 12345 is not valid to publish to<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
  });

  it('takes Query parameters from a signed GET as well', async () => {
    const req = signRequest(
      { method: 'GET', target: `/?${publishBody}`, headers: [['host', new URL(fake.url).host]], body: '' },
      { accessKeyId: AKID, secretAccessKey: SECRET, region: 'us-east-1', service: 'sns', now: Date.now() },
    );
    expect((await raw(fake, req)).status).toBe(200);
  });

  it('refuses a body changed after signing, an unsigned request, and a request signed long ago', async () => {
    const signed = formRequest(fake, publishBody);
    const tampered = await raw(fake, { ...signed, body: publishBody.replace('hi', 'hijacked') });
    expect([tampered.status, codeIn(tampered.body)]).toEqual([403, 'SignatureDoesNotMatch']);

    const unsigned = await raw(fake, {
      ...signed,
      headers: signed.headers.filter(([n]) => n !== 'authorization'),
    });
    expect([unsigned.status, codeIn(unsigned.body)]).toEqual([403, 'MissingAuthenticationToken']);

    const old = await raw(fake, formRequest(fake, publishBody, Date.now() - 16 * 60_000));
    expect([old.status, codeIn(old.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(old.body).toContain('Signature expired');
  });

  it.each([
    ['no Message', 'Action=Publish&Version=2010-03-31&PhoneNumber=%2B15555550100', 400, 'ValidationError'],
    [
      'an empty Message',
      'Action=Publish&Version=2010-03-31&Message=&PhoneNumber=%2B15555550100',
      400,
      'InvalidParameter',
    ],
    ['no target', 'Action=Publish&Version=2010-03-31&Message=hi', 400, 'InvalidParameter'],
    ['a topic', 'Action=Publish&Version=2010-03-31&Message=hi&TopicArn=arn:aws:sns:us-east-1:1:t', 404, 'NotFound'],
    ['another action', 'Action=ListTopics&Version=2010-03-31', 400, 'InvalidAction'],
    ['no action', 'Version=2010-03-31', 400, 'InvalidAction'],
    [
      'an attribute without a value',
      `${publishBody}&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType&MessageAttributes.entry.1.Value.DataType=String`,
      400,
      'ParameterValueInvalid',
    ],
    [
      'an unknown SMS type',
      `${publishBody}&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SMSType&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=Urgent`,
      400,
      'InvalidParameter',
    ],
    [
      'a sender ID with a space',
      `${publishBody}&MessageAttributes.entry.1.Name=AWS.SNS.SMS.SenderID&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=My%20Shop`,
      400,
      'InvalidParameter',
    ],
    ['a body over 1,600 characters', publishBody.replace('hi', 'x'.repeat(1601)), 400, 'InvalidParameter'],
  ])('refuses %s → %i %s', async (_what, body, status, code) => {
    const before = fake.sent.length;
    const res = await raw(fake, formRequest(fake, body));
    expect([res.status, codeIn(res.body)]).toEqual([status, code]);
    expect(fake.sent.length).toBe(before);
  });

  it('refuse(number, fault) answers that fault for that number only', async () => {
    fake.refuse('+15555550122', { code: 'KMSAccessDenied', message: 'denied' });
    const refused = await raw(fake, formRequest(fake, publishBody.replace('5555550100', '5555550122')));
    expect([refused.status, codeIn(refused.body)]).toEqual([400, 'KMSAccessDenied']);
    expect((await raw(fake, formRequest(fake, publishBody))).status).toBe(200);
  });
});
