// AWS failures shaped as the SDK v3 throws them after its own retries: the service's modeled
// exception class where the model has one (TooManyRequestsException, NotFoundException, …),
// else the service's base exception with the error code as its name, as the SDK's default
// error deserializer builds it; `$fault`, `$metadata.httpStatusCode` and the attempts the retry
// strategy made. A timeout is what @smithy/node-http-handler throws: a plain Error named
// TimeoutError, with the retry strategy's `$metadata` added.
import * as apigateway from '@aws-sdk/client-api-gateway';
import * as apigatewayv2 from '@aws-sdk/client-apigatewayv2';
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as config from '@aws-sdk/client-config-service';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as iam from '@aws-sdk/client-iam';
import * as secretsmanager from '@aws-sdk/client-secrets-manager';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import * as sts from '@aws-sdk/client-sts';
import * as wafv2 from '@aws-sdk/client-wafv2';

export const faultKinds = ['throttled', 'unavailable', 'timeout', 'denied', 'not-found'] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Throttled, 5xx and timeouts are worth retrying; denied and not found are answers. */
export const transientFaults: readonly FaultKind[] = ['throttled', 'unavailable', 'timeout'];

// biome-ignore lint/suspicious/noExplicitAny: each SDK's exception constructors take their own options.
type ExceptionClass = new (options: any) => Error;

interface ServiceErrors {
  readonly module: Record<string, unknown>;
  readonly base: ExceptionClass;
  /** The code a missing resource is reported with. */
  readonly notFound: { readonly name: string; readonly status: number };
  /** The code throttling is reported with. */
  readonly throttled: string;
}

const services = {
  apigateway: {
    module: apigateway,
    base: apigateway.APIGatewayServiceException,
    notFound: { name: 'NotFoundException', status: 404 },
    throttled: 'TooManyRequestsException',
  },
  apigatewayv2: {
    module: apigatewayv2,
    base: apigatewayv2.ApiGatewayV2ServiceException,
    notFound: { name: 'NotFoundException', status: 404 },
    throttled: 'TooManyRequestsException',
  },
  wafv2: {
    module: wafv2,
    base: wafv2.WAFV2ServiceException,
    notFound: { name: 'WAFNonexistentItemException', status: 400 },
    throttled: 'ThrottlingException',
  },
  logs: {
    module: logs,
    base: logs.CloudWatchLogsServiceException,
    notFound: { name: 'ResourceNotFoundException', status: 400 },
    throttled: 'ThrottlingException',
  },
  cloudwatch: {
    module: cloudwatch,
    base: cloudwatch.CloudWatchServiceException,
    notFound: { name: 'ResourceNotFoundException', status: 404 },
    throttled: 'ThrottlingException',
  },
  dynamodb: {
    module: dynamodb,
    base: dynamodb.DynamoDBServiceException,
    notFound: { name: 'ResourceNotFoundException', status: 400 },
    throttled: 'ThrottlingException',
  },
  sqs: {
    module: sqs,
    base: sqs.SQSServiceException,
    notFound: { name: 'QueueDoesNotExist', status: 400 },
    throttled: 'ThrottlingException',
  },
  sns: {
    module: sns,
    base: sns.SNSServiceException,
    notFound: { name: 'NotFoundException', status: 404 },
    throttled: 'ThrottlingException',
  },
  config: {
    module: config,
    base: config.ConfigServiceServiceException,
    notFound: { name: 'NoSuchConfigRuleException', status: 400 },
    throttled: 'ThrottlingException',
  },
  secretsmanager: {
    module: secretsmanager,
    base: secretsmanager.SecretsManagerServiceException,
    notFound: { name: 'ResourceNotFoundException', status: 400 },
    throttled: 'ThrottlingException',
  },
  sts: {
    module: sts,
    base: sts.STSServiceException,
    notFound: { name: 'NoSuchEntity', status: 404 },
    throttled: 'ThrottlingException',
  },
  cloudtrail: {
    module: cloudtrail,
    base: cloudtrail.CloudTrailServiceException,
    notFound: { name: 'TrailNotFoundException', status: 400 },
    throttled: 'ThrottlingException',
  },
  iam: {
    module: iam,
    base: iam.IAMServiceException,
    notFound: { name: 'NoSuchEntityException', status: 404 },
    throttled: 'Throttling',
  },
} satisfies Record<string, ServiceErrors>;

export type ServiceName = keyof typeof services;

/** What the retry strategy leaves on an error after its last attempt (maxAttempts 5). */
const exhausted = { attempts: 5, totalRetryDelay: 7400 };

const requestId = (operation: string) =>
  `fa17${operation.length.toString(16).padStart(4, '0')}-0000-4000-8000-00000000f417`;

/**
 * The error the SDK throws for `operation` of `service` when AWS answers with `kind`.
 * `detail` is appended to the message (e.g. to carry text a test must never see logged).
 */
export function sdkFault(kind: FaultKind, service: ServiceName, operation: string, detail = ''): Error {
  const errors: ServiceErrors = services[service];
  const tail = detail ? ` ${detail}` : '';
  if (kind === 'timeout') {
    return Object.assign(
      new Error(
        `@smithy/node-http-handler - [ERROR] a request has exceeded the configured 3000 ms requestTimeout.${tail}`,
      ),
      { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { ...exhausted } },
    );
  }
  const shape = {
    throttled: { name: errors.throttled, status: 429, fault: 'client', message: 'Rate exceeded' },
    unavailable: {
      name: 'ServiceUnavailableException',
      status: 503,
      fault: 'server',
      message: 'Service Unavailable',
    },
    denied: {
      name: 'AccessDeniedException',
      status: 403,
      fault: 'client',
      message: `User: arn:aws:sts::111122223333:assumed-role/gatewatch/fault-test is not authorized to perform: ${service}:${operation}`,
    },
    'not-found': {
      name: errors.notFound.name,
      status: errors.notFound.status,
      fault: 'client',
      message: `The resource ${operation} asked for does not exist.`,
    },
  }[kind];
  const $metadata = {
    httpStatusCode: shape.status,
    requestId: requestId(operation),
    ...(kind === 'throttled' || kind === 'unavailable' ? exhausted : { attempts: 1, totalRetryDelay: 0 }),
  };
  const modeled = errors.module[shape.name];
  const isModeled =
    typeof modeled === 'function' && (modeled as { prototype: unknown }).prototype instanceof errors.base;
  const options = { $metadata, message: `${shape.message}${tail}` };
  return isModeled
    ? new (modeled as ExceptionClass)(options)
    : new errors.base({ ...options, name: shape.name, $fault: shape.fault });
}
