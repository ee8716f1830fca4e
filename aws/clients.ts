// AWS SDK v3 clients for one region, built one way everywhere: the SDK's adaptive retry, an
// optional endpoint override (also read from AWS_ENDPOINT_URL by the SDK itself) and a
// `Caller` that paces, counts and classifies every call.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
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
}

export function regionClients(options: ClientOptions): RegionClients {
  const config = {
    region: options.region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  return {
    apigateway: new APIGatewayClient(config),
    apigatewayv2: new ApiGatewayV2Client(config),
    wafv2: new WAFV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    sts: new STSClient(config),
    cloudtrail: new CloudTrailClient(config),
    iam: new IAMClient(config),
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

/** The operation each failed `Caller.send` was making, for errors that name it. */
const failedOperations = new WeakMap<object, string>();

/** The operation (e.g. `GetStages`) a Caller was sending when `error` was thrown, if it was one. */
export function failedOperation(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedOperations.get(error) : undefined;
}

/** The output type of an SDK v3 command, read from its middleware's handler. */
type OutputOf<C> = C extends {
  resolveMiddleware(...args: never[]): (...args: never[]) => Promise<{ output: infer O }>;
}
  ? O
  : never;

interface Sendable {
  // biome-ignore lint/suspicious/noExplicitAny: every SDK client's send accepts its own commands.
  send(command: any): Promise<any>;
}

/** An SDK v3 command's own middleware stack, to which the Caller adds its per-attempt pacing. */
interface WithMiddleware {
  readonly middlewareStack?: {
    addRelativeTo(
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's middleware types are generic in every client's input and output.
      middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>,
      options: { name: string; relation: 'after'; toMiddleware: string; override: boolean },
    ): void;
  };
}

/** The account's shared buckets a Caller takes from as well (aws/call-budget.ts). */
export type SharedTokens = Partial<Record<Bucket, Tokens>>;

export interface CallStats {
  /** Requests sent, retries included, by operation. */
  readonly calls: Record<string, number>;
  /** Requests answered with a throttling error and retried. */
  throttled: number;
}

/**
 * Paces calls with one token bucket per quota and counts them. One Caller per account and region.
 * With `shared` buckets (the account's call budget), every request also takes from those, the
 * SDK's retries included: each attempt after the first waits for its own tokens.
 */
export class Caller {
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

  async send<C extends object>(bucket: Bucket, client: Sendable, command: C): Promise<OutputOf<C>> {
    const operation = command.constructor.name.replace(/Command$/, '');
    await this.pace(bucket);
    let attempt = 0;
    (command as WithMiddleware).middlewareStack?.addRelativeTo(
      (next) => async (args) => {
        attempt += 1;
        if (attempt > 1) await this.pace(bucket);
        return next(args);
      },
      { name: 'gatewatchPacing', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
    );
    try {
      const output = (await client.send(command)) as OutputOf<C>;
      this.record(operation, output);
      return output;
    } catch (error) {
      this.record(operation, error);
      if (typeof error === 'object' && error !== null) failedOperations.set(error, operation);
      throw error;
    }
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
 * Clients and a Caller per region, made on first use and kept (for a Lambda execution
 * environment, or one CLI run): what LiveReader, the collector and the remediator take.
 */
export function regionAccessCache(
  options: Omit<ClientOptions, 'region'> & {
    /** The account's call budget (aws/call-budget.ts), for the account the function runs in. */
    readonly budget?: {
      readonly homeAccountId: string;
      tokensFor(accountId: string, region: string): SharedTokens;
    };
  } = {},
) {
  const { budget, ...clientOptions } = options;
  const regions = new Map<string, { clients: RegionClients; caller: Caller }>();
  return (region: string): { clients: RegionClients; caller: Caller } => {
    let access = regions.get(region);
    if (!access) {
      access = {
        clients: regionClients({ ...clientOptions, region }),
        caller: new Caller({}, realClock, budget?.tokensFor(budget.homeAccountId, region)),
      };
      regions.set(region, access);
    }
    return access;
  };
}
