// The table for people: findings that need attention, grouped by API, then a summary.
import type { ScanResult } from '../../functions/pipeline/scan';
import type { Finding } from '../../rules/core/judge';
import { severities } from '../../rules/core/rule';
import { type Output, paint, severityColour } from '../output';
import { needsAttention } from './json';

/** The API a resource belongs to, from its ARN: `…/restapis/ID` or `…/apis/ID`; else the resource itself. */
function apiOf(finding: Finding): string {
  const match = /^(arn:[^:]+:apigateway:[^:]*::\/(?:restapis|apis)\/[^/]+)/.exec(finding.resourceArn);
  return match?.[1] ?? finding.resourceArn;
}

/** "REST API orders-api (a1b2c3)" from "stage prod of REST API orders-api (a1b2c3)". */
function apiName(finding: Finding): string {
  const part = /^(?:stage|route) .+? of (.+)$/.exec(finding.resource);
  return part?.[1] ?? finding.resource;
}

export function tableReport(result: ScanResult, out: Output): string {
  const findings = result.findings
    .filter(needsAttention)
    .sort(
      (a, b) =>
        apiOf(a).localeCompare(apiOf(b)) ||
        severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
        a.ruleId.localeCompare(b.ruleId),
    );
  const lines: string[] = [];
  let group = '';
  for (const finding of findings) {
    const api = apiOf(finding);
    if (api !== group) {
      group = api;
      lines.push('', paint(out, 'bold', `${finding.region} · ${finding.accountId} · ${apiName(finding)}`));
    }
    const severity = paint(out, severityColour[finding.severity], finding.severity.padEnd(8));
    const status = finding.status === 'ERROR' ? paint(out, 'grey', ' (could not evaluate)') : '';
    const pending = finding.pending ? paint(out, 'grey', ' (pending deployment)') : '';
    lines.push(`  ${severity} ${finding.ruleId}${status}${pending}`, `           ${finding.reason}`);
  }
  const s = result.summary;
  const counts = severities
    .filter((severity) => s.nonCompliantBySeverity[severity] > 0)
    .map((severity) =>
      paint(out, severityColour[severity], `${s.nonCompliantBySeverity[severity]} ${severity}`),
    );
  lines.push(
    '',
    `${s.byStatus.NON_COMPLIANT} non-compliant (${counts.join(', ') || 'none'})${s.pending ? `, ${s.pending} pending deployment` : ''}, ` +
      `${s.byStatus.ERROR} could not be evaluated, ${s.byStatus.COMPLIANT} compliant, ${s.byStatus.NOT_APPLICABLE} not applicable.`,
    `${s.resources} resources in ${s.accounts.join(', ')} (${s.regions.join(', ')}); ${s.totalCalls} AWS calls.`,
  );
  return `${findings.length === 0 ? 'No findings that need attention.\n' : ''}${lines.join('\n').replace(/^\n/, '')}\n`;
}
