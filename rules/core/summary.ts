// What people see of a rule in listings (`gatewatch rules`, the README, runbook headers):
// derived from the declaration, never written again.
import { runbookPath } from './judge';
import { describeParameters, type ParameterDoc } from './params';
import { resourceKinds } from './resources';
import type { AnyRule, References, Severity } from './rule';

export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resource: string;
  readonly remediation: 'none' | 'safe' | 'restore';
  readonly runbook: string;
  readonly references: References;
  readonly parameters: readonly ParameterDoc[];
}

export function summarise(rule: AnyRule): RuleSummary {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    resource: rule.resource,
    remediation: rule.remediation?.kind ?? 'none',
    runbook: runbookPath(rule.id),
    references: rule.references,
    parameters: describeParameters(rule.parameters),
  };
}

export const resourceLabel = (rule: AnyRule) =>
  resourceKinds[rule.resource as keyof typeof resourceKinds].label;
