// A baseline from a full scan: what `gatewatch scan --save-baseline` writes and what the
// scheduled sweep refreshes, so that the first drift event already knows "before".

import type { BaselineEntry, RuleState } from '../../model/stores';
import type { Finding } from '../../rules/core/judge';
import type { Estate, Snapshot } from '../../rules/core/resources';

export function baselineFromScan(
  estate: Estate,
  findings: readonly Finding[],
  observedAt: string,
): BaselineEntry[] {
  const byArn = new Map<string, Record<string, RuleState>>();
  for (const finding of findings) {
    const rules = byArn.get(finding.resourceArn) ?? {};
    rules[finding.pending ? `${finding.ruleId}#pending` : finding.ruleId] = {
      status: finding.status,
      reason: finding.reason,
      ...(finding.observed === undefined ? {} : { observed: finding.observed }),
      since: observedAt,
    };
    byArn.set(finding.resourceArn, rules);
  }
  const snapshots: Snapshot[] = Object.values(estate).flat();
  return snapshots.map((snapshot) => ({
    arn: snapshot.arn,
    snapshot,
    rules: byArn.get(snapshot.arn) ?? {},
    observedAt,
  }));
}
