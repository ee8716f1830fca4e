// AWS SDK v3 clients for one region, built one way everywhere: the SDK's adaptive retry, an
// optional endpoint override (also read from AWS_ENDPOINT_URL by the SDK itself) and a `Pacer`
// whose middleware paces and counts every request the clients send.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import {
  isTransientError as isSdkTransientError,
  isServerError,
  isThrottlingError,
} from '@smithy/core/retry';
import { type Clock, type Rate, realClock, TokenBucket, type Tokens } from './rate-limit';

export interface ClientOptions {
  readonly region: string;
  /** e.g. http://localhost:4566 for LocalStack. */
  readonly endpoint?: string;
  /** Attempts per call, first one included (the SDK's adaptive retry backs off between them). */
  readonly maxAttempts?: number;
  /**
   * Credentials other than the default chain's: a member account's role, assumed
   * (aws/accounts.ts). The SDK calls it when it needs credentials and again before they expire.
   */
  readonly credentials?: () => Promise<AwsCredentials>;
  /** Paces and counts the clients' requests (one per account and region); the default quotas' shares if absent. */
  readonly pacer?: Pacer;
}

/** What an STS AssumeRole answer gives, as the SDK takes it. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface RegionClients {
  readonly apigateway: APIGatewayClient;
  readonly apigatewayv2: ApiGatewayV2Client;
  readonly wafv2: WAFV2Client;
  readonly cloudwatch: CloudWatchClient;
  /** CloudWatch Logs: whether an access log destination still exists. */
  readonly logs: CloudWatchLogsClient;
  readonly sts: STSClient;
  /** The logging path: the trails that log the region, and the CloudWatch Logs role (IAM is global). */
  readonly cloudtrail: CloudTrailClient;
  readonly iam: IAMClient;
  /** Paces and counts these clients' requests; attach the account and region's other clients (AWS Config) to it. */
  readonly pacer: Pacer;
}

export function regionClients(options: ClientOptions): RegionClients {
  const config = {
    region: options.region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const pacer = options.pacer ?? new Pacer();
  return {
    apigateway: pacer.attach(new APIGatewayClient(config), 'apigateway'),
    apigatewayv2: pacer.attach(new ApiGatewayV2Client(config), 'apigatewayv2'),
    wafv2: pacer.attach(new WAFV2Client(config), 'wafv2'),
    cloudwatch: pacer.attach(new CloudWatchClient(config), 'cloudwatch'),
    logs: pacer.attach(new CloudWatchLogsClient(config), 'logs'),
    sts: pacer.attach(new STSClient(config), 'sts'),
    cloudtrail: pacer.attach(new CloudTrailClient(config), 'cloudtrail'),
    iam: pacer.attach(new IAMClient(config), 'iam'),
    pacer,
  };
}

/**
 * Documented quotas, per account and region (Amazon API Gateway and AWS WAF quotas pages).
 * gatewatch's default share of API Gateway's 10 requests/s leaves room for the other tools
 * and pipelines that use the same account.
 */
export const defaultRates = {
  apigateway: { perSecond: 8, burst: 20 },
  /** GetResources has its own quota: 5 requests every 2 seconds. */
  getResources: { perSecond: 2.5, burst: 5 },
  /** WAFv2 reads other than GetWebACLForResource / ListResourcesForWebACL: 5 per second. */
  wafv2: { perSecond: 5, burst: 5 },
  /** WAFv2 ListResourcesForWebACL: 1 request per second. */
  listResourcesForWebACL: { perSecond: 1, burst: 1 },
  cloudwatch: { perSecond: 10, burst: 10 },
  /** CloudWatch Logs DescribeLogGroups (its quota is not in AWS-NOTES; a conservative share). */
  logs: { perSecond: 5, burst: 5 },
  sts: { perSecond: 10, burst: 10 },
  /** CloudTrail DescribeTrails, GetTrailStatus, GetEventSelectors, and IAM GetRole: a conservative share. */
  cloudtrail: { perSecond: 5, burst: 5 },
  iam: { perSecond: 5, burst: 5 },
  /** AWS Config (PutEvaluations, GetResourceConfigHistory, GetComplianceDetailsByConfigRule): a conservative share. */
  config: { perSecond: 5, burst: 10 },
} satisfies Record<string, Rate>;

export type Bucket = keyof typeof defaultRates;

/** GetResources has its own quota and also counts towards API Gateway's account-wide one. */
const alsoDrawsFrom: Partial<Record<Bucket, Bucket>> = { getResources: 'apigateway' };

/** The services gatewatch calls, as their clients are named here. */
export type Service = Exclude<keyof RegionClients, 'pacer'> | 'config';

/** The quota a request counts against: its service's, or its operation's own where it has one. */
export function bucketOf(service: Service, operation: string): Bucket {
  if (operation === 'GetResources' && service === 'apigateway') return 'getResources';
  if (operation === 'ListResourcesForWebACL') return 'listResourcesForWebACL';
  return service === 'apigatewayv2' ? 'apigateway' : service;
}

/** The operation each failed request was making, for errors that name it. */
const failedOperations = new WeakMap<object, string>();

/** The operation (e.g. `GetStages`) a paced client was sending when `error` was thrown, if it was one. */
export function failedOperation(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedOperations.get(error) : undefined;
}

/** The account's shared buckets a Pacer takes from as well (aws/call-budget.ts). */
export type SharedTokens = Partial<Record<Bucket, Tokens>>;

export interface CallStats {
  /** Requests sent, retries included, by operation. */
  readonly calls: Record<string, number>;
  /** Requests answered with a throttling error and retried. */
  throttled: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic in every client's input and output.
type Handler = (args: any) => Promise<any>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** What the Pacer needs of an SDK v3 client: its middleware stack. */
interface WithMiddleware {
  readonly middlewareStack: {
    add(
      middleware: Middleware,
      options: { step: 'initialize'; priority: 'high'; name: string; override: boolean },
    ): void;
    addRelativeTo(
      middleware: Middleware,
      options: { name: string; relation: 'after'; toMiddleware: string; override: boolean },
    ): void;
  };
}

/** The name of the Pacer's middleware on a client's stack (test/support/sdk.ts answers mocks inside it). */
export const PACING_MIDDLEWARE = 'gatewatchPacing';

/**
 * Paces requests with one token bucket per quota and counts them, as middleware on the SDK
 * clients it is attached to: whatever sends through them (a command, the SDK's paginators) is
 * paced. One Pacer per account and region. With `shared` buckets (the account's call budget),
 * every request also takes from those, the SDK's retries included: each attempt after the first
 * waits for its own tokens.
 */
export class Pacer {
  readonly stats: CallStats = { calls: {}, throttled: 0 };
  private readonly buckets: Record<Bucket, TokenBucket>;

  constructor(
    rates: Partial<Record<Bucket, Rate>> = {},
    clock: Clock = realClock,
    private readonly shared: SharedTokens = {},
  ) {
    const merged = { ...defaultRates, ...rates };
    this.buckets = Object.fromEntries(
      Object.entries(merged).map(([name, rate]) => [name, new TokenBucket(rate, clock)]),
    ) as Record<Bucket, TokenBucket>;
  }

  /**
   * Paces and counts every request `client` sends: the first attempt before the SDK's middleware
   * runs (initialize step), each retry after the SDK's retry middleware has decided to make it.
   */
  attach<C extends WithMiddleware>(client: C, service: Service): C {
    const operationOf = (context: { commandName?: string }) =>
      (context.commandName ?? 'Unknown').replace(/Command$/, '');
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = operationOf(context);
        await this.pace(bucketOf(service, operation));
        try {
          const result = await next(args);
          this.record(operation, result?.output);
          return result;
        } catch (error) {
          this.record(operation, error);
          if (typeof error === 'object' && error !== null) failedOperations.set(error, operation);
          throw error;
        }
      },
      { step: 'initialize', priority: 'high', name: PACING_MIDDLEWARE, override: true },
    );
    client.middlewareStack.addRelativeTo(
      (next, context) => {
        const bucket = bucketOf(service, operationOf(context));
        let attempt = 0;
        return async (args) => {
          attempt += 1;
          if (attempt > 1) await this.pace(bucket);
          return next(args);
        };
      },
      { name: 'gatewatchRetryPacing', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
    );
    return client;
  }

  /** Waits for a token of every bucket the request counts against, here and account-wide. */
  private async pace(bucket: Bucket): Promise<void> {
    const also = alsoDrawsFrom[bucket];
    for (const name of also ? [bucket, also] : [bucket]) {
      await this.buckets[name].take();
      await this.shared[name]?.take();
    }
  }

  private record(operation: string, outcome: unknown): void {
    const attempts = (outcome as { $metadata?: { attempts?: number } })?.$metadata?.attempts ?? 1;
    this.stats.calls[operation] = (this.stats.calls[operation] ?? 0) + attempts;
    this.stats.throttled += attempts - 1;
  }
}

export type ErrorKind = 'gone' | 'denied' | 'failed';

/** Sorts an AWS error: the resource is gone, the caller may not read it, or something else failed. */
export function classifyError(error: unknown): { kind: ErrorKind; code: string; message: string } {
  const code = (error as { name?: string })?.name ?? 'Error';
  const message = (error as { message?: string })?.message ?? String(error);
  if (/NotFound|Nonexistent|NoSuch/.test(code)) return { kind: 'gone', code, message };
  if (/AccessDenied|Unauthorized|Forbidden|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/.test(code)) {
    return { kind: 'denied', code, message };
  }
  return { kind: 'failed', code, message };
}

/** Errors that mean no call can succeed: stop and say so, rather than report every resource as unreadable. */
export function isCredentialsError(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return /CredentialsProviderError|InvalidClientTokenId|UnrecognizedClientException|ExpiredToken|InvalidSignatureException/.test(
    name,
  );
}

// Node's error codes for a host that cannot be reached (DNS, refused, reset, timed out, no route),
// as the SDK's HTTP handler passes them on (the error's `code`, or its `cause`'s).
const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** True when AWS (or the endpoint) could not be reached at all: a network failure, not an AWS answer. */
export function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, name, cause } = current as { code?: unknown; name?: unknown; cause?: unknown };
    if ((typeof code === 'string' && UNREACHABLE.has(code)) || name === 'TimeoutError') return true;
    current = cause;
  }
  return false;
}

/**
 * Throttling, a 5xx, a network failure or anything else the SDK's retry strategy counts as
 * transient (the SDK's own classification): worth retrying the whole event later.
 */
export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const answer = error as Parameters<typeof isThrottlingError>[0];
  return (
    answer.$fault === 'server' ||
    isThrottlingError(answer) ||
    isServerError(answer) ||
    isSdkTransientError(answer) ||
    isNetworkError(error)
  );
}

/**
 * Paced clients per region, made on first use and kept (for a Lambda execution environment, or
 * one CLI run): what LiveReader, the collector and the remediator take.
 */
export function regionAccessCache(
  options: Omit<ClientOptions, 'region' | 'pacer'> & {
    /** The account's call budget (aws/call-budget.ts), for the account the function runs in. */
    readonly budget?: {
      readonly homeAccountId: string;
      tokensFor(accountId: string, region: string): SharedTokens;
    };
  } = {},
) {
  const { budget, ...clientOptions } = options;
  const regions = new Map<string, RegionClients>();
  return (region: string): RegionClients => {
    let clients = regions.get(region);
    if (!clients) {
      const pacer = new Pacer({}, realClock, budget?.tokensFor(budget.homeAccountId, region));
      clients = regionClients({ ...clientOptions, region, pacer });
      regions.set(region, clients);
    }
    return clients;
  };
}
