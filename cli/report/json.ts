// `--format json`: stable field names, documented in the README.
import type { ScanFinding } from '../../pipeline/scan/suppress';
import { needsAttention, type ScanReport } from './model';

export interface JsonReportOptions {
  /** Include compliant and not-applicable evaluations too. */
  readonly all: boolean;
}

export function jsonReport(report: ScanReport, options: JsonReportOptions): string {
  const findings = options.all ? report.findings : report.findings.filter(needsAttention);
  return `${JSON.stringify({ findings: findings.map(orderFields), summary: report.summary }, null, 2)}\n`;
}

function orderFields(finding: ScanFinding) {
  const { ruleId, resourceArn, resourceType, status, severity, reason, ...rest } = finding;
  return { ruleId, resourceArn, resourceType, status, severity, reason, ...rest };
}
