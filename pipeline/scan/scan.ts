// Judging an inventory: the one path shared by `gatewatch scan` (live or from a file), the
// embedded demo and the scheduled sweep. Pure; collecting happens before it.

import { normalise } from '../../aws/read/normalise';
import { blockedBy, notEvaluated } from '../../aws/read/plan';
import type { Inventory } from '../../aws/read/schema';
import { collectionProblemFinding } from '../../model/finding';
import { type Finding, judgeEstate } from '../../rules/core/judge';
import type { Estate } from '../../rules/core/resources';
import type { AnyRule, CollectedData, Severity } from '../../rules/core/rule';
import { severities } from '../../rules/core/rule';
import { pendingFindings } from './pending';

export interface ScanOptions {
  readonly rules: readonly AnyRule[];
  /** Rule parameters by rule id; each rule's defaults where absent. */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

export interface ScanSummary {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly resources: number;
  readonly evaluations: number;
  readonly byStatus: Readonly<Record<'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE' | 'ERROR', number>>;
  /** Non-compliant findings (pending ones included) by severity. */
  readonly nonCompliantBySeverity: Readonly<Record<Severity, number>>;
  readonly pending: number;
  /** AWS calls made to collect the inventory, by operation, and in all. */
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  /** Rules not run because the inventory lacks data they need (metrics not collected). */
  readonly skippedRules: readonly { readonly ruleId: string; readonly why: string }[];
}

export interface ScanResult {
  /** What was judged, normalised: for baselines. */
  readonly estate: Estate;
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
}

export function scanInventory(inventory: Inventory, options: ScanOptions): ScanResult {
  const { estate, pendingRestStages, problems } = normalise(inventory);
  const collected = collectedData(inventory);
  const rules = options.rules.filter((rule) => (rule.needs ?? []).every((data) => collected.has(data)));
  const skippedRules = options.rules
    .filter((rule) => !rules.includes(rule))
    .map((rule) => ({ ruleId: rule.id, why: skippedBecause(rule.needs ?? []) }));
  const judged = judgeEstate(estate, rules, options.parameters);
  for (const stage of pendingRestStages) {
    judged.push(...pendingFindings(stage, judged, rules, options.parameters));
  }
  // A part of a resource that could not be read keeps only the rules that need it from judging it.
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const findings = judged.filter((finding) => {
    const rule = byId.get(finding.ruleId);
    return !rule || !blockedBy(problems, rule, finding.resourceArn);
  });

  findings.push(
    ...problems.map((problem) => collectionProblemFinding(problem, problem, notEvaluated(problem))),
  );
  return {
    estate,
    findings,
    summary: { ...summarise(inventory, findings, estateSize(estate)), skippedRules },
  };
}

const missing: Record<CollectedData, string> = {
  'invocation-metrics':
    'no invocation metrics were collected (--metrics-days 0 skips CloudWatch, and an inventory saved that way has none)',
  'cloudwatch-role':
    "the logging path was not collected (an inventory saved before version 2 has none): the account settings' CloudWatch Logs role",
  'cloudtrail-trails':
    'the logging path was not collected (an inventory saved before version 2 has none): the trails',
  'log-resource-policies':
    'the logging path was not collected (an inventory saved before version 2 has none): the CloudWatch Logs resource policies',
};

const skippedBecause = (needs: readonly CollectedData[]) => needs.map((data) => missing[data]).join('; ');

function collectedData(inventory: Inventory): Set<CollectedData> {
  const collected = new Set<CollectedData>();
  if (inventory.regions.some((region) => (region.metricsDays ?? 0) > 0)) collected.add('invocation-metrics');
  if (inventory.regions.some((region) => region.loggingPath !== undefined)) {
    for (const data of ['cloudwatch-role', 'cloudtrail-trails', 'log-resource-policies'] as const) {
      collected.add(data);
    }
  }
  return collected;
}

const estateSize = (estate: ReturnType<typeof normalise>['estate']) =>
  Object.values(estate).reduce((sum, list: readonly unknown[]) => sum + list.length, 0);

function summarise(
  inventory: Inventory,
  findings: readonly Finding[],
  resources: number,
): Omit<ScanSummary, 'skippedRules'> {
  const byStatus = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, ERROR: 0 };
  const nonCompliantBySeverity = Object.fromEntries(severities.map((s) => [s, 0])) as Record<
    Severity,
    number
  >;
  for (const finding of findings) {
    byStatus[finding.status] += 1;
    if (finding.status === 'NON_COMPLIANT') nonCompliantBySeverity[finding.severity] += 1;
  }
  return {
    accounts: [...new Set(inventory.regions.map((r) => r.accountId))],
    regions: [...new Set(inventory.regions.map((r) => r.region))],
    resources,
    evaluations: findings.length,
    byStatus,
    nonCompliantBySeverity,
    pending: findings.filter((finding) => finding.pending).length,
    calls: inventory.calls,
    totalCalls: Object.values(inventory.calls).reduce((sum, n) => sum + n, 0),
  };
}

/** True when a finding is at or above `threshold` and needs attention. */
export function failsAt(finding: Finding, threshold: Severity): boolean {
  return (
    (finding.status === 'NON_COMPLIANT' || finding.status === 'ERROR') &&
    severities.indexOf(finding.severity) <= severities.indexOf(threshold)
  );
}
