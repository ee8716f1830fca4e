// What every evaluation of one invocation shares: the dependencies, the rule being run, and how
// a finding or a failed read becomes an evaluation.
import type { ConfigApi } from '../../aws/config/api';
import { ACCOUNT_RESOURCE_TYPE } from '../../aws/config/items';
import type { CollectionError } from '../../aws/read/schema';
import type { Logger } from '../../observe/log';
import { type Metrics, metricNames } from '../../observe/metrics';
import type { Finding } from '../../rules/core/judge';
import { annotation, type ComplianceType, type ConfigEvaluation, complianceOf } from './evaluations';
import type { ResourceReads } from './reads';

export interface EvaluatorDependencies {
  readonly reads: ResourceReads;
  readonly config: ConfigApi;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The region periodic runs evaluate when the rule's ARN names none (the function's own). */
  readonly region: string;
}

export interface Context {
  readonly configRuleName: string;
  readonly ruleId: string | null;
  readonly deps: EvaluatorDependencies;
}

export interface ConfigResource {
  readonly resourceType: string;
  readonly resourceId: string;
}

export function evaluation(
  context: Context,
  resource: ConfigResource,
  complianceType: ComplianceType,
  text: string,
  orderingTimestamp: string,
): ConfigEvaluation {
  return {
    configRuleName: context.configRuleName,
    ruleId: context.ruleId,
    resourceType: resource.resourceType,
    resourceId: resource.resourceId,
    complianceType,
    annotation: annotation(text),
    orderingTimestamp: new Date(orderingTimestamp).toISOString(),
  };
}

export const accountResource = (accountId: string): ConfigResource => ({
  resourceType: ACCOUNT_RESOURCE_TYPE,
  resourceId: accountId,
});

export function findingEvaluation(finding: Finding, resource: ConfigResource, at: string, context: Context) {
  return evaluation(context, resource, complianceOf(finding), finding.reason, at);
}

export function problemEvaluation(
  problems: readonly CollectionError[],
  resource: ConfigResource,
  at: string,
  context: Context,
): ConfigEvaluation {
  const [first] = problems;
  const text = first
    ? couldNotRead(first, context)
    : `gatewatch could not read ${resource.resourceId}; its rules were not evaluated.`;
  return evaluation(context, resource, 'NON_COMPLIANT', text, at);
}

/** A read that failed, in words; access denied says which permission the evaluator lacks. */
export function couldNotRead(problem: CollectionError, context: Context): string {
  const denied = problem.kind === 'denied';
  context.deps.log.log('warn', denied ? 'read denied' : 'read failed', {
    configRuleName: context.configRuleName,
    errorKind: denied ? 'access-denied' : 'failed',
    operation: problem.operation,
    resource: problem.resource,
    code: problem.code,
  });
  context.deps.metrics.add(metricNames.evaluationErrors, 1, 'Count', { ruleId: context.ruleId ?? 'unknown' });
  return denied
    ? `gatewatch could not evaluate: access denied reading ${problem.resource} (${problem.operation}: ${problem.code}). Give the evaluator's role read access to it.`
    : `gatewatch could not evaluate: reading ${problem.resource} failed (${problem.operation}: ${problem.code}).`;
}
