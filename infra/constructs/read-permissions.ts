// What gatewatch may read of an account, declared once: the drift, sweep and AWS Config
// evaluator functions (and the remediator, before it acts) judge resources they read afresh, and
// change nothing. One entry of READ_GRANTS is one statement; each wildcard it holds is
// acknowledged to cdk-nag by its exact finding, with the entry's reason. Actions AWS gives no
// resource-level permissions are granted on `*` in a policy of their own, where the `Resource::*`
// acknowledgement covers that policy alone: a later `*` anywhere else still fails synthesis.
import { Fn, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { deploymentSettings } from '../settings';

interface ReadGrant {
  readonly actions: readonly string[];
  /**
   * ARN patterns in `Fn::Sub` syntax (the deploying stack fills in partition, region and
   * account), or `['*']` for actions without resource-level permissions.
   */
  readonly resources: readonly string[];
  /** Why the wildcards are needed, for cdk-nag AwsSolutions-IAM5. */
  readonly reason: string;
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
    reason:
      'DescribeTrails lists the trails that log this region, shadow and organization trails included; it names no trail to scope it to.',
  },
  {
    actions: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
    resources: [`arn:\${AWS::Partition}:cloudtrail:*:*:trail/*`],
    reason:
      'Reads whether each trail that logs a watched region is logging and which events it selects: a multi-region trail ' +
      'lives in another region and an organization trail in the management account, both known only at run time.',
  },
  {
    actions: ['logs:DescribeResourcePolicies'],
    resources: [`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:*`],
    reason:
      "Reads the account's CloudWatch Logs resource policies of the region, which HTTP API access log delivery needs; they are account-level, not per log group.",
  },
  {
    actions: ['iam:GetRole'],
    resources: [`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/*`],
    reason:
      'Reads the CloudWatch Logs role the API Gateway account settings name (any role of the account, known only at run time) to check it exists and trusts API Gateway.',
  },
];

/** Every read, one statement each. Add a read here (resources `['*']` when the action has no resource-level permissions). */
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
    reason:
      'Reads (apigateway:GET only) of every REST API, HTTP/WebSocket API and custom domain of this region, with their ' +
      'stages, methods, authorizers, deployments, routes and mappings: any of them can be changed, so any of them is judged. ' +
      'The wildcard follows the resource path, not the action.',
  },
  {
    actions: ['wafv2:GetWebACL', 'wafv2:ListResourcesForWebACL'],
    resources: [`arn:\${AWS::Partition}:wafv2:\${AWS::Region}:\${AWS::AccountId}:regional/webacl/*/*`],
    reason:
      'Reads the rules and associations of the regional web ACL attached to a stage, which is known only at run time.',
  },
  {
    // The Service Authorization Reference lists no resource type for DescribeLogGroups; AWS's own
    // HTTP API logging guide grants it on the account's log groups, which is what is read.
    actions: ['logs:DescribeLogGroups'],
    resources: [`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*`],
    reason:
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

/**
 * Lets `role` read what gatewatch judges, in `regions` (by default the deployment's: its home
 * region and those forwarded to it). Scoped reads go into the role's policy, each wildcard
 * acknowledged by its exact finding; reads without resource-level permissions get a policy each.
 */
export function grantResourceReads(
  role: iam.IRole,
  regions: readonly string[] = deploymentRegions(role),
): void {
  for (const grant of READ_GRANTS) {
    if (grant.resources.includes('*')) {
      grantAccountWide(role, policyIdOf(grant.actions), { actions: grant.actions, reason: grant.reason });
      continue;
    }
    const resources = grant.resources.flatMap((arn) => inRegions(arn, regions));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: resources.map((arn) => Fn.sub(arn)),
      }),
    );
    acknowledgeWildcards(role, resources, grant.reason);
  }
}

/**
 * Grants `actions`, which AWS gives no resource-level permissions, on `*` in a policy of their
 * own attached to `role`, and acknowledges cdk-nag's `Resource::*` finding on that policy only.
 */
export function grantAccountWide(
  role: iam.IRole,
  id: string,
  grant: {
    readonly actions: readonly string[];
    readonly reason: string;
    readonly conditions?: iam.Conditions;
  },
): iam.Policy {
  const policy = new iam.Policy(role, id, {
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        actions: [...grant.actions],
        resources: ['*'],
        ...(grant.conditions ? { conditions: grant.conditions } : {}),
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${grant.actions.join(', ')}: ${grant.reason}`,
  });
  return policy;
}

/** cloudwatch:GetMetricData (invocation counts for api-unused) supports no resource-level permissions. */
export function grantMetricReads(role: iam.IRole): void {
  grantAccountWide(role, 'MetricReads', {
    actions: ['cloudwatch:GetMetricData'],
    reason: 'supports no resource-level permissions; it reads the invocation counts api-unused judges.',
  });
}

/** Delivering evaluations and reading an oversized configuration item: neither supports resource-level permissions. */
export function grantConfigEvaluations(role: iam.IRole): void {
  grantAccountWide(role, 'ConfigEvaluations', {
    actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
    reason:
      'support no resource-level permissions; the evaluator delivers its evaluations and reads the configuration history of an oversized item.',
  });
}

/** Acknowledges one cdk-nag finding per wildcard resource pattern, on `scope`. */
export function acknowledgeWildcards(scope: IConstruct, resources: readonly string[], reason: string): void {
  for (const arn of resources.filter((resource) => resource.includes('*') && resource !== '*')) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${nagFinding(arn)}]`, reason });
  }
}

/** `logs:DescribeResourcePolicies` → `LogsDescribeResourcePolicies`: stable as reads are added. */
const policyIdOf = (actions: readonly string[]) =>
  (actions[0] ?? 'Reads')
    .split(':')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** How cdk-nag names a resource it finds in an `Fn::Sub`: `${AWS::Region}` becomes `<AWS::Region>`. */
export function nagFinding(arn: string): string {
  return arn.replace(/\$\{/g, '<').replace(/\}/g, '>');
}
