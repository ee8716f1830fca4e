// The drift function: EventBridge puts each CloudTrail event on the drift queue and Lambda
// delivers them in batches, a bounded number at a time (infra/constructs/drift-detection.ts);
// `gatewatch replay` and tests may also pass one EventBridge event directly. This adapter parses
// each and runs the drift pipeline. A fault worth retrying fails that message only (the queue
// delivers it again, then dead-letters it); input that can never be handled is logged, counted
// and failed as unprocessable, so it lands in the dead-letter queue too: nothing is lost.

import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { accountAccessFromEnvironment } from '../aws/accounts';
import { processCallBudget } from '../aws/call-budget';
import { regionAccessCache } from '../aws/clients';
import { LiveReader } from '../aws/read/live';
import { memberReader } from '../aws/read/member-reader';
import { accountBaseline, accountKnownGood } from '../aws/stores/account-scoped';
import { DynamoBaselineStore } from '../aws/stores/baseline-dynamodb';
import { DynamoKnownGoodStore } from '../aws/stores/known-good-dynamodb';
import { FanOutSink, QueueSink } from '../aws/verdict-queue';
import { eventAccount } from '../events/request';
import { parseEvents } from '../events/schema';
import { handleSqsBatch, parseBody, type SqsRecord } from '../events/sqs';
import type { BaselineStore, KnownGoodStore } from '../model/stores';
import type { VerdictSink } from '../model/verdict';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, metricNames, serviceNames } from '../observe/metrics';
import { redactError } from '../observe/redact';
import { alsoReevaluate, reevaluationFromEnvironment } from '../pipeline/config/reevaluate';
import { processEvent } from '../pipeline/drift/detect';
import { withKnownGood } from '../pipeline/remediate/known-good';
import { LoggingSink } from '../pipeline/sinks';
import { ValidationError } from '../rules/core/validation';
import { loadSettings } from '../settings/load';
import { activeRules, parametersOf } from '../settings/schema';

const SERVICE = serviceNames.drift;
const log = new LambdaLogger(SERVICE);
const metrics = new EmfMetrics(SERVICE);

// Clients live as long as the execution environment, one set per region.
const regionAccess = regionAccessCache({ maxAttempts: 5, budget: processCallBudget() });

let stores: { baseline: DynamoBaselineStore; knownGood: DynamoKnownGoodStore } | undefined;
function tableStores() {
  if (!stores) {
    const table = process.env.BASELINE_TABLE;
    if (!table) throw new Error('BASELINE_TABLE is not set: the drift function cannot keep state.');
    const dynamo = new DynamoDBClient({});
    stores = {
      baseline: new DynamoBaselineStore(dynamo, table),
      knownGood: new DynamoKnownGoodStore(dynamo, table),
    };
  }
  return stores;
}

/**
 * For an organization (the central stack sets GATEWATCH_HOME_ACCOUNT): each member account is
 * read through its gatewatch reader role, and its state is kept under its own keys.
 */
const members = accountAccessFromEnvironment('reader', 'gatewatch-drift');

let sqs: SQSClient | undefined;
/**
 * News is logged and, when the stack wires the remediator, sent to the verdicts queue; the known
 * good state a `restore` needs is read here, before the new state is recorded, and kept in the
 * table for the remediator (the message carries it as a hint only).
 */
function verdictSink(baseline: BaselineStore, knownGood: KnownGoodStore): VerdictSink {
  const logging = new LoggingSink(log);
  const queueUrl = process.env.VERDICTS_QUEUE_URL;
  if (!queueUrl) return logging;
  sqs ??= new SQSClient({});
  return new FanOutSink(
    logging,
    new QueueSink(sqs, queueUrl, (verdicts) => withKnownGood(verdicts, baseline, knownGood)),
  );
}

/** Asks AWS Config to re-evaluate the gatewatch rules whose verdicts changed (when the stack deploys them). */
const configReevaluation = reevaluationFromEnvironment(() => new ConfigServiceClient({}), { log, metrics });

export class UnprocessableEventError extends Error {
  override readonly name = 'UnprocessableEventError';
}

/** The deployed entry point: a batch from the drift queue, each message holding one EventBridge event. */
export async function queueHandler(event: unknown, context?: Context): Promise<SQSBatchResponse> {
  log.addContext(context);
  try {
    return await handleSqsBatch(
      event,
      context,
      () => (record) => log.handling('messageId', record.messageId, () => judgeMessage(record)),
    );
  } finally {
    metrics.publish();
  }
}

async function judgeMessage(record: SqsRecord): Promise<void> {
  try {
    let body: unknown;
    try {
      body = parseBody(record, (json) => json);
    } catch {
      metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'EventBridge event' });
      log.log('error', 'message rejected: its body is not JSON', { messageId: record.messageId });
      throw new UnprocessableEventError(`message ${record.messageId} is not JSON`);
    }
    await judgeEvents(body);
  } catch (error) {
    if (!(error instanceof UnprocessableEventError)) {
      log.log('error', 'event failed; the queue delivers it again', {
        messageId: record.messageId,
        problem: error instanceof Error ? error.name : 'Error',
      });
    }
    throw error;
  }
}

/** One EventBridge event (or CloudTrail record or log file), as `gatewatch replay` and tests pass it. */
export async function handler(
  event: unknown,
  context?: Context,
): Promise<{ readonly judged: number; readonly ignored: number }> {
  log.addContext(context);
  try {
    return await judgeEvents(event);
  } finally {
    metrics.publish();
  }
}

async function judgeEvents(event: unknown): Promise<{ readonly judged: number; readonly ignored: number }> {
  let parsed: ReturnType<typeof parseEvents>;
  try {
    parsed = parseEvents(event, 'EventBridge event');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'EventBridge event' });
    log.log('error', 'event rejected: it does not parse', { problem: error.message });
    throw new UnprocessableEventError(error.message);
  }

  let judged = 0;
  let ignored = 0;
  for (const one of parsed) {
    const accountId = eventAccount(one);
    const member = members && !members.isHome(accountId) ? members : undefined;
    const table = tableStores();
    const baseline = members ? accountBaseline(table.baseline, accountId) : table.baseline;
    const knownGood = members ? accountKnownGood(table.knownGood, accountId) : table.knownGood;
    const outcome = await log
      .handling('eventId', one.record.eventID, async () =>
        processEvent(one, {
          reader: member
            ? await memberReader(member, accountId, one.record.awsRegion)
            : new LiveReader(regionAccess, accountId),
          baseline,
          rules: activeRules(loadSettings()),
          parameters: parametersOf(loadSettings()),
          // The stack's Config rules are this account's: a member's have their own periodic runs.
          sink: member
            ? verdictSink(baseline, knownGood)
            : alsoReevaluate(verdictSink(baseline, knownGood), configReevaluation),
          metrics,
          log,
          now: () => new Date(),
        }),
      )
      .catch((error: unknown) => {
        // Lambda logs what is thrown: an AWS error may echo a request's credential or a URL.
        throw redactError(error);
      });
    if (outcome.kind === 'judged') judged += 1;
    else ignored += 1;
  }
  return { judged, ignored };
}
