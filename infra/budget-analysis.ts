// The worst-case API Gateway request rate of a deployment, per account and region, read from its
// synthesized template: which functions may call API Gateway, how many of each may run at once
// (event source MaximumConcurrency, reserved concurrency, schedules; a service that invokes a
// function asynchronously bounds nothing), how fast each environment paces itself, and whether
// every one of them takes its requests from the account's call budget. What the test
// (test/infra/call-budget.test.ts) holds below the share and what `npm run bench` prints.
import { accountBudget, budgetEnvironment, budgetLease } from '../aws/call-budget';
import { defaultRates } from '../aws/clients';
import type { LeaseOptions, Rate } from '../aws/rate-limit';

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
interface Statement {
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}
export interface TemplateJson {
  readonly Resources: Record<string, Resource>;
}

export interface Pacing {
  /** Each environment's own bucket for API Gateway (aws/clients.ts defaultRates). */
  readonly perEnvironment: Rate;
  /** The account's shared bucket (aws/call-budget.ts accountBudget). */
  readonly budget: Rate;
  readonly lease: LeaseOptions;
  /** The environment variable naming the budget's table. */
  readonly tableVariable: string;
  readonly accountVariable: string;
}

export interface FunctionBound {
  readonly logicalId: string;
  readonly description: string;
  /** Environments at once; Infinity when nothing bounds them. */
  readonly concurrency: number;
  /** What bounds (or fails to bound) them, in words. */
  readonly invokedBy: readonly string[];
  /** Takes every request from the account's call budget (environment and permission). */
  readonly inBudget: boolean;
}

export interface BudgetReport {
  /** The functions that may call API Gateway. */
  readonly functions: readonly FunctionBound[];
  /** Requests per second with each environment pacing only itself: Σ concurrency × rate. */
  readonly perEnvironmentOnly: number;
  /** The worst sustained rate per account and region. */
  readonly sustained: number;
  /** The most requests any one second may see per account and region. */
  readonly worstSecond: number;
}

const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `{Ref: id}` or `{Fn::GetAtt: [id, 'Arn']}` (optionally as a qualified ARN): the logical id it names. */
function named(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/**
 * Every statement a role holds: inline, in policies attached to it, and in managed policies (CDK
 * moves statements there once a role's inline policy would grow too large).
 */
export function statementsOf(template: TemplateJson, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  const inline = asList(
    role?.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[],
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  const managedByRole = new Set(asList(role?.Properties?.ManagedPolicyArns as unknown[]).map(named));
  const attached = Object.entries(template.Resources)
    .filter(
      ([id, resource]) =>
        (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
        (asList(resource.Properties?.Roles as unknown[]).some((ref) => named(ref) === roleId) ||
          managedByRole.has(id)),
    )
    .flatMap(([, policy]) =>
      asList((policy.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined)?.Statement),
    );
  return [...inline, ...attached];
}

/** How many environments of function `id` may run at once, and why. */
function concurrencyOf(template: TemplateJson, id: string): { concurrency: number; invokedBy: string[] } {
  let total = 0;
  const invokedBy: string[] = [];
  for (const [resourceId, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::EventSourceMapping' && named(props.FunctionName) === id) {
      const maximum = (props.ScalingConfig as { MaximumConcurrency?: number } | undefined)
        ?.MaximumConcurrency;
      total += maximum ?? Number.POSITIVE_INFINITY;
      invokedBy.push(`${resourceId}: SQS MaximumConcurrency ${maximum ?? 'unset (unbounded)'}`);
    } else if (resource.Type === 'AWS::Lambda::Permission' && named(props.FunctionName) === id) {
      // A service invoking the function (AWS Config's rules): as often as it pleases.
      total = Number.POSITIVE_INFINITY;
      invokedBy.push(`${resourceId}: ${String(props.Principal)} invokes asynchronously (unbounded)`);
    } else if (
      resource.Type === 'AWS::Events::Rule' &&
      asList(props.Targets as { Arn?: unknown }[]).some((target) => named(target.Arn) === id)
    ) {
      total = Number.POSITIVE_INFINITY;
      invokedBy.push(`${resourceId}: EventBridge invokes asynchronously (unbounded)`);
    } else if (
      resource.Type === 'AWS::Scheduler::Schedule' &&
      named((props.Target as { Arn?: unknown } | undefined)?.Arn) === id
    ) {
      // One firing every `rate(…)` (hours apart), each retried only after it failed.
      total += 1;
      invokedBy.push(`${resourceId}: schedule ${String(props.ScheduleExpression)} (1 at a time)`);
    }
  }
  const reserved = template.Resources[id]?.Properties?.ReservedConcurrentExecutions;
  if (typeof reserved === 'number') {
    total = Math.min(total, reserved);
    invokedBy.push(`reserved concurrency ${reserved}`);
  }
  return { concurrency: total, invokedBy };
}

export function budgetReport(template: TemplateJson, pacing: Pacing): BudgetReport {
  const tables = new Set(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
      .map(([id]) => id),
  );
  const functions: FunctionBound[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const roleId = named(resource.Properties?.Role);
    const statements = roleId ? statementsOf(template, roleId) : [];
    const actions = statements.flatMap((statement) => asList(statement.Action));
    if (!actions.some((action) => action.startsWith('apigateway:'))) continue;
    const variables =
      (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
      {};
    const table = named(variables[pacing.tableVariable]);
    const mayUpdate = statements.some(
      (statement) =>
        asList(statement.Action).includes('dynamodb:UpdateItem') &&
        asList(statement.Resource).some((arn) => named(arn) === table),
    );
    const inBudget =
      table !== undefined &&
      tables.has(table) &&
      named(variables[pacing.accountVariable]) === 'AWS::AccountId' &&
      mayUpdate;
    functions.push({
      logicalId: id,
      description: String(resource.Properties?.Description ?? ''),
      ...concurrencyOf(template, id),
      inBudget,
    });
  }
  const environments = functions.reduce((sum, fn) => sum + fn.concurrency, 0);
  const perEnvironmentOnly = environments * pacing.perEnvironment.perSecond;
  const localSecond = environments * (pacing.perEnvironment.burst + pacing.perEnvironment.perSecond);
  if (!functions.every((fn) => fn.inBudget)) {
    return { functions, perEnvironmentOnly, sustained: perEnvironmentOnly, worstSecond: localSecond };
  }
  // A leased token is used within leaseMs of its grant: any second sees the grants of 1 + leaseMs/1000 seconds.
  const budgetSecond = pacing.budget.burst + pacing.budget.perSecond * (1 + pacing.lease.leaseMs / 1000);
  return {
    functions,
    perEnvironmentOnly,
    sustained: Math.min(perEnvironmentOnly, pacing.budget.perSecond),
    worstSecond: Math.min(localSecond, budgetSecond),
  };
}

/** API Gateway's control-plane quota, per account and region (AWS-NOTES: 10 requests/s, burst 40). */
export const API_GATEWAY_QUOTA: Rate = { perSecond: 10, burst: 40 };

/** The pacing the deployed functions bundle. */
export const deployedPacing: Pacing = {
  perEnvironment: defaultRates.apigateway,
  budget: accountBudget.apigateway,
  lease: budgetLease.apigateway,
  tableVariable: budgetEnvironment.table,
  accountVariable: budgetEnvironment.account,
};

/** Whether a report stays within gatewatch's share: sustained at most the budget's rate, no second past the quota's burst. */
export const withinShare = (report: BudgetReport, pacing: Pacing = deployedPacing): boolean =>
  report.sustained <= pacing.budget.perSecond &&
  pacing.budget.perSecond <= API_GATEWAY_QUOTA.perSecond &&
  report.worstSecond <= API_GATEWAY_QUOTA.burst;
