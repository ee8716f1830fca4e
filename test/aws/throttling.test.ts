// Throttling, proven through the SDK's own retry middleware: aws-sdk-client-mock replaces
// `send` and so skips retries, so here a real APIGatewayClient talks to a fake HTTP handler
// that answers like API Gateway does (wire format, headers and all).
import { Readable } from 'node:stream';
import { APIGatewayClient, GetResourcesCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { HttpResponse } from '@smithy/core/transport';
import { Pacer } from '../../aws/clients';
import { type Clock, TokenBucket } from '../../aws/rate-limit';
import { mockClient } from '../support/sdk';

interface WireAnswer {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
}

/** An HTTP handler that gives the answers in order and keeps the requests it was sent. */
function scriptedHandler(answers: readonly WireAnswer[]) {
  const requests: { method: string; path: string }[] = [];
  return {
    requests,
    async handle(request: { method: string; path: string }) {
      requests.push({ method: request.method, path: request.path });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)] as WireAnswer;
      return {
        response: new HttpResponse({
          statusCode: answer.statusCode,
          headers: { 'content-type': 'application/json', ...answer.headers },
          body: Readable.from([Buffer.from(JSON.stringify(answer.body))]),
        }),
      };
    },
  };
}

const TOO_MANY_REQUESTS: WireAnswer = {
  statusCode: 429,
  headers: { 'x-amzn-errortype': 'TooManyRequestsException', 'x-amzn-requestid': 'req-429' },
  body: { message: 'Too Many Requests' },
};

/** GetStages as API Gateway sends it: v1 wire format names the list `item`, dates in epoch seconds. */
const STAGES_ON_THE_WIRE: WireAnswer = {
  statusCode: 200,
  headers: { 'x-amzn-requestid': 'req-200' },
  body: {
    item: [
      {
        stageName: 'prod',
        deploymentId: 'dep123',
        tracingEnabled: true,
        webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-protection/a1b2c3d4',
        methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: true, dataTraceEnabled: false } },
        createdDate: 1718000000,
        lastUpdatedDate: 1718003600,
      },
    ],
  },
};

function apiGatewayAnswering(answers: readonly WireAnswer[], pacer: Pacer) {
  const handler = scriptedHandler(answers);
  const client = pacer.attach(
    new APIGatewayClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
      retryMode: 'adaptive',
      maxAttempts: 4,
      requestHandler: handler,
    }),
    'apigateway',
  );
  return { client, handler };
}

const fast = { apigateway: { perSecond: 1e6, burst: 1e6 } };

describe('a throttled API Gateway call', () => {
  it('is retried by the SDK and succeeds; the Pacer counts two requests and one throttle', async () => {
    // Prepare
    const pacer = new Pacer(fast);
    const { client, handler } = apiGatewayAnswering([TOO_MANY_REQUESTS, STAGES_ON_THE_WIRE], pacer);

    // Act
    const output = await client.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }));

    // Assess
    expect(handler.requests).toEqual([
      { method: 'GET', path: '/restapis/a1b2c3d4e5/stages' },
      { method: 'GET', path: '/restapis/a1b2c3d4e5/stages' },
    ]);
    expect(output.item).toEqual([
      expect.objectContaining({
        stageName: 'prod',
        deploymentId: 'dep123',
        tracingEnabled: true,
        createdDate: new Date(1718000000 * 1000),
      }),
    ]);
    expect(pacer.stats).toEqual({ calls: { GetStages: 2 }, throttled: 1 });
  });

  it('counts every attempt when the SDK gives up, and lets the error through', async () => {
    // Prepare: what the SDK throws after its last attempt.
    const exhausted = Object.assign(new Error('Too Many Requests'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429, attempts: 4, totalRetryDelay: 5200 },
    });
    const pacer = new Pacer(fast);
    const client = pacer.attach(new APIGatewayClient({ region: 'eu-west-1' }), 'apigateway');
    mockClient(client).on(GetStagesCommand).rejects(exhausted);

    // Act
    const call = client.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }));

    // Assess
    await expect(call).rejects.toBe(exhausted);
    expect(pacer.stats).toEqual({ calls: { GetStages: 4 }, throttled: 3 });
  });
});

/** A clock whose sleeps pass at once and move time forward. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms), now: () => now };
}

/** Starts `count` takes at once and returns when each was granted, in the order they were granted. */
async function takeAll(bucket: TokenBucket, count: number, now: () => number) {
  const granted: { caller: number; at: number }[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, caller) =>
      bucket.take().then(() => granted.push({ caller, at: now() })),
    ),
  );
  return granted;
}

describe('TokenBucket', () => {
  it('lets a burst go at once', async () => {
    // Prepare
    const time = fakeClock();
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, time.clock);

    // Act
    const granted = await takeAll(bucket, 3, time.now);

    // Assess
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0]);
    expect(time.sleeps).toEqual([]);
  });

  it('paces callers at the sustained rate once the burst is spent, serving them in order', async () => {
    // Prepare
    const time = fakeClock();
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, time.clock);

    // Act
    const granted = await takeAll(bucket, 6, time.now);

    // Assess
    expect(granted).toEqual([
      { caller: 0, at: 0 },
      { caller: 1, at: 0 },
      { caller: 2, at: 0 },
      { caller: 3, at: 500 },
      { caller: 4, at: 1000 },
      { caller: 5, at: 1500 },
    ]);
  });

  it('refills after a quiet spell, but never beyond its burst', async () => {
    // Prepare
    const time = fakeClock();
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, time.clock);
    await takeAll(bucket, 3, time.now);
    time.advance(60_000);

    // Act
    const granted = await takeAll(bucket, 4, time.now);

    // Assess
    expect(granted.map((g) => g.at)).toEqual([60_000, 60_000, 60_000, 60_500]);
  });
});

describe('Pacer pacing', () => {
  it('counts GetResources against API Gateway’s account-wide quota as well as its own', async () => {
    // Prepare: room for two API Gateway calls at once, then one a second.
    const time = fakeClock();
    const pacer = new Pacer(
      { apigateway: { perSecond: 1, burst: 2 }, getResources: { perSecond: 100, burst: 100 } },
      time.clock,
    );
    const client = pacer.attach(new APIGatewayClient({ region: 'eu-west-1' }), 'apigateway');
    const mock = mockClient(client);
    mock.on(GetResourcesCommand).resolves({ items: [] });
    mock.on(GetStagesCommand).resolves({ item: [] });
    const sentAt: number[] = [];

    // Act
    for (let i = 0; i < 2; i++) {
      await client.send(new GetResourcesCommand({ restApiId: 'a1b2c3d4e5' }));
      sentAt.push(time.now());
    }
    await client.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }));
    sentAt.push(time.now());

    // Assess
    expect(sentAt).toEqual([0, 0, 1000]);
    expect(pacer.stats.calls).toEqual({ GetResources: 2, GetStages: 1 });
  });
});
