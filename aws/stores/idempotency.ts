// Powertools idempotency (@aws-lambda-powertools/idempotency) with its records in the baseline
// table: each function's records under one partition, `idempotency#{scope}` (the key attributes
// are the table's pk and sk; sk is Powertools' hashed key), expiring through the table's TTL
// attribute. One partition per function lets IAM confine a function to its own records
// (dynamodb:LeadingKeys, infra/constructs/idempotency.ts); the hashed sort keys spread the load.

import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

/** Whose records: one partition of the baseline table per function. */
export const idempotencyScopes = [
  'drift',
  'remediate',
  'notify',
  'sweep',
  'config',
  'slack-webhook',
] as const;
export type IdempotencyScope = (typeof idempotencyScopes)[number];

/** The partition key of a function's records (IAM names it). */
export const idempotencyPartition = (scope: IdempotencyScope) => `idempotency#${scope}`;

/** The DynamoDB actions the persistence layer sends (the records' put, read, completion, and release). */
export const IDEMPOTENCY_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** Long past SQS's and EventBridge's redelivery windows, as the baseline's other records. */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

/** A delivery with no Lambda context (replay, a direct invocation) holds its record as long as the longest invocation may run. */
export const LONGEST_INVOCATION_MS = 15 * 60 * 1000;

export function idempotencyPersistence(
  client: DynamoDBClient,
  tableName: string,
  scope: IdempotencyScope,
): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: idempotencyPartition(scope),
    // The baseline table's TTL attribute (infra/constructs/baseline-table.ts): DynamoDB removes expired records.
    expiryAttr: 'expiresAt',
  });
}

const configOf = (eventKeyJmesPath: string) =>
  new IdempotencyConfig({
    eventKeyJmesPath,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
  });

/** What a delivery with no Lambda context registers: its record's in-progress hold lasts the longest invocation. */
const noContext = { getRemainingTimeInMillis: () => LONGEST_INVOCATION_MS } as unknown as Context;

/**
 * `work` made idempotent per the value at `key` (a JMESPath into its argument, e.g. `messageId`):
 * a redelivery of a unit that completed returns the stored result without running it; one that
 * arrives while another delivery holds it throws IdempotencyAlreadyInProgressError (its record is
 * reported back to SQS and retried); one whose work threw runs again. A holder that died is taken
 * over once its invocation's time is up.
 */
export function idempotentBy<A extends object, R>(
  persistence: DynamoDBPersistenceLayer,
  scope: IdempotencyScope,
  key: string,
  work: (arg: A) => Promise<R>,
): (arg: A, context?: Context) => Promise<R> {
  const config = configOf(key);
  const once = makeIdempotent(work, { persistenceStore: persistence, config, keyPrefix: scope });
  return (arg, context) => {
    config.registerLambdaContext(context ?? noContext);
    return once(arg);
  };
}

export type UnitClaim = 'claimed' | 'completed' | 'in-progress';

/**
 * The same records for a unit whose start and end are apart — the drift function's claim of an
 * event (claimed before anything is read, completed once its verdicts are stored) and the
 * notifier's messages (claimed as parsed, completed once their group is published): the
 * persistence layer's own steps (saveInProgress, saveSuccess, deleteRecord), that makeIdempotent
 * takes in one call.
 */
export class IdempotentUnits {
  constructor(
    private readonly persistence: DynamoDBPersistenceLayer,
    scope: IdempotencyScope,
    private readonly holdMs: () => number = () => LONGEST_INVOCATION_MS,
  ) {
    persistence.configure({ config: configOf(''), keyPrefix: scope });
  }

  /** Atomic (a conditional put): of concurrent claims of one key, one is `claimed`. */
  async claim(key: string): Promise<UnitClaim> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.persistence.saveInProgress(key, this.holdMs());
        return 'claimed';
      } catch (error) {
        if (!(error instanceof IdempotencyItemAlreadyExistsError)) throw error;
        const status = (error.existingRecord ?? (await this.record(key)))?.getStatus();
        if (status === IdempotencyRecordStatus.COMPLETED) return 'completed';
        if (status === IdempotencyRecordStatus.INPROGRESS) return 'in-progress';
        // Expired or gone between the put and the read: claim again.
      }
    }
    return 'in-progress';
  }

  async complete(key: string): Promise<void> {
    await this.persistence.saveSuccess(key, true);
  }

  /** Gives the unit back, so its retry runs at once (Powertools deletes the record, whoever holds it). */
  async release(key: string): Promise<void> {
    await this.persistence.deleteRecord(key);
  }

  async completed(key: string): Promise<boolean> {
    return (await this.record(key))?.getStatus() === IdempotencyRecordStatus.COMPLETED;
  }

  private async record(key: string) {
    try {
      return await this.persistence.getRecord(key);
    } catch (error) {
      if (error instanceof IdempotencyItemNotFoundError) return undefined;
      throw error;
    }
  }
}

/** Runs `work` once per `key` (an SQS or SNS message id, a Config invocation): `idempotentBy` for work given with its key. */
export type OnceBy = <T>(key: string, work: () => Promise<T>, context?: Context) => Promise<T>;

export function onceBy(persistence: DynamoDBPersistenceLayer, scope: IdempotencyScope): OnceBy {
  const once = idempotentBy(
    persistence,
    scope,
    'key',
    ({ work }: { readonly key: string; readonly work: () => Promise<unknown> }) => work(),
  );
  return <T>(key: string, work: () => Promise<T>, context?: Context) =>
    once({ key, work }, context) as Promise<T>;
}
