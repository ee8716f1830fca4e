// The account's call budget: many environments of every gatewatch function, each with its own
// Pacer, take their API Gateway requests from one bucket per account and region kept in the
// baseline table (the real DynamoDB DocumentClient against an in-memory table that honours the
// conditions). On a virtual clock, the requests all of them send together stay within the share,
// whatever their number; another account's budget is its own. No test waits in real time.
import { Readable } from 'node:stream';
import { APIGatewayClient, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import fc from 'fast-check';
import {
  accountBudget,
  budgetLease,
  CallBudget,
  callBudgetFromEnvironment,
  DynamoBudgetStore,
} from '../../aws/call-budget';
import { Pacer } from '../../aws/clients';
import { gcra, type Rate } from '../../aws/rate-limit';
import { InMemoryTable } from '../support/in-process-aws';
import { mockClient } from '../support/sdk';
import { VirtualClock } from '../support/virtual-clock';

const TABLE = 'gatewatch-baseline';
const HOME = '111122223333';
const MEMBER = '444455556666';
const REGION = 'eu-west-1';

let table: InMemoryTable;
beforeEach(() => {
  table = new InMemoryTable();
});
afterEach(() => table.restore());

/** The most timestamps any window of `windowMs` holds. */
function busiestWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] as number) < (sorted[start] as number) + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

/** One Lambda execution environment: its own budget takers and Pacer, as a handler builds them. */
function environment(clock: VirtualClock, shared: boolean) {
  const budget = new CallBudget(
    new DynamoBudgetStore(new DynamoDBClient({ region: REGION }), TABLE),
    HOME,
    clock,
  );
  return (accountId: string) => new Pacer({}, clock, shared ? budget.tokensFor(accountId, REGION) : {});
}

/** API Gateway as seen by one account: it notes when each request arrives. */
function accountApi(clock: VirtualClock) {
  const sentAt: number[] = [];
  return {
    sentAt,
    /** An environment's API Gateway client, paced by its Pacer. */
    clientFor: (pacer: Pacer) => {
      const client = pacer.attach(new APIGatewayClient({ region: REGION }), 'apigateway');
      mockClient(client)
        .on(GetStagesCommand)
        .callsFake(() => {
          sentAt.push(clock.now());
          return { item: [], $metadata: { attempts: 1 } };
        });
      return client;
    },
  };
}

/** Every function's environments at once: `environments` of them, each with `streams` concurrent readers. */
async function burst(options: { environments: number; streams: number; requests: number; shared: boolean }) {
  const clock = new VirtualClock(1_795_000_000_000);
  const home = accountApi(clock);
  const member = accountApi(clock);
  const work: Promise<void>[] = [];
  for (let n = 0; n < options.environments; n++) {
    const pacerFor = environment(clock, options.shared);
    // Most environments read the home account; one in four a member account (organization mode).
    const [accountId, api] = n % 4 === 3 ? [MEMBER, member] : [HOME, home];
    const client = api.clientFor(pacerFor(accountId));
    for (let stream = 0; stream < options.streams; stream++) {
      work.push(
        (async () => {
          for (let i = 0; i < options.requests; i++) {
            await client.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }));
          }
        })(),
      );
    }
  }
  await clock.run(Promise.all(work));
  return { home: home.sentAt, member: member.sentAt };
}

describe('the account-wide call budget', () => {
  it('holds 16 concurrent environments to 8 requests/s and at most 24 in any second, per account and region', async () => {
    // Act: 16 environments × 3 readers × 15 requests; 12 environments read the home account, 4 a member.
    const sent = await burst({ environments: 16, streams: 3, requests: 15, shared: true });

    // Assess
    const { perSecond, burst: size } = accountBudget.apigateway;
    const leaseSeconds = budgetLease.apigateway.leaseMs / 1000;
    for (const times of [sent.home, sent.member]) {
      expect(busiestWindow(times)).toBeLessThanOrEqual(size + perSecond * (1 + leaseSeconds));
      // N requests need at least (N − burst) / rate − lease seconds: 8 a second, sustained.
      const spanMs = Math.max(...times) - Math.min(...times);
      expect(spanMs).toBeGreaterThanOrEqual(((times.length - size) / perSecond - leaseSeconds) * 1000);
    }
    expect(sent.home).toHaveLength(12 * 3 * 15);
    expect(sent.member).toHaveLength(4 * 3 * 15);
    // The member's budget is its own: its 180 requests did not queue behind the home account's 540.
    expect(Math.max(...sent.member) - Math.min(...sent.member)).toBeLessThan(
      Math.max(...sent.home) - Math.min(...sent.home),
    );
    // One budget item per account and region, in the baseline table.
    expect([...table.items.keys()].filter((key) => key.startsWith('budget#')).sort()).toEqual([
      `budget#${HOME}#${REGION}|apigateway`,
      `budget#${MEMBER}#${REGION}|apigateway`,
    ]);
  });

  it('is what holds them: environments that pace only themselves send far more than the quota', async () => {
    const sent = await burst({ environments: 16, streams: 3, requests: 15, shared: false });

    expect(busiestWindow(sent.home)).toBeGreaterThan(40);
  });

  it('leases tokens in blocks: one table write for every four requests when one environment reads alone', async () => {
    // Prepare
    const clock = new VirtualClock(1_795_000_000_000);
    const api = accountApi(clock);
    const client = api.clientFor(environment(clock, true)(HOME));

    // Act
    await clock.run(
      (async () => {
        for (let i = 0; i < 40; i++) await client.send(new GetStagesCommand({ restApiId: 'x' }));
      })(),
    );

    // Assess
    expect(api.sentAt).toHaveLength(40);
    expect(table.stub.commandCalls(UpdateCommand).length).toBe(10);
  });

  it('takes a token for every attempt the SDK makes, retries included', async () => {
    // Prepare: API Gateway answers 500 twice, then the stages.
    const answers = [500, 500, 200];
    const client = new APIGatewayClient({
      region: REGION,
      maxAttempts: 3,
      credentials: { accessKeyId: 'AKIAGATEWATCHFAKE001', secretAccessKey: 'fake' },
      requestHandler: {
        handle: async () => {
          const statusCode = answers.shift() ?? 200;
          return {
            response: new HttpResponse({
              statusCode,
              headers: { 'content-type': 'application/json' },
              body: Readable.from([statusCode === 200 ? '{"item":[]}' : '{"message":"Internal"}']),
            }),
          };
        },
      },
    });
    let taken = 0;
    const counting = {
      take: async () => {
        taken += 1;
      },
    };
    const pacer = new Pacer({}, undefined, { apigateway: counting });
    pacer.attach(client, 'apigateway');

    // Act
    await client.send(new GetStagesCommand({ restApiId: 'a1b2c3d4e5' }));

    // Assess
    expect(taken).toBe(3);
    expect(pacer.stats.calls).toEqual({ GetStages: 3 });
  });

  it('fails the request it paces when the table fails, and paces the next one once it answers again', async () => {
    // Prepare
    const clock = new VirtualClock(1_795_000_000_000);
    const api = accountApi(clock);
    const client = api.clientFor(environment(clock, true)(HOME));
    const unavailable = Object.assign(new Error('Service unavailable'), { name: 'InternalServerError' });
    table.setFault(({ operation }) => (operation === 'Update' ? unavailable : undefined));

    // Act
    const failed = clock.run(client.send(new GetStagesCommand({ restApiId: 'x' })));
    await expect(failed).rejects.toBe(unavailable);
    table.setFault(undefined);
    await clock.run(client.send(new GetStagesCommand({ restApiId: 'x' })));

    // Assess: nothing was sent unpaced.
    expect(api.sentAt).toHaveLength(1);
  });

  it('is set from the environment the stack gives, and refuses an account id that is not one', () => {
    expect(callBudgetFromEnvironment({})).toBeUndefined();
    expect(
      callBudgetFromEnvironment({ GATEWATCH_BUDGET_TABLE: TABLE, GATEWATCH_BUDGET_ACCOUNT: HOME })
        ?.homeAccountId,
    ).toBe(HOME);
    expect(() =>
      callBudgetFromEnvironment({ GATEWATCH_BUDGET_TABLE: TABLE, GATEWATCH_BUDGET_ACCOUNT: 'prod' }),
    ).toThrow('GATEWATCH_BUDGET_ACCOUNT must be the 12-digit account id');
  });
});

describe('GCRA, the shared bucket’s arithmetic', () => {
  it('never grants more than burst + rate × T in any T, whatever the takers ask and when', () => {
    const rate: Rate = { perSecond: 8, burst: 8 };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ after: fc.integer({ min: 0, max: 700 }), count: fc.integer({ min: 1, max: 8 }) }),
          {
            minLength: 1,
            maxLength: 200,
          },
        ),
        (asks) => {
          let tat = 0;
          let now = 0;
          const grants: { at: number; count: number }[] = [];
          for (const ask of asks) {
            now += ask.after;
            const decision = gcra(tat, ask.count, now, rate);
            if (decision.granted) {
              tat = decision.tat;
              grants.push({ at: now, count: ask.count });
            }
          }
          for (const first of grants) {
            for (const last of grants.filter((grant) => grant.at >= first.at)) {
              const tokens = grants
                .filter((grant) => grant.at >= first.at && grant.at <= last.at)
                .reduce((sum, grant) => sum + grant.count, 0);
              if (tokens > rate.burst + (rate.perSecond * (last.at - first.at)) / 1000 + 1e-9) return false;
            }
          }
          return true;
        },
      ),
    );
  });
});
