// AWS answered in-process, in the SDK v3's shapes, for the reliability tests and the benches:
// the real SDK clients, with aws-sdk-client-mock replacing `send` class-wide (every region's
// clients are answered). Reads are answered from a saved inventory region (FakeAccount); API ids
// it does not know (recordings from other accounts) get a copy of one of its APIs under that id,
// so every recorded event takes its real read path. Writes succeed and are counted. DynamoDB (the
// baseline table, through the DocumentClient), SQS, SNS, Secrets Manager and AWS Config are kept
// in memory. Every answer first asks an optional fault hook, which may throw an SDK-shaped error
// instead (test/support/aws-faults.ts).
import { createHash } from 'node:crypto';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  GetAccountCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  type GetDeploymentRequest,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  type GetRestApiRequest,
  GetRestApisCommand,
  GetStageCommand,
  type GetStageRequest,
  GetStagesCommand,
  type GetStagesRequest,
  NotFoundException,
  UpdateAccountCommand,
  UpdateDomainNameCommand,
  UpdateMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  GetApiCommand,
  GetApiMappingsCommand,
  type GetApiMappingsRequest,
  type GetApiRequest,
  GetApisCommand,
  GetAuthorizerCommand,
  type GetAuthorizerRequest,
  GetDomainNameCommand,
  type GetDomainNameRequest,
  GetDomainNamesCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  type GetRouteRequest,
  GetRoutesCommand,
  GetAuthorizersCommand as GetV2AuthorizersCommand,
  GetStageCommand as GetV2StageCommand,
  type GetStageRequest as GetV2StageRequest,
  GetStagesCommand as GetV2StagesCommand,
  UpdateApiCommand,
  UpdateRouteCommand,
  UpdateStageCommand as UpdateV2StageCommand,
  NotFoundException as V2NotFoundException,
} from '@aws-sdk/client-apigatewayv2';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsRequest,
  GetTrailStatusCommand,
  type GetTrailStatusRequest,
  TrailNotFoundException,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataInput } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  type DescribeLogGroupsRequest,
  DescribeResourcePoliciesCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type PutEvaluationsRequest,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GetRoleCommand, type GetRoleRequest, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type PublishInput, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SendMessageRequest, SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AssociateWebACLCommand,
  GetWebACLCommand,
  type GetWebACLRequest,
  ListResourcesForWebACLCommand,
  type ListResourcesForWebACLRequest,
  WAFNonexistentItemException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import {
  DeleteCommand,
  type DeleteCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { Inventory, LoggingPath } from '../../aws/read/schema';
import type { ServiceName } from './aws-faults';
import { applyUpdate, conditionHolds, withNames } from './dynamodb-conditions';
import { mockClient } from './sdk';

type Region = Inventory['regions'][number];
type RestEntry = Region['restApis'][number];
type V2Entry = Region['v2Apis'][number];

export const metadata = {
  httpStatusCode: 200,
  requestId: 'b3nch000-0000-4000-8000-000000000000',
  attempts: 1,
  totalRetryDelay: 0,
};

/** The SDK returns timestamps as Date objects where a saved inventory has ISO strings. */
export function sdkShaped<T extends object>(value: T): T & { $metadata: typeof metadata } {
  const revived = JSON.parse(JSON.stringify(value), (key, field) =>
    /^(created|lastUpdated)Date$/i.test(key) && typeof field === 'string' ? new Date(field) : field,
  );
  return { ...revived, $metadata: metadata };
}

const notFound = (what: string) =>
  new NotFoundException({
    message: `Invalid ${what} identifier specified`,
    $metadata: { ...metadata, httpStatusCode: 404 },
  });

/** One account, any region: the inventory region's resources, and copies of them under unknown ids. */
export class FakeAccount {
  private readonly rest = new Map<string, RestEntry>();
  private readonly v2 = new Map<string, V2Entry>();

  constructor(
    readonly region: Region,
    /** The APIs copied for unknown ids: by default the first REST API with a stage and the first HTTP API. */
    private readonly templates: { readonly restApiId?: string; readonly v2ApiId?: string } = {},
  ) {
    for (const entry of region.restApis) this.rest.set(entry.api.id, entry);
    for (const entry of region.v2Apis) this.v2.set(entry.api.ApiId, entry);
  }

  restApis(): RestEntry[] {
    return [...this.rest.values()];
  }

  v2Apis(): V2Entry[] {
    return [...this.v2.values()];
  }

  restApi(apiId = ''): RestEntry {
    let entry = this.rest.get(apiId);
    if (!entry) {
      const template = this.region.restApis.find((candidate) =>
        this.templates.restApiId
          ? candidate.api.id === this.templates.restApiId
          : candidate.stages.length > 0,
      );
      if (!template) throw new Error('The estate has no REST API with a stage to copy.');
      entry = structuredClone(template);
      entry.api.id = apiId;
      this.rest.set(apiId, entry);
    }
    return entry;
  }

  restStage(apiId = '', stageName = '') {
    const entry = this.restApi(apiId);
    let stage = entry.stages.find((candidate) => candidate.stageName === stageName);
    if (!stage) {
      stage = { ...structuredClone(entry.stages[0] as RestEntry['stages'][number]), stageName };
      entry.stages.push(stage);
    }
    return stage;
  }

  v2Api(apiId = ''): V2Entry {
    let entry = this.v2.get(apiId);
    if (!entry) {
      const template = this.region.v2Apis.find((candidate) =>
        this.templates.v2ApiId
          ? candidate.api.ApiId === this.templates.v2ApiId
          : candidate.api.ProtocolType === 'HTTP',
      );
      if (!template) throw new Error('The estate has no HTTP API to copy.');
      entry = structuredClone(template);
      entry.api.ApiId = apiId;
      this.v2.set(apiId, entry);
    }
    return entry;
  }

  v2Stage(apiId = '', StageName = '') {
    const entry = this.v2Api(apiId);
    let stage = entry.stages.find((candidate) => candidate.StageName === StageName);
    if (!stage) {
      stage = { ...structuredClone(entry.stages[0] as V2Entry['stages'][number]), StageName };
      entry.stages.push(stage);
    }
    return stage;
  }

  v2Route(apiId = '', RouteId = '') {
    const entry = this.v2Api(apiId);
    let route = entry.routes.find((candidate) => candidate.RouteId === RouteId);
    if (!route) {
      route = { ...structuredClone(entry.routes[0] as V2Entry['routes'][number]), RouteId };
      entry.routes.push(route);
    }
    return route;
  }

  /** Stages attached to a web ACL, as WAF lists them. */
  stagesWithWebAcl(webAclArn = ''): string[] {
    return [...this.rest.values()].flatMap((entry) =>
      entry.stages
        .filter((stage) => stage.webAclArn === webAclArn)
        .map(
          (stage) =>
            `arn:aws:apigateway:${this.region.region}::/restapis/${entry.api.id}/stages/${stage.stageName}`,
        ),
    );
  }

  /**
   * The logging path as the inventory saved it; an inventory without one (version 1) gets a
   * working one: a multi-region trail logging everything, the log delivery policy, the role found.
   */
  loggingPath(): LoggingPath {
    if (this.region.loggingPath) return this.region.loggingPath;
    const { accountId } = this.region;
    const roleArn = this.region.account?.cloudwatchRoleArn;
    return {
      trails: [
        {
          trail: {
            Name: 'management-events',
            TrailARN: `arn:aws:cloudtrail:us-east-1:${accountId}:trail/management-events`,
            HomeRegion: 'us-east-1',
            IsMultiRegionTrail: true,
            IsOrganizationTrail: false,
          },
          status: { IsLogging: true },
          selectors: { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] },
        },
      ],
      logResourcePolicies: [
        {
          policyName: 'AWSLogDeliveryWrite20150319',
          policyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AWSLogDeliveryWrite',
                Effect: 'Allow',
                Principal: { Service: 'delivery.logs.amazonaws.com' },
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: `arn:aws:logs:${this.region.region}:${accountId}:log-group:*`,
              },
            ],
          }),
        },
      ],
      cloudwatchRole: roleArn
        ? {
            state: 'found',
            role: {
              RoleName: roleArn.replace(/^.*\//, ''),
              Arn: roleArn,
              AssumeRolePolicyDocument: encodeURIComponent(
                JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: { Service: 'apigateway.amazonaws.com' },
                      Action: 'sts:AssumeRole',
                    },
                  ],
                }),
              ),
            },
          }
        : { state: 'not-read' },
    };
  }

  /** The log groups stages write access logs to: they all exist. */
  logGroups(prefix: string): LogGroup[] {
    const arns = new Set<string>();
    for (const entry of this.rest.values()) {
      for (const stage of entry.stages) {
        if (stage.accessLogSettings?.destinationArn) arns.add(stage.accessLogSettings.destinationArn);
      }
    }
    for (const entry of this.v2.values()) {
      for (const stage of entry.stages) {
        if (stage.AccessLogSettings?.DestinationArn) arns.add(stage.AccessLogSettings.DestinationArn);
      }
    }
    return [...arns]
      .map((arn) => arn.replace(/:\*$/, ''))
      .map((arn) => ({ arn, logGroupName: /:log-group:(.+)$/.exec(arn)?.[1] ?? '' }))
      .filter(({ logGroupName }) => logGroupName.startsWith(prefix))
      .map(({ arn, logGroupName }) => ({
        logGroupName,
        creationTime: 1_717_400_000_000,
        retentionInDays: 365,
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: 52_428_800,
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
      }));
  }
}

// ─── Faults ─────────────────────────────────────────────────────────────────────────────

/** One call as the fake side sees it: the service, the operation (`GetStage`) and the input. */
export interface AnsweredCall {
  readonly service: ServiceName;
  readonly operation: string;
  readonly input: unknown;
}

/** Returns an error to throw instead of answering, or undefined to answer. */
export type FaultHook = (call: AnsweredCall) => Error | undefined;

// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stubs are typed per client.
type Stub = AwsStub<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: every SDK command class.
type CommandClass = abstract new (...args: any[]) => any;

const operationOf = (command: CommandClass) => command.name.replace(/Command$/, '');

/** Registers `answer` for `command`, behind the fault hook. */
function answering<I>(
  stub: Stub,
  service: ServiceName,
  command: CommandClass,
  answer: (input: I) => unknown,
  fault: () => FaultHook | undefined,
): void {
  const operation = operationOf(command);
  // biome-ignore lint/suspicious/noExplicitAny: the stub is typed per client.
  (stub.on(command as any) as any).callsFake(async (input: I) => {
    const error = fault()?.({ service, operation, input });
    if (error) throw error;
    return answer(input);
  });
}

// ─── API Gateway, WAF, CloudWatch (Logs), STS ───────────────────────────────────────────

/** Write calls made, in order: `apigateway:UpdateStage` and its input. */
export interface WriteCall {
  readonly name: string;
  readonly input: unknown;
}

export interface ApiAnswers {
  readonly stubs: Stub[];
  /** Successful writes (remediation), in order. */
  readonly writes: WriteCall[];
  /** Every call answered or failed, by `service:operation`. */
  readonly calls: Map<string, number>;
  /** Replaces the fault hook (undefined: answer everything). */
  setFault(hook: FaultHook | undefined): void;
  /** Forgets aws-sdk-client-mock's call history (it keeps every call's arguments). */
  resetHistory(): void;
  restore(): void;
}

/** Mocks every read and write client class gatewatch uses, answering from `account`. */
export function answerFrom(account: FakeAccount, options: { fault?: FaultHook } = {}): ApiAnswers {
  const { region } = account;
  let hook = options.fault;
  const calls = new Map<string, number>();
  const counted: () => FaultHook = () => (call) => {
    const key = `${call.service}:${call.operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return hook?.(call);
  };
  const writes: WriteCall[] = [];
  const apigateway = mockClient(APIGatewayClient);
  const apigatewayv2 = mockClient(ApiGatewayV2Client);
  const wafv2 = mockClient(WAFV2Client);
  const logs = mockClient(CloudWatchLogsClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const sts = mockClient(STSClient);
  const cloudtrail = mockClient(CloudTrailClient);
  const iam = mockClient(IAMClient);
  const v1 = <I>(command: CommandClass, answer: (input: I) => unknown) =>
    answering(apigateway, 'apigateway', command, answer, counted);
  const v2 = <I>(command: CommandClass, answer: (input: I) => unknown) =>
    answering(apigatewayv2, 'apigatewayv2', command, answer, counted);
  const write = (stub: Stub, service: ServiceName, command: CommandClass, output: object = {}) =>
    answering(
      stub,
      service,
      command,
      (input: unknown) => {
        writes.push({ name: `${service}:${operationOf(command)}`, input });
        return { ...output, $metadata: metadata };
      },
      counted,
    );

  v1(GetRestApisCommand, () => sdkShaped({ items: account.restApis().map((entry) => entry.api) }));
  v1(GetRestApiCommand, (input: GetRestApiRequest) => sdkShaped(account.restApi(input.restApiId).api));
  v1(GetStageCommand, (input: GetStageRequest) =>
    sdkShaped(account.restStage(input.restApiId, input.stageName)),
  );
  v1(GetStagesCommand, (input: GetStagesRequest) =>
    sdkShaped({ item: account.restApi(input.restApiId).stages }),
  );
  v1(GetResourcesCommand, (input: GetRestApiRequest) =>
    sdkShaped({ items: account.restApi(input.restApiId).resources }),
  );
  v1(GetAuthorizersCommand, (input: GetRestApiRequest) =>
    sdkShaped({ items: account.restApi(input.restApiId).authorizers }),
  );
  v1(GetRequestValidatorsCommand, (input: GetRestApiRequest) =>
    sdkShaped({ items: account.restApi(input.restApiId).requestValidators }),
  );
  v1(GetDeploymentCommand, (input: GetDeploymentRequest) => {
    const deployment = account.restApi(input.restApiId).deployments[input.deploymentId ?? ''];
    if (!deployment) throw notFound('deployment');
    return sdkShaped(deployment);
  });
  v1(GetAccountCommand, () => sdkShaped(region.account ?? {}));

  v2(GetApisCommand, () => sdkShaped({ Items: account.v2Apis().map((entry) => entry.api) }));
  v2(GetApiCommand, (input: GetApiRequest) => sdkShaped(account.v2Api(input.ApiId).api));
  v2(GetV2StageCommand, (input: GetV2StageRequest) =>
    sdkShaped(account.v2Stage(input.ApiId, input.StageName)),
  );
  v2(GetV2StagesCommand, (input: GetApiRequest) => sdkShaped({ Items: account.v2Api(input.ApiId).stages }));
  v2(GetRouteCommand, (input: GetRouteRequest) => sdkShaped(account.v2Route(input.ApiId, input.RouteId)));
  v2(GetRoutesCommand, (input: GetApiRequest) => sdkShaped({ Items: account.v2Api(input.ApiId).routes }));
  v2(GetAuthorizerCommand, (input: GetAuthorizerRequest) => {
    const found = account
      .v2Api(input.ApiId)
      .authorizers.find((authorizer) => authorizer.AuthorizerId === input.AuthorizerId);
    if (!found) {
      throw new V2NotFoundException({
        message: 'Invalid Authorizer identifier specified',
        ResourceType: 'Authorizer',
        $metadata: { ...metadata, httpStatusCode: 404 },
      });
    }
    return sdkShaped(found);
  });
  v2(GetV2AuthorizersCommand, (input: GetApiRequest) =>
    sdkShaped({ Items: account.v2Api(input.ApiId).authorizers }),
  );
  v2(GetIntegrationsCommand, (input: GetApiRequest) =>
    sdkShaped({ Items: account.v2Api(input.ApiId).integrations }),
  );
  v2(GetDomainNameCommand, (input: GetDomainNameRequest) => {
    const found = region.domainNames.find((entry) => entry.domainName.DomainName === input.DomainName);
    if (!found) {
      throw new V2NotFoundException({
        message: 'The domain name resource specified in the request was not found.',
        ResourceType: 'DomainName',
        $metadata: { ...metadata, httpStatusCode: 404 },
      });
    }
    return sdkShaped(found.domainName);
  });
  v2(GetDomainNamesCommand, () => sdkShaped({ Items: region.domainNames.map((entry) => entry.domainName) }));
  v2(GetApiMappingsCommand, (input: GetApiMappingsRequest) =>
    sdkShaped({
      Items:
        region.domainNames.find((entry) => entry.domainName.DomainName === input.DomainName)?.apiMappings ??
        [],
    }),
  );

  answering(
    wafv2,
    'wafv2',
    GetWebACLCommand,
    (input: GetWebACLRequest) => {
      const found = Object.values(region.webAcls).find(
        (acl) => acl.Name === input.Name && acl.Id === input.Id,
      );
      if (!found) {
        throw new WAFNonexistentItemException({
          message: 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.',
          $metadata: { ...metadata, httpStatusCode: 400 },
        });
      }
      return sdkShaped({ WebACL: found, LockToken: '7b3c2a1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
    },
    counted,
  );
  answering(
    wafv2,
    'wafv2',
    ListResourcesForWebACLCommand,
    (input: ListResourcesForWebACLRequest) =>
      sdkShaped({ ResourceArns: account.stagesWithWebAcl(input.WebACLArn) }),
    counted,
  );
  answering(
    logs,
    'logs',
    DescribeLogGroupsCommand,
    (input: DescribeLogGroupsRequest) =>
      sdkShaped({ logGroups: account.logGroups(input.logGroupNamePrefix ?? '') }),
    counted,
  );
  answering(
    cloudwatch,
    'cloudwatch',
    GetMetricDataCommand,
    (input: GetMetricDataInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((query) => ({
        Id: query.Id,
        StatusCode: 'Complete',
        Timestamps: [input.StartTime],
        Values: [1234],
      })),
      Messages: [],
      $metadata: metadata,
    }),
    counted,
  );
  answering(
    sts,
    'sts',
    GetCallerIdentityCommand,
    () => ({
      Account: region.accountId,
      Arn: `arn:aws:sts::${region.accountId}:assumed-role/gatewatch/scan`,
      UserId: 'AROAEXAMPLEGATEWATCH:scan',
      $metadata: metadata,
    }),
    counted,
  );

  // The logging path: CloudTrail, CloudWatch Logs resource policies, IAM (aws/read/collect-logging.ts).
  const trailOf = (name: string | undefined) => {
    const found = (account.loggingPath().trails ?? []).find(
      (entry) => entry.trail.TrailARN === name || entry.trail.Name === name,
    );
    if (!found) {
      throw new TrailNotFoundException({
        message: `Unknown trail: ${name} for the user: ${region.accountId}`,
        $metadata: { ...metadata, httpStatusCode: 400 },
      });
    }
    return found;
  };
  answering(
    cloudtrail,
    'cloudtrail',
    DescribeTrailsCommand,
    () => sdkShaped({ trailList: (account.loggingPath().trails ?? []).map((entry) => entry.trail) }),
    counted,
  );
  answering(
    cloudtrail,
    'cloudtrail',
    GetTrailStatusCommand,
    (input: GetTrailStatusRequest) => sdkShaped({ IsLogging: trailOf(input.Name).status?.IsLogging ?? true }),
    counted,
  );
  answering(
    cloudtrail,
    'cloudtrail',
    GetEventSelectorsCommand,
    (input: GetEventSelectorsRequest) => {
      const entry = trailOf(input.TrailName);
      return sdkShaped({ TrailARN: entry.trail.TrailARN, ...(entry.selectors ?? {}) });
    },
    counted,
  );
  answering(
    logs,
    'logs',
    DescribeResourcePoliciesCommand,
    () => sdkShaped({ resourcePolicies: account.loggingPath().logResourcePolicies ?? [] }),
    counted,
  );
  answering(
    iam,
    'iam',
    GetRoleCommand,
    (input: GetRoleRequest) => {
      const read = account.loggingPath().cloudwatchRole;
      if (read.state !== 'found' || read.role.RoleName !== input.RoleName) {
        throw new NoSuchEntityException({
          message: `The role with name ${input.RoleName} cannot be found.`,
          $metadata: { ...metadata, httpStatusCode: 404 },
        });
      }
      return sdkShaped({
        Role: {
          Path: '/',
          RoleId: 'AROAEXAMPLEAPIGWLOGS01',
          CreateDate: new Date('2026-01-12T08:00:00Z'),
          MaxSessionDuration: 3600,
          ...read.role,
        },
      });
    },
    counted,
  );

  // Remediation: every write succeeds (the account is not changed; the next read shows the same).
  write(apigateway, 'apigateway', UpdateStageCommand);
  write(apigateway, 'apigateway', UpdateMethodCommand);
  write(apigateway, 'apigateway', CreateDeploymentCommand, {
    id: 'gw0dpl',
    createdDate: new Date('2026-11-23T09:15:12Z'),
  });
  write(apigateway, 'apigateway', UpdateRestApiCommand);
  write(apigateway, 'apigateway', UpdateAccountCommand);
  write(apigateway, 'apigateway', UpdateDomainNameCommand);
  write(apigatewayv2, 'apigatewayv2', UpdateV2StageCommand);
  write(apigatewayv2, 'apigatewayv2', UpdateRouteCommand);
  write(apigatewayv2, 'apigatewayv2', UpdateApiCommand);
  write(wafv2, 'wafv2', AssociateWebACLCommand);

  const stubs: Stub[] = [apigateway, apigatewayv2, wafv2, logs, cloudwatch, sts, cloudtrail, iam];
  return {
    stubs,
    writes,
    calls,
    setFault: (next) => {
      hook = next;
    },
    resetHistory: () => {
      for (const stub of stubs) stub.resetHistory();
    },
    restore: () => {
      for (const stub of stubs) stub.restore();
    },
  };
}

// ─── DynamoDB: the baseline table ───────────────────────────────────────────────────────

type Item = Record<string, unknown>;

/** The sort key Powertools gives the idempotency record of `data` (a string, as gatewatch's keys are) in `scope`'s partition. */
export const idempotencySortKey = (scope: string, data: string) =>
  `${scope}#${createHash('md5').update(JSON.stringify(data)).digest('base64')}`;

/** The DynamoDB SDK classes the table answers (and throws). */
export interface DynamoSdk {
  readonly documents: Pick<
    typeof import('@aws-sdk/lib-dynamodb'),
    | 'DynamoDBDocumentClient'
    | 'GetCommand'
    | 'PutCommand'
    | 'ScanCommand'
    | 'QueryCommand'
    | 'UpdateCommand'
    | 'DeleteCommand'
  >;
  readonly client: Pick<
    typeof import('@aws-sdk/client-dynamodb'),
    | 'DynamoDBClient'
    | 'GetItemCommand'
    | 'PutItemCommand'
    | 'UpdateItemCommand'
    | 'DeleteItemCommand'
    | 'ConditionalCheckFailedException'
  >;
}

const defaultDynamoSdk: DynamoSdk = {
  documents: {
    DynamoDBDocumentClient,
    GetCommand,
    PutCommand,
    ScanCommand,
    QueryCommand,
    UpdateCommand,
    DeleteCommand,
  },
  client: {
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
    DeleteItemCommand,
    ConditionalCheckFailedException,
  },
};

/**
 * The baseline table (pk, sk) behind the DocumentClient and behind the low-level client (which
 * Powertools' idempotency persistence sends through: AttributeValues, ExpressionAttributeNames,
 * ReturnValuesOnConditionCheckFailure), with the condition and key expressions gatewatch's
 * stores and Powertools use; any other expression fails the test.
 */
export class InMemoryTable {
  readonly items = new Map<string, Item>();
  /** The DocumentClient's calls. */
  readonly stub: Stub;
  /** The low-level client's calls (Powertools' idempotency records). */
  readonly lowLevel: Stub;
  private hook: FaultHook | undefined;

  /** `sdk`: the SDK modules of the code under test, when it was loaded in a registry of its own (jest.isolateModules). */
  constructor(private readonly sdk: DynamoSdk = defaultDynamoSdk) {
    const { documents, client } = sdk;
    this.stub = mockClient(documents.DynamoDBDocumentClient);
    const fault = () => this.hook;
    const stub = this.stub;
    answering(stub, 'dynamodb', documents.GetCommand, (input: GetCommandInput) => this.get(input), fault);
    answering(stub, 'dynamodb', documents.PutCommand, (input: PutCommandInput) => this.put(input), fault);
    answering(stub, 'dynamodb', documents.ScanCommand, (input: ScanCommandInput) => this.scan(input), fault);
    answering(
      stub,
      'dynamodb',
      documents.QueryCommand,
      (input: QueryCommandInput) => this.query(input),
      fault,
    );
    answering(
      stub,
      'dynamodb',
      documents.UpdateCommand,
      (input: UpdateCommandInput) => this.update(input),
      fault,
    );
    answering(
      stub,
      'dynamodb',
      documents.DeleteCommand,
      (input: DeleteCommandInput) => this.delete(input),
      fault,
    );
    this.lowLevel = mockClient(client.DynamoDBClient);
    const low = this.lowLevel;
    answering(
      low,
      'dynamodb',
      client.GetItemCommand,
      (input: GetItemCommandInput) => this.getItem(input),
      fault,
    );
    answering(
      low,
      'dynamodb',
      client.PutItemCommand,
      (input: PutItemCommandInput) => this.putItem(input),
      fault,
    );
    answering(
      low,
      'dynamodb',
      client.UpdateItemCommand,
      (input: UpdateItemCommandInput) => this.updateItem(input),
      fault,
    );
    answering(
      low,
      'dynamodb',
      client.DeleteItemCommand,
      (input: DeleteItemCommandInput) => this.deleteItem(input),
      fault,
    );
  }

  setFault(hook: FaultHook | undefined): void {
    this.hook = hook;
  }

  resetHistory(): void {
    this.stub.resetHistory();
    this.lowLevel.resetHistory();
  }

  restore(): void {
    this.stub.restore();
    this.lowLevel.restore();
  }

  /**
   * The Powertools idempotency record of `data` in `scope`'s partition: its sort key is the
   * scope, `#`, and the base64 MD5 of the JSON of the data hashed (Powertools' key).
   */
  record(scope: string, data: string): Item | undefined {
    return this.items.get(`idempotency#${scope}|${idempotencySortKey(scope, data)}`);
  }

  /** Whether that record is completed (a claim, live or left by a delivery that failed, is not). */
  completed(scope: string, data: string): boolean {
    return this.record(scope, data)?.status === 'COMPLETED';
  }

  /** DynamoDB's answer to a failed condition; with ReturnValuesOnConditionCheckFailure ALL_OLD it carries the item. */
  private conditionFailed(item?: Item) {
    return new this.sdk.client.ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: { ...metadata, httpStatusCode: 400 },
      ...(item ? { Item: marshall(item) } : {}),
    });
  }

  private key(key: Item | undefined): string {
    return `${key?.pk}|${key?.sk}`;
  }

  private get(input: GetCommandInput) {
    const found = this.items.get(this.key(input.Key));
    return { ...(found ? { Item: structuredClone(found) } : {}), $metadata: metadata };
  }

  private put(input: PutCommandInput) {
    const item = input.Item ?? {};
    const current = this.items.get(this.key(item));
    if (!conditionHolds(input.ConditionExpression, current, input.ExpressionAttributeValues)) {
      throw this.conditionFailed();
    }
    this.items.set(this.key(item), structuredClone(item));
    return { $metadata: metadata };
  }

  private update(input: UpdateCommandInput) {
    const key = this.key(input.Key);
    const current = this.items.get(key);
    if (!conditionHolds(input.ConditionExpression, current, input.ExpressionAttributeValues)) {
      throw this.conditionFailed();
    }
    const next = applyUpdate(
      input.UpdateExpression,
      { ...input.Key, ...current },
      input.ExpressionAttributeValues,
    );
    this.items.set(key, next);
    return { Attributes: structuredClone(next), $metadata: metadata };
  }

  private delete(input: DeleteCommandInput) {
    const key = this.key(input.Key);
    if (!conditionHolds(input.ConditionExpression, this.items.get(key), input.ExpressionAttributeValues)) {
      throw this.conditionFailed();
    }
    this.items.delete(key);
    return { $metadata: metadata };
  }

  private getItem(input: GetItemCommandInput) {
    const found = this.items.get(this.key(unmarshalled(input.Key)));
    return { ...(found ? { Item: marshall(found) } : {}), $metadata: metadata };
  }

  private putItem(input: PutItemCommandInput) {
    const item = unmarshalled(input.Item);
    const current = this.items.get(this.key(item));
    const condition = withNames(input.ConditionExpression, input.ExpressionAttributeNames);
    if (!conditionHolds(condition, current, unmarshalled(input.ExpressionAttributeValues))) {
      throw this.conditionFailed(
        input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? current : undefined,
      );
    }
    this.items.set(this.key(item), item);
    return { $metadata: metadata };
  }

  private updateItem(input: UpdateItemCommandInput) {
    const key = unmarshalled(input.Key);
    const values = unmarshalled(input.ExpressionAttributeValues);
    const current = this.items.get(this.key(key));
    const condition = withNames(input.ConditionExpression, input.ExpressionAttributeNames);
    if (!conditionHolds(condition, current, values)) throw this.conditionFailed();
    const update = withNames(input.UpdateExpression, input.ExpressionAttributeNames);
    const next = applyUpdate(update, { ...key, ...current }, values);
    this.items.set(this.key(key), next);
    return { $metadata: metadata };
  }

  private deleteItem(input: DeleteItemCommandInput) {
    const key = this.key(unmarshalled(input.Key));
    const condition = withNames(input.ConditionExpression, input.ExpressionAttributeNames);
    if (!conditionHolds(condition, this.items.get(key), unmarshalled(input.ExpressionAttributeValues))) {
      throw this.conditionFailed();
    }
    this.items.delete(key);
    return { $metadata: metadata };
  }

  private scan(input: ScanCommandInput) {
    if (input.FilterExpression !== 'sk = :state') {
      throw new Error(`InMemoryTable: unknown filter ${input.FilterExpression}`);
    }
    const sk = input.ExpressionAttributeValues?.[':state'];
    return {
      Items: [...this.items.values()].filter((item) => item.sk === sk).map((item) => structuredClone(item)),
      Count: 0,
      ScannedCount: this.items.size,
      $metadata: metadata,
    };
  }

  private query(input: QueryCommandInput) {
    if (input.KeyConditionExpression !== 'pk = :pk AND sk >= :since') {
      throw new Error(`InMemoryTable: unknown key condition ${input.KeyConditionExpression}`);
    }
    const values = input.ExpressionAttributeValues ?? {};
    const matching = [...this.items.values()].filter(
      (item) => item.pk === values[':pk'] && String(item.sk) >= String(values[':since']),
    );
    return input.Select === 'COUNT'
      ? { Count: matching.length, ScannedCount: matching.length, $metadata: metadata }
      : { Items: matching, Count: matching.length, ScannedCount: matching.length, $metadata: metadata };
  }
}

const unmarshalled = (value: Record<string, AttributeValue> | undefined): Item =>
  value ? unmarshall(value) : {};

// ─── SQS, SNS, Secrets Manager, AWS Config ──────────────────────────────────────────────

export interface Message {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
}

/** Queues by URL: what was sent, in order. */
export class InMemoryQueues {
  readonly sent: Message[] = [];
  readonly stub: Stub;
  private hook: FaultHook | undefined;

  constructor() {
    this.stub = mockClient(SQSClient);
    answering(
      this.stub,
      'sqs',
      SendMessageCommand,
      (input: SendMessageRequest) => {
        const messageId = `4f1e5d2c-0000-4000-8000-${this.sent.length.toString().padStart(12, '0')}`;
        this.sent.push({ queueUrl: input.QueueUrl ?? '', messageId, body: input.MessageBody ?? '' });
        return {
          MessageId: messageId,
          MD5OfMessageBody: 'd41d8cd98f00b204e9800998ecf8427e',
          $metadata: metadata,
        };
      },
      () => this.hook,
    );
  }

  setFault(hook: FaultHook | undefined): void {
    this.hook = hook;
  }

  on(queueUrl: string): Message[] {
    return this.sent.filter((message) => message.queueUrl === queueUrl);
  }
}

/** SNS topics: what was published, in order. */
export class InMemoryTopics {
  readonly published: PublishInput[] = [];
  readonly stub: Stub;
  private hook: FaultHook | undefined;

  constructor() {
    this.stub = mockClient(SNSClient);
    answering(
      this.stub,
      'sns',
      PublishCommand,
      (input: PublishInput) => {
        this.published.push(input);
        return {
          MessageId: `9a8b7c6d-0000-4000-8000-${this.published.length.toString().padStart(12, '0')}`,
          $metadata: metadata,
        };
      },
      () => this.hook,
    );
  }

  setFault(hook: FaultHook | undefined): void {
    this.hook = hook;
  }
}

/** One secret, as GetSecretValue returns it. */
export function answerSecret(secretArn: string, value: () => string, fault?: () => FaultHook | undefined) {
  const stub = mockClient(SecretsManagerClient);
  answering(
    stub,
    'secretsmanager',
    GetSecretValueCommand,
    () => ({
      ARN: secretArn,
      Name: secretArn.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, ''),
      VersionId: 'a1b2c3d4-0000-4000-8000-5ec7e7000001',
      SecretString: value(),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: new Date('2026-11-01T00:00:00Z'),
      $metadata: metadata,
    }),
    fault ?? (() => undefined),
  );
  return stub;
}

/**
 * AWS Config: PutEvaluations (a scripted number of FailedEvaluations first), the history (empty),
 * the last compliance details (none) and re-evaluation requests.
 */
export class InMemoryConfig {
  readonly delivered: PutEvaluationsRequest[] = [];
  readonly reevaluations: string[][] = [];
  readonly stub: Stub;
  /** PutEvaluations calls still to answer with every evaluation failed. */
  refuseNext = 0;
  private hook: FaultHook | undefined;

  constructor() {
    this.stub = mockClient(ConfigServiceClient);
    const fault = () => this.hook;
    answering(
      this.stub,
      'config',
      PutEvaluationsCommand,
      (input: PutEvaluationsRequest) => {
        this.delivered.push(input);
        if (this.refuseNext > 0) {
          this.refuseNext -= 1;
          return { FailedEvaluations: input.Evaluations ?? [], $metadata: metadata };
        }
        return { FailedEvaluations: [], $metadata: metadata };
      },
      fault,
    );
    answering(
      this.stub,
      'config',
      GetResourceConfigHistoryCommand,
      () => ({ configurationItems: [], $metadata: metadata }),
      fault,
    );
    answering(
      this.stub,
      'config',
      GetComplianceDetailsByConfigRuleCommand,
      () => ({ EvaluationResults: [], $metadata: metadata }),
      fault,
    );
    answering(
      this.stub,
      'config',
      StartConfigRulesEvaluationCommand,
      (input: { ConfigRuleNames?: string[] }) => {
        this.reevaluations.push(input.ConfigRuleNames ?? []);
        return { $metadata: metadata };
      },
      fault,
    );
  }

  setFault(hook: FaultHook | undefined): void {
    this.hook = hook;
  }
}
