// The remediator function: the verdicts queue delivers the drift function's news in batches;
// each message (the verdicts of one event) goes through the Remediator, whose annotated verdicts
// are sent on to the notifications queue. What it puts back comes from the baseline table, never
// from the message (known-good.ts). A message that fails is reported back to SQS alone
// (partial batch response): it is retried, then dead-lettered, and the others are not redone.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { accountAccessFromEnvironment, memberCloudWatchRoleName, memberRoleArn } from '../aws/accounts';
import { processCallBudget } from '../aws/call-budget';
import { regionAccessCache } from '../aws/clients';
import { LiveReader } from '../aws/read/live';
import { LiveResourceIds } from '../aws/read/resource-ids';
import { accountBaseline, accountKnownGood, accountRemediationStore } from '../aws/stores/account-scoped';
import { DynamoBaselineStore } from '../aws/stores/baseline-dynamodb';
import { idempotencyPersistence, type OnceBy, onceBy } from '../aws/stores/idempotency';
import { DynamoKnownGoodStore } from '../aws/stores/known-good-dynamodb';
import { DynamoRemediationStore } from '../aws/stores/ledger-dynamodb';
import { FanOutSink, QueueSink } from '../aws/verdict-queue';
import { handleSqsBatch, type SqsRecord } from '../events/sqs';
import { arnIn } from '../model/identity';
import type { VerdictSink } from '../model/verdict';
import { parseVerdictMessage } from '../model/verdict-message';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, metricNames, serviceNames } from '../observe/metrics';
import { Remediator } from '../pipeline/remediate/remediator';
import { LoggingSink } from '../pipeline/sinks';
import { ValidationError } from '../rules/core/validation';
import { loadSettings } from '../settings/load';
import type { Settings } from '../settings/schema';

const log = new LambdaLogger(serviceNames.remediate);
const metrics = new EmfMetrics(serviceNames.remediate);

// Clients live as long as the execution environment, one set per region.
const regionAccess = regionAccessCache({ maxAttempts: 5, budget: processCallBudget() });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the remediator cannot run without it.`);
  return value;
}

let shared:
  | {
      baseline: DynamoBaselineStore;
      knownGood: DynamoKnownGoodStore;
      store: DynamoRemediationStore;
      forward: VerdictSink;
      once: OnceBy;
    }
  | undefined;
function dependencies() {
  if (!shared) {
    const dynamo = new DynamoDBClient({});
    const table = required('BASELINE_TABLE');
    const logging = new LoggingSink(log);
    const notifications = process.env.NOTIFICATIONS_QUEUE_URL;
    shared = {
      baseline: new DynamoBaselineStore(dynamo, table),
      knownGood: new DynamoKnownGoodStore(dynamo, table),
      store: new DynamoRemediationStore(dynamo, table),
      once: onceBy(idempotencyPersistence(dynamo, table, 'remediate'), 'remediate'),
      forward: notifications
        ? new FanOutSink(logging, new QueueSink(new SQSClient({}), notifications))
        : logging,
    };
  }
  return shared;
}

/**
 * For an organization (the central stack sets GATEWATCH_HOME_ACCOUNT): a member account's
 * resources are read through its gatewatch reader role and changed through its gatewatch
 * remediator role, which holds exactly the declared actions; its state is kept under its own keys.
 */
const readers = accountAccessFromEnvironment('reader', 'gatewatch-remediator');
const writers = accountAccessFromEnvironment('remediator', 'gatewatch-remediator');

export async function handler(event: unknown, context?: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  try {
    return await handleSqsBatch(event, context, () => {
      const settings = loadSettings();
      const shared = dependencies();
      // Once per message (Powertools idempotency): a redelivery of a message handled is not
      // remediated again. The ledger's guarantee is wider — one remediation per event, rule and
      // resource, whatever message carries it, and its first outcome to every later delivery.
      return (record) =>
        log.handling('messageId', record.messageId, () =>
          shared.once(record.messageId, () => remediateMessage(record, settings, shared), context),
        );
    });
  } finally {
    metrics.publish();
  }
}

async function remediateMessage(
  record: SqsRecord,
  settings: Settings,
  { baseline, knownGood, store, forward }: ReturnType<typeof dependencies>,
): Promise<void> {
  try {
    const verdicts = parseVerdictMessage(record.body, `Message ${record.messageId}`);
    const accountId = verdicts[0]?.accountId ?? '';
    const region = verdicts[0]?.region ?? '';
    const member = readers && writers && !readers.isHome(accountId) ? { readers, writers } : undefined;
    const reads = member ? member.readers.forAccount(accountId) : regionAccess;
    const writes = member ? member.writers.forAccount(accountId) : regionAccess;
    // In a member account, gatewatch's own changes are made by its remediator role there, and
    // API Gateway logs with the role the member stack created there.
    const ownRoleArn = member
      ? memberRoleArn(accountId, 'remediator', region)
      : process.env.GATEWATCH_ROLE_ARN;
    const cloudwatchRoleArn = member
      ? arnIn('iam', '', accountId, `role/${memberCloudWatchRoleName(region)}`, region)
      : process.env.CLOUDWATCH_ROLE_ARN;
    const remediator = new Remediator({
      settings,
      reader: new LiveReader(reads, accountId),
      baseline: readers ? accountBaseline(baseline, accountId) : baseline,
      knownGood: readers ? accountKnownGood(knownGood, accountId) : knownGood,
      store: readers ? accountRemediationStore(store, accountId) : store,
      resourceIds: new LiveResourceIds(reads),
      write: { clients: writes },
      ...(ownRoleArn ? { ownRoleArn } : {}),
      ...(cloudwatchRoleArn ? { cloudwatchRoleArn } : {}),
      next: forward,
      log,
      metrics,
      now: () => new Date(),
    });
    await remediator.handle(verdicts);
  } catch (error) {
    if (error instanceof ValidationError || error instanceof SyntaxError) {
      metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'verdict message' });
    }
    log.log('error', 'message not handled; SQS retries it, then dead-letters it', {
      messageId: record.messageId,
      problem: (error as Error).message,
    });
    throw error;
  }
}
