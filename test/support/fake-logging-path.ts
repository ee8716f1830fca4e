// The logging-path calls of test/support/fake-aws-endpoint.ts, in their wire protocols:
//   CloudTrail DescribeTrails, GetTrailStatus, GetEventSelectors   awsJson1_1 (x-amz-target CloudTrail_20131101.*)
//   CloudWatch Logs DescribeResourcePolicies                       awsJson1_1 (x-amz-target Logs_20140328.*)
//   IAM GetRole                                                    awsQuery   (Action=GetRole)   → XML
// An estate that describes none gets a working logging path: one multi-region trail logging every
// management event, the log delivery resource policy, and the account's role trusting API Gateway.

export interface FakeTrail {
  name: string;
  homeRegion?: string;
  isMultiRegionTrail?: boolean;
  isOrganizationTrail?: boolean;
  /** Defaults to true. */
  isLogging?: boolean;
  /** GetEventSelectors' body beside TrailARN; defaults to every management event. */
  selectors?: { EventSelectors?: unknown[]; AdvancedEventSelectors?: unknown[] };
}

export interface FakeRole {
  roleName: string;
  /** The trust policy, as JSON; the fake URL-encodes it as IAM does. */
  trustPolicy: unknown;
}

export interface FakeLoggingPath {
  trails?: FakeTrail[];
  /** DescribeResourcePolicies' items: `policyName` and `policyDocument` (a JSON string). */
  logResourcePolicies?: { policyName: string; policyDocument: string }[];
  /** IAM roles GetRole finds; by default the role the account settings name. */
  roles?: FakeRole[];
}

export type LoggingPathOperation =
  | 'DescribeTrails'
  | 'GetTrailStatus'
  | 'GetEventSelectors'
  | 'DescribeResourcePolicies'
  | 'GetRole';

export class FakeAwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const apiGatewayTrust = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

function trailsOf(path: FakeLoggingPath, accountId: string, region: string) {
  const trails = path.trails ?? [
    { name: 'management-events', homeRegion: 'us-east-1', isMultiRegionTrail: true },
  ];
  return trails.map((trail) => {
    const home = trail.homeRegion ?? region;
    return { ...trail, arn: `arn:aws:cloudtrail:${home}:${accountId}:trail/${trail.name}`, home };
  });
}

function trailNamed(path: FakeLoggingPath, accountId: string, region: string, name: unknown) {
  const found = trailsOf(path, accountId, region).find((trail) => trail.arn === name || trail.name === name);
  if (!found)
    throw new FakeAwsError(
      400,
      'TrailNotFoundException',
      `Unknown trail: ${String(name)} for the user: ${accountId}`,
    );
  return found;
}

/** An awsJson1_1 logging-path call, or undefined when the target is not one. */
export function loggingPathJson(
  path: FakeLoggingPath,
  where: { accountId: string; region: string },
  target: string,
  input: Record<string, unknown>,
): { operation: LoggingPathOperation; body: unknown } | undefined {
  const { accountId, region } = where;
  switch (target) {
    case 'CloudTrail_20131101.DescribeTrails':
      return {
        operation: 'DescribeTrails',
        body: {
          trailList: trailsOf(path, accountId, region).map((trail) => ({
            Name: trail.name,
            S3BucketName: `cloudtrail-${accountId}`,
            IncludeGlobalServiceEvents: true,
            IsMultiRegionTrail: trail.isMultiRegionTrail ?? false,
            HomeRegion: trail.home,
            TrailARN: trail.arn,
            LogFileValidationEnabled: true,
            HasCustomEventSelectors: trail.selectors !== undefined,
            HasInsightSelectors: false,
            IsOrganizationTrail: trail.isOrganizationTrail ?? false,
          })),
        },
      };
    case 'CloudTrail_20131101.GetTrailStatus': {
      const trail = trailNamed(path, accountId, region, input.Name);
      return {
        operation: 'GetTrailStatus',
        body: {
          IsLogging: trail.isLogging ?? true,
          LatestDeliveryTime: 1_763_890_000,
          StartLoggingTime: 1_700_000_000,
        },
      };
    }
    case 'CloudTrail_20131101.GetEventSelectors': {
      const trail = trailNamed(path, accountId, region, input.TrailName);
      return {
        operation: 'GetEventSelectors',
        body: {
          TrailARN: trail.arn,
          ...(trail.selectors ?? {
            EventSelectors: [
              {
                ReadWriteType: 'All',
                IncludeManagementEvents: true,
                DataResources: [],
                ExcludeManagementEventSources: [],
              },
            ],
          }),
        },
      };
    }
    case 'Logs_20140328.DescribeResourcePolicies':
      return {
        operation: 'DescribeResourcePolicies',
        body: {
          resourcePolicies: (path.logResourcePolicies ?? [defaultDeliveryPolicy(accountId, region)]).map(
            (policy) => ({
              ...policy,
              lastUpdatedTime: 1_717_400_000_000,
            }),
          ),
        },
      };
    default:
      return undefined;
  }
}

const defaultDeliveryPolicy = (accountId: string, region: string) => ({
  policyName: 'AWSLogDeliveryWrite20150319',
  policyDocument: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${region}:${accountId}:log-group:*`,
      },
    ],
  }),
});

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** IAM GetRole's XML answer; NoSuchEntity for a role the estate does not hold. */
export function getRoleXml(
  path: FakeLoggingPath,
  accountId: string,
  namedRoleArn: string | undefined,
  roleName: string | null,
): string {
  const roles =
    path.roles ??
    (namedRoleArn ? [{ roleName: namedRoleArn.replace(/^.*\//, ''), trustPolicy: apiGatewayTrust }] : []);
  const role = roles.find((candidate) => candidate.roleName === roleName);
  if (!role) throw new FakeAwsError(404, 'NoSuchEntity', `The role with name ${roleName} cannot be found.`);
  return (
    '<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role>' +
    '<Path>/</Path>' +
    `<AssumeRolePolicyDocument>${xml(encodeURIComponent(JSON.stringify(role.trustPolicy)))}</AssumeRolePolicyDocument>` +
    '<MaxSessionDuration>3600</MaxSessionDuration>' +
    '<RoleId>AROAFAKEAPIGATEWAYLOGS</RoleId>' +
    `<RoleName>${xml(role.roleName)}</RoleName>` +
    `<Arn>arn:aws:iam::${accountId}:role/${xml(role.roleName)}</Arn>` +
    '<CreateDate>2024-01-15T09:30:00Z</CreateDate>' +
    '</Role></GetRoleResult><ResponseMetadata><RequestId>REQUEST_ID</RequestId></ResponseMetadata></GetRoleResponse>'
  );
}
