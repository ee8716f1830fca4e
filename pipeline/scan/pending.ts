// Pending drift: changes to a REST API's working copy that no stage serves yet. Reported where
// they would turn a compliant stage non-compliant at the next deployment, one severity lower
// than live drift, by the scan and the drift path alike.
import { type Finding, judge } from '../../rules/core/judge';
import { kindCovers, type RestStageSnapshot } from '../../rules/core/resources';
import { type AnyRule, type Severity, severities } from '../../rules/core/rule';

export function pendingFindings(
  undeployed: RestStageSnapshot,
  served: readonly Finding[],
  rules: readonly AnyRule[],
  parameters: Readonly<Record<string, unknown>> = {},
): Finding[] {
  return rules
    .filter((rule) => kindCovers(rule.resource, undeployed))
    .map((rule) => judge(rule, undeployed, parameters[rule.id]))
    .filter(
      (finding) =>
        finding.status === 'NON_COMPLIANT' &&
        served.find((now) => now.ruleId === finding.ruleId && now.resourceArn === finding.resourceArn)
          ?.status === 'COMPLIANT',
    )
    .map((finding) => ({
      ...finding,
      severity: lower(finding.severity),
      reason: `Pending deployment: ${finding.reason}`,
      pending: true,
    }));
}

const lower = (severity: Severity): Severity =>
  severities[Math.min(severities.indexOf(severity) + 1, severities.length - 1)] as Severity;
