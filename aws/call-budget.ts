// The account-wide call budget: API Gateway's control-plane quota (10 requests/s, burst 40) is
// per account and region and shared by every environment of every gatewatch function (drift,
// remediator, sweep, Config evaluator) and by every other tool. Each environment paces itself
// (clients.ts) and also takes every request — retries included — from one bucket per account and
// region, an item of the baseline table updated with conditional writes (rate-limit.ts says why
// that bounds the total whatever the concurrency). In an organization the central functions keep
// one bucket per member account and region, so each member's quota holds on its own.
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Clock,
  costOf,
  gcra,
  LeasedBucket,
  type LeaseOptions,
  type Rate,
  realClock,
  type SharedBucketStore,
  type Tokens,
} from './rate-limit';

/**
 * gatewatch's share of API Gateway's 10 requests/s per account and region, for all its functions
 * together. Leased tokens live one second, so any second sees at most burst + 2 × perSecond = 24
 * requests, within the quota's burst of 40, and any minute at most 8 × 61 + 8.
 */
export const accountBudget = {
  apigateway: { perSecond: 8, burst: 8 },
  /** GetResources' own quota (5 every 2 seconds); it also takes from `apigateway`. */
  getResources: { perSecond: 2, burst: 2 },
} as const satisfies Record<string, Rate>;

export type BudgetBucket = keyof typeof accountBudget;

export const budgetLease: Readonly<Record<BudgetBucket, LeaseOptions>> = {
  apigateway: { block: 4, leaseMs: 1000 },
  getResources: { block: 1, leaseMs: 1000 },
};

/** The environment the stack sets on every function that calls API Gateway (infra/constructs/call-budget.ts). */
export const budgetEnvironment = {
  table: 'GATEWATCH_BUDGET_TABLE',
  /** The account the functions run in: its own calls are kept under its id. */
  account: 'GATEWATCH_BUDGET_ACCOUNT',
} as const;

/** The budget item's key: one per account, region and quota. */
export const budgetKey = (accountId: string, region: string, bucket: BudgetBucket) => ({
  pk: `budget#${accountId}#${region}`,
  sk: bucket,
});

/** A budget item outlives a quiet spell by a day, then DynamoDB's TTL removes it. */
const BUDGET_TTL_SECONDS = 24 * 3600;

/**
 * The shared buckets as items of the baseline table. One conditional update per lease: the
 * bucket is either idle (tat <= now: start afresh) or busy within its burst (tat + cost <= now +
 * burst: add the cost); a guess that no longer holds fails its condition and is read again.
 */
export class DynamoBudgetStore implements SharedBucketStore {
  private readonly documents: DynamoDBDocumentClient;
  /** The last tat seen per bucket: the next update's guess. */
  private readonly known = new Map<string, number>();

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  async charge(key: string, count: number, now: number, rate: Rate) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const tat = this.known.get(key) ?? 0;
      const decision = gcra(tat, count, now, rate);
      if (!decision.granted) {
        // Our view may be old: read the item before waiting on it.
        const current = await this.read(key);
        if (current === tat) return decision;
        this.known.set(key, current);
        continue;
      }
      try {
        const { Attributes } = await this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: parseKey(key),
            ...(tat <= now
              ? {
                  UpdateExpression: 'SET tat = :next, expiresAt = :expires',
                  ConditionExpression: 'attribute_not_exists(tat) OR tat <= :now',
                  ExpressionAttributeValues: {
                    ':next': decision.tat,
                    ':now': now,
                    ':expires': Math.floor(now / 1000) + BUDGET_TTL_SECONDS,
                  },
                }
              : {
                  UpdateExpression: 'SET tat = tat + :cost, expiresAt = :expires',
                  ConditionExpression: 'tat > :now AND tat <= :latest',
                  ExpressionAttributeValues: {
                    ':cost': costOf(count, rate),
                    ':now': now,
                    ':latest': now + ((rate.burst - count) * 1000) / rate.perSecond,
                    ':expires': Math.floor(now / 1000) + BUDGET_TTL_SECONDS,
                  },
                }),
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        this.known.set(key, Number(Attributes?.tat ?? decision.tat));
        return { granted: true } as const;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        this.known.set(key, await this.read(key));
      }
    }
    // Many environments raced for the same tokens: wait a little and let the taker ask again.
    return { granted: false, retryAt: now + 50 + Math.random() * 100 } as const;
  }

  private async read(key: string): Promise<number> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: parseKey(key), ConsistentRead: true }),
    );
    return Number(Item?.tat ?? 0);
  }
}

const parseKey = (key: string) => {
  const at = key.lastIndexOf('|');
  return { pk: key.slice(0, at), sk: key.slice(at + 1) };
};

/** The shared buckets of every account and region one environment calls, made on first use. */
export class CallBudget {
  private readonly takers = new Map<string, Partial<Record<BudgetBucket, Tokens>>>();

  constructor(
    private readonly store: SharedBucketStore,
    /** The account the functions run in. */
    readonly homeAccountId: string,
    private readonly clock: Clock = realClock,
  ) {}

  /** The shared buckets a Pacer for this account and region takes from. */
  tokensFor(accountId: string, region: string): Partial<Record<BudgetBucket, Tokens>> {
    const id = `${accountId}#${region}`;
    let found = this.takers.get(id);
    if (!found) {
      found = Object.fromEntries(
        (Object.keys(accountBudget) as BudgetBucket[]).map((bucket) => {
          const { pk, sk } = budgetKey(accountId, region, bucket);
          return [
            bucket,
            new LeasedBucket(
              this.store,
              `${pk}|${sk}`,
              accountBudget[bucket],
              budgetLease[bucket],
              this.clock,
            ),
          ];
        }),
      );
      this.takers.set(id, found);
    }
    return found;
  }
}

/** The budget the stack configured for this function, or none outside Lambda (the CLI paces itself only). */
export function callBudgetFromEnvironment(env: NodeJS.ProcessEnv = process.env): CallBudget | undefined {
  const table = env[budgetEnvironment.table];
  if (!table) return undefined;
  const account = env[budgetEnvironment.account];
  if (!account || !/^\d{12}$/.test(account)) {
    throw new Error(
      `${budgetEnvironment.account} must be the 12-digit account id when ${budgetEnvironment.table} is set; it is ${JSON.stringify(account ?? '')}.`,
    );
  }
  return new CallBudget(new DynamoBudgetStore(new DynamoDBClient({}), table), account);
}

let processBudget: { budget: CallBudget | undefined } | undefined;
/** This execution environment's budget, one for all its clients (the drift function's own reads and its members'). */
export function processCallBudget(): CallBudget | undefined {
  processBudget ??= { budget: callBudgetFromEnvironment() };
  return processBudget.budget;
}
