// What gatewatch may read of an account, declared once: the drift function (and, next, the
// AWS Config evaluator) judge resources they read afresh, and change nothing. Each grant
// carries the reason cdk-nag's wildcard finding is acknowledged, so a new wildcard cannot
// slip in without one.
import { Fn, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { deploymentSettings } from '../settings';

interface ReadGrant {
  readonly actions: readonly string[];
  /** ARN patterns in `Fn::Sub` syntax: the deploying stack fills in partition, region and account. */
  readonly resources: readonly string[];
  /** Why each resource wildcard is needed, for cdk-nag AwsSolutions-IAM5. */
  readonly wildcardReason: string;
}

const apiGateway = (path: string) => `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::${path}`;

// ─── The logging path (issue 12: tamper-evident) ────────────────────────────────────────
// Kept apart from the API Gateway reads: the trails that log a region, the CloudWatch Logs
// resource policies HTTP API access logs need, and the CloudWatch Logs role API Gateway assumes.
const LOGGING_PATH_READ_GRANTS: readonly ReadGrant[] = [
  {
    // DescribeTrails is not known to take a trail resource: it lists the trails of the region.
    actions: ['cloudtrail:DescribeTrails'],
    resources: ['*'],
    wildcardReason:
      'DescribeTrails lists the trails that log this region, shadow and organization trails included; it names no trail to scope it to.',
  },
  {
    actions: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
    resources: [`arn:\${AWS::Partition}:cloudtrail:*:*:trail/*`],
    wildcardReason:
      'Reads whether each trail that logs a watched region is logging and which events it selects: a multi-region trail ' +
      'lives in another region and an organization trail in the management account, both known only at run time.',
  },
  {
    actions: ['logs:DescribeResourcePolicies'],
    resources: [`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:*`],
    wildcardReason:
      "Reads the account's CloudWatch Logs resource policies of the region, which HTTP API access log delivery needs; they are account-level, not per log group.",
  },
  {
    actions: ['iam:GetRole'],
    resources: [`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/*`],
    wildcardReason:
      'Reads the CloudWatch Logs role the API Gateway account settings name (any role of the account, known only at run time) to check it exists and trusts API Gateway.',
  },
];

const READ_GRANTS: readonly ReadGrant[] = [
  {
    // apigateway:GET is API Gateway's only read action; the resource path says what is read.
    actions: ['apigateway:GET'],
    resources: [
      apiGateway('/restapis*'),
      apiGateway('/apis*'),
      apiGateway('/domainnames*'),
      apiGateway('/account'),
    ],
    wildcardReason:
      'Reads (apigateway:GET only) of every REST API, HTTP/WebSocket API and custom domain of this region, with their ' +
      'stages, methods, authorizers, deployments, routes and mappings: any of them can be changed, so any of them is judged. ' +
      'The wildcard follows the resource path, not the action.',
  },
  {
    actions: ['wafv2:GetWebACL', 'wafv2:ListResourcesForWebACL'],
    resources: [`arn:\${AWS::Partition}:wafv2:\${AWS::Region}:\${AWS::AccountId}:regional/webacl/*/*`],
    wildcardReason:
      'Reads the rules and associations of the regional web ACL attached to a stage, which is known only at run time.',
  },
  {
    actions: ['logs:DescribeLogGroups'],
    resources: [`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*`],
    wildcardReason:
      'Checks that the log groups stages write access logs to still exist; DescribeLogGroups lists log groups of the account and region.',
  },
  ...LOGGING_PATH_READ_GRANTS,
];

/**
 * An ARN pattern in each of `regions` (the deployment's home region and the regions forwarded to
 * it), or in the deploying stack's region when none are named.
 */
export function inRegions(pattern: string, regions: readonly string[]): string[] {
  if (regions.length === 0 || !pattern.includes(REGION_PLACEHOLDER)) return [pattern];
  return regions.map((region) => pattern.split(REGION_PLACEHOLDER).join(region));
}

/** `Fn::Sub`'s placeholder for the deploying stack's region. */
const REGION_PLACEHOLDER = `\${AWS::Region}`;

/** The regions a stack's functions read and change: the settings' `regions`, else the stack's own. */
export const deploymentRegions = (scope: IConstruct): readonly string[] =>
  deploymentSettings(scope).settings.regions;

/** The read-only statements, one per grant, in `regions` (the stack's own region when empty). */
export function readStatements(regions: readonly string[] = []): iam.PolicyStatement[] {
  return READ_GRANTS.map(
    (grant) =>
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: grant.resources.flatMap((arn) => inRegions(arn, regions)).map((arn) => Fn.sub(arn)),
      }),
  );
}

/**
 * Lets `role` read what gatewatch judges, in `regions` (by default the deployment's: its home
 * region and those forwarded to it), and acknowledges cdk-nag's wildcard finding for each of
 * exactly those resources on that role (cdk-nag 3 takes one acknowledgement per finding).
 */
export function grantResourceReads(
  role: iam.IRole,
  regions: readonly string[] = deploymentRegions(role),
): void {
  for (const statement of readStatements(regions)) role.addToPrincipalPolicy(statement);
  acknowledgeReads(role, regions);
}

/** The acknowledgements for the wildcards of the reads, on whatever holds the statements. */
export function acknowledgeReads(scope: IConstruct, regions: readonly string[] = []): void {
  for (const grant of READ_GRANTS) {
    for (const arn of grant.resources
      .filter((resource) => resource.includes('*'))
      .flatMap((resource) => inRegions(resource, regions))) {
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFinding(arn)}]`,
        reason: grant.wildcardReason,
      });
    }
  }
}

/** How cdk-nag names a resource it finds in an `Fn::Sub`: `${AWS::Region}` becomes `<AWS::Region>`. */
export function nagFinding(arn: string): string {
  return arn.replace(/\$\{/g, '<').replace(/\}/g, '>');
}
