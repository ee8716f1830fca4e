// The write calls a remediation may make, as plain data: each call's name (`service:operation`,
// as the SDK and CloudTrail name it) and its input, field for field as the SDK documents it. No
// SDK here: aws/write turns a planned call into its command, and tsc checks there that every
// input below is one the SDK accepts.
import type { LoggingLevel } from './resources';

/** API Gateway's JSON Patch operation (REST API updates), as the SDK's `PatchOperation`. */
export interface PatchOperation {
  readonly op: 'replace';
  readonly path: string;
  readonly value: string;
}

/** An HTTP/WebSocket route setting, as the SDK's `RouteSettings`. */
export interface RouteSettingsInput {
  readonly DataTraceEnabled?: boolean;
  readonly DetailedMetricsEnabled?: boolean;
  readonly LoggingLevel?: LoggingLevel;
  readonly ThrottlingBurstLimit?: number;
  readonly ThrottlingRateLimit?: number;
}

/** Every write call, by `service:operation`, with the input gatewatch sends. */
export interface CallInputs {
  'apigateway:UpdateStage': { restApiId: string; stageName: string; patchOperations: PatchOperation[] };
  'apigateway:UpdateMethod': {
    restApiId: string;
    resourceId: string;
    httpMethod: string;
    patchOperations: PatchOperation[];
  };
  'apigateway:CreateDeployment': { restApiId: string; stageName: string; description: string };
  'apigateway:UpdateRestApi': { restApiId: string; patchOperations: PatchOperation[] };
  'apigateway:UpdateAccount': { patchOperations: PatchOperation[] };
  'apigateway:UpdateDomainName': { domainName: string; patchOperations: PatchOperation[] };
  'apigatewayv2:UpdateStage': {
    ApiId: string;
    StageName: string;
    DefaultRouteSettings?: RouteSettingsInput;
    RouteSettings?: Record<string, RouteSettingsInput>;
    AccessLogSettings?: { DestinationArn: string; Format: string };
  };
  'apigatewayv2:UpdateRoute': {
    ApiId: string;
    RouteId: string;
    AuthorizationType: 'AWS_IAM' | 'CUSTOM' | 'JWT';
    AuthorizerId?: string;
  };
  'apigatewayv2:UpdateApi': { ApiId: string; DisableExecuteApiEndpoint: boolean };
  'wafv2:AssociateWebACL': { WebACLArn: string; ResourceArn: string };
}

export type CallName = keyof CallInputs;
export type ServiceOf<N extends CallName> = N extends `${infer S}:${string}` ? S : never;
export type OperationOf<N extends CallName> = N extends `${string}:${infer O}` ? O : never;
export type Service = ServiceOf<CallName>;

/** One AWS API call a remediation makes, with the IAM actions it needs. */
export type RemediationCall<N extends CallName = CallName> = {
  [M in N]: {
    /** The SDK client: `apigateway` (REST), `apigatewayv2` (HTTP/WebSocket), `wafv2`. */
    readonly service: ServiceOf<M>;
    /** The API operation, as the SDK and CloudTrail name it: `UpdateStage`, `AssociateWebACL`. */
    readonly operation: OperationOf<M>;
    /** IAM actions the call needs; API Gateway authorises by HTTP verb (`apigateway:PATCH`). */
    readonly iamActions: readonly string[];
    /** What the call changes, in words. */
    readonly effect: string;
  };
}[N];

/** One call of a plan: which, its exact input, and one line for people. */
export type PlannedCall<N extends CallName = CallName> = {
  [M in N]: {
    readonly service: ServiceOf<M>;
    readonly operation: OperationOf<M>;
    readonly input: CallInputs[M];
    /** "stage prod of API k3x9p2a7qd: /*\/*\/logging/loglevel → ERROR" */
    readonly describe: string;
  };
}[N];

/** The names of the calls a declaration lists. */
export type NameOf<C> = C extends {
  readonly service: infer S extends string;
  readonly operation: infer O extends string;
}
  ? Extract<`${S}:${O}`, CallName>
  : never;

/** `apigateway:UpdateStage`, for a declared or a planned call. */
export const callName = <N extends CallName>(call: {
  readonly service: string;
  readonly operation: string;
}) => `${call.service}:${call.operation}` as N;

export function plannedCall<N extends CallName>(
  name: N,
  input: CallInputs[N],
  describe: string,
): PlannedCall<N> {
  const [service, operation] = name.split(':');
  return { service, operation, input, describe } as PlannedCall<N>;
}

/**
 * Execution and access logs to CloudWatch Logs need the account's CloudWatch Logs role: logging
 * fixes set it first when the account settings name none (see account-cloudwatch-role).
 */
export const setAccountCloudWatchRole: RemediationCall<'apigateway:UpdateAccount'> = {
  service: 'apigateway',
  operation: 'UpdateAccount',
  iamActions: ['apigateway:PATCH', 'iam:PassRole'],
  effect:
    'Only when the account settings name no CloudWatch Logs role: replace /cloudwatchRoleArn with the roleArn of account-cloudwatch-role, or the role gatewatch deploys.',
};
