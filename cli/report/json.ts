// `--format json`: stable field names, documented in the README.

import type { ScanResult } from '../../functions/pipeline/scan';
import type { Finding } from '../../rules/core/judge';

export interface JsonReportOptions {
  /** Include compliant and not-applicable evaluations too. */
  readonly all: boolean;
}

export const needsAttention = (finding: Finding) =>
  finding.status === 'NON_COMPLIANT' || finding.status === 'ERROR';

export function jsonReport(result: ScanResult, options: JsonReportOptions): string {
  const findings = options.all ? result.findings : result.findings.filter(needsAttention);
  return `${JSON.stringify({ findings: findings.map(orderFields), summary: result.summary }, null, 2)}\n`;
}

function orderFields(finding: Finding) {
  const { ruleId, resourceArn, resourceType, status, severity, reason, ...rest } = finding;
  return { ruleId, resourceArn, resourceType, status, severity, reason, ...rest };
}
