// The sweep function has two entry points in one handler:
// - the schedule (EventBridge Scheduler, `{"sweep": "scheduled", "account", "time"}`): plans the sweep — which accounts and regions —
//   and queues one message per account and region on the sweep queue;
// - the sweep queue (SQS, one message at a time): sweeps that account and region
//   (pipeline/sweep/sweep.ts) and sends its news to the verdicts queue, as the drift function does.
// A message that fails with a fault worth retrying is reported back to SQS alone (retried, then
// dead-lettered); an account whose role cannot be assumed is a could-not-evaluate verdict, not a failure.
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod/mini';
import { type AccountAccess, accountAccessFromEnvironment } from '../aws/accounts';
import { processCallBudget } from '../aws/call-budget';
import { Pacer, type RegionClients, regionClients } from '../aws/clients';
import { realClock } from '../aws/rate-limit';
import { accountBaseline, accountKnownGood, baselineAccounts } from '../aws/stores/account-scoped';
import { DynamoBaselineStore } from '../aws/stores/baseline-dynamodb';
import { idempotencyPersistence, type OnceBy, onceBy } from '../aws/stores/idempotency';
import { DynamoKnownGoodStore } from '../aws/stores/known-good-dynamodb';
import { FanOutSink, QueueSink } from '../aws/verdict-queue';
import { handleSqsBatch, isSqsBatch, parseBody, type SqsRecord } from '../events/sqs';
import type { BaselineStore, KnownGoodStore } from '../model/stores';
import type { VerdictSink } from '../model/verdict';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, metricNames, serviceNames } from '../observe/metrics';
import { withKnownGood } from '../pipeline/remediate/known-good';
import { LoggingSink } from '../pipeline/sinks';
import { aggregatorAccounts, sweepTargets } from '../pipeline/sweep/plan';
import { type SweepOutcome, type SweepTarget, sweepRegion } from '../pipeline/sweep/sweep';
import { parseOrThrow, ValidationError } from '../rules/core/validation';
import { loadSettings } from '../settings/load';
import { activeRules, organizationOf, parametersOf, type Settings } from '../settings/schema';

const log = new LambdaLogger(serviceNames.sweep);
const metrics = new EmfMetrics(serviceNames.sweep);

/** What the EventBridge Scheduler schedule sends (infra/constructs/sweep.ts). */
export const scheduledEventSchema = z.looseObject({
  sweep: z.literal('scheduled'),
  account: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit account id')),
  time: z.optional(z.string()),
});
export const sweepMessageSchema = z.object({
  version: z.literal(1),
  accountId: z.string().check(z.regex(/^\d{12}$/, 'expected a 12-digit account id')),
  region: z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'expected an AWS region')),
  requestedAt: z.string(),
});

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the sweep cannot run without it.`);
  return value;
}

// Clients live as long as the execution environment.
let shared:
  | {
      sqs: SQSClient;
      store: DynamoBaselineStore;
      knownGood: DynamoKnownGoodStore;
      members: AccountAccess | undefined;
      once: OnceBy;
    }
  | undefined;
function dependencies() {
  if (!shared) {
    const dynamo = new DynamoDBClient({});
    const table = required('BASELINE_TABLE');
    shared = {
      sqs: new SQSClient({}),
      store: new DynamoBaselineStore(dynamo, table),
      knownGood: new DynamoKnownGoodStore(dynamo, table),
      members: accountAccessFromEnvironment('reader', 'gatewatch-sweep'),
      once: onceBy(idempotencyPersistence(dynamo, table, 'sweep'), 'sweep'),
    };
  }
  return shared;
}
const homeAccess = new Map<string, RegionClients>();
const ownAccess = (region: string): RegionClients => {
  let access = homeAccess.get(region);
  if (!access) {
    const budget = processCallBudget();
    const pacer = new Pacer({}, realClock, budget?.tokensFor(budget.homeAccountId, region));
    access = regionClients({ region, maxAttempts: 5, pacer });
    homeAccess.set(region, access);
  }
  return access;
};

export async function handler(
  event: unknown,
  context?: Context,
): Promise<SQSBatchResponse | { readonly planned: number }> {
  log.addContext(context);
  try {
    if (isSqsBatch(event)) {
      // Once per sweep-queue message (Powertools idempotency): a redelivery does not sweep again.
      return await handleSqsBatch(event, context, () => {
        const { once } = dependencies();
        return (record) =>
          log.handling('messageId', record.messageId, () =>
            once(record.messageId, () => sweepMessage(record), context),
          );
      });
    }
    const scheduled = parseOrThrow(scheduledEventSchema, event, 'Scheduled event');
    return { planned: await plan(scheduled.account, loadSettings()) };
  } finally {
    metrics.publish();
  }
}

/** Queues one message per account and region. */
async function plan(eventAccount: string, settings: Settings): Promise<number> {
  const { sqs, store, members } = dependencies();
  const organization = organizationOf(settings);
  const homeAccountId = members ? required('GATEWATCH_HOME_ACCOUNT') : eventAccount;
  const homeRegions = settings.regions.length > 0 ? settings.regions : [required('AWS_REGION')];
  let accounts: string[] = [];
  if (organization) {
    const aggregator = process.env.CONFIG_AGGREGATOR_NAME;
    const region = homeRegions[0] ?? required('AWS_REGION');
    const fromAggregator = aggregator
      ? await aggregatorAccounts(
          new Pacer().attach(new ConfigServiceClient({ region }), 'config'),
          aggregator,
          log,
        )
      : [];
    accounts = [...new Set([...fromAggregator, ...(await baselineAccounts(store))])];
  }
  const targets = sweepTargets({
    homeAccountId,
    homeRegions,
    ...(organization ? { organization: { memberRegions: organization.memberRegions, accounts } } : {}),
  });
  const requestedAt = new Date().toISOString();
  const queueUrl = required('SWEEP_QUEUE_URL');
  for (let start = 0; start < targets.length; start += 10) {
    const batch = targets.slice(start, start + 10);
    const { Failed } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((target, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ version: 1, ...target, requestedAt }),
        })),
      }),
    );
    if (Failed && Failed.length > 0) {
      throw new Error(
        `the sweep queue refused ${Failed.length} of ${batch.length} messages (${Failed.map((f) => f.Code).join(', ')}); the schedule retries`,
      );
    }
  }
  log.log('info', 'sweep planned', {
    targets: targets.length,
    accounts: new Set(targets.map((target) => target.accountId)).size,
    regions: [...new Set(targets.map((target) => target.region))],
  });
  return targets.length;
}

async function sweepMessage(record: SqsRecord): Promise<void> {
  try {
    const target = parseBody(record, (json, what) => parseOrThrow(sweepMessageSchema, json, what));
    await sweepOne({ accountId: target.accountId, region: target.region });
  } catch (error) {
    if (error instanceof ValidationError) {
      metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'sweep message' });
    }
    log.log('error', 'sweep not finished; SQS retries it, then dead-letters it', {
      messageId: record.messageId,
      problem: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    throw error;
  }
}

/** Sweeps one account and region with the account's own access and baseline. */
export function sweepOne(target: SweepTarget): Promise<SweepOutcome> {
  const { sqs, store, knownGood, members } = dependencies();
  const settings = loadSettings();
  const member = members && !members.isHome(target.accountId) ? members : undefined;
  const baseline: BaselineStore = members ? accountBaseline(store, target.accountId) : store;
  return sweepRegion(target, {
    access: member ? member.forAccount(target.accountId) : ownAccess,
    ...(member ? { reach: () => member.credentials(target.accountId, target.region) } : {}),
    baseline,
    rules: activeRules(settings),
    parameters: parametersOf(settings),
    sink: verdictSink(sqs, baseline, members ? accountKnownGood(knownGood, target.accountId) : knownGood),
    metrics,
    log,
    now: () => new Date(),
  });
}

/** News is logged and sent to the verdicts queue; the known good state a `restore` needs is kept in the table. */
function verdictSink(sqs: SQSClient, baseline: BaselineStore, knownGood: KnownGoodStore): VerdictSink {
  const logging = new LoggingSink(log);
  const queueUrl = process.env.VERDICTS_QUEUE_URL;
  if (!queueUrl) return logging;
  return new FanOutSink(
    logging,
    new QueueSink(sqs, queueUrl, (verdicts) => withKnownGood(verdicts, baseline, knownGood)),
  );
}
