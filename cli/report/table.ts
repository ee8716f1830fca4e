// The table for people: findings that need attention (with --all, every evaluation), grouped by
// API, then a summary that says what was suppressed, skipped and why.

import { apiArnOf } from '../../model/identity';
import type { ScanFinding } from '../../pipeline/scan/suppress';
import { severities } from '../../rules/core/rule';
import { type Output, paint, severityColour } from '../output';
import { needsAttention, type ScanReport } from './model';

/** The API a resource belongs to, from its ARN: `…/restapis/ID` or `…/apis/ID`; else the resource itself. */
const apiArnOfFinding = (finding: ScanFinding): string =>
  apiArnOf(finding.resourceArn) ?? finding.resourceArn;

/** "REST API orders-api (a1b2c3)" from "stage prod of REST API orders-api (a1b2c3)". */
function apiName(finding: ScanFinding): string {
  const part = /^(?:stage|route) .+? of (.+)$/.exec(finding.resource);
  return part?.[1] ?? finding.resource;
}

const statusOrder = ['NON_COMPLIANT', 'ERROR', 'COMPLIANT', 'NOT_APPLICABLE'];

function label(finding: ScanFinding, out: Output): string {
  if (finding.status === 'COMPLIANT') return paint(out, 'green', 'PASS'.padEnd(8));
  if (finding.status === 'NOT_APPLICABLE') return paint(out, 'grey', 'N/A'.padEnd(8));
  return paint(out, severityColour[finding.severity], finding.severity.padEnd(8));
}

export function tableReport(report: ScanReport, out: Output, options: { all?: boolean } = {}): string {
  const findings = report.findings
    .filter((finding) => options.all || needsAttention(finding))
    .sort(
      (a, b) =>
        apiArnOfFinding(a).localeCompare(apiArnOfFinding(b)) ||
        statusOrder.indexOf(a.status) - statusOrder.indexOf(b.status) ||
        severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
        a.ruleId.localeCompare(b.ruleId),
    );
  const lines: string[] = [];
  let group = '';
  for (const finding of findings) {
    const api = apiArnOfFinding(finding);
    if (api !== group) {
      group = api;
      lines.push('', paint(out, 'bold', `${finding.region} · ${finding.accountId} · ${apiName(finding)}`));
    }
    const status = finding.status === 'ERROR' ? paint(out, 'grey', ' (could not evaluate)') : '';
    const pending = finding.pending ? paint(out, 'grey', ' (pending deployment)') : '';
    const suppressed = finding.suppressed
      ? paint(out, 'grey', ` (suppressed: ${finding.suppressed.kind})`)
      : '';
    lines.push(`  ${label(finding, out)} ${finding.ruleId}${status}${pending}${suppressed}`);
    lines.push(`           ${finding.reason}`);
    if (finding.suppressed)
      lines.push(paint(out, 'grey', `           Suppressed: ${finding.suppressed.reason}`));
  }
  const s = report.summary;
  const counts = severities
    .filter((severity) => s.nonCompliantBySeverity[severity] > 0)
    .map((severity) =>
      paint(out, severityColour[severity], `${s.nonCompliantBySeverity[severity]} ${severity}`),
    );
  lines.push(
    '',
    `${s.byStatus.NON_COMPLIANT} non-compliant (${counts.join(', ') || 'none'})${s.pending ? `, ${s.pending} pending deployment` : ''}, ` +
      `${s.byStatus.ERROR} could not be evaluated, ${s.suppressed} suppressed (exempt or opted out), ${s.byStatus.COMPLIANT} compliant, ${s.byStatus.NOT_APPLICABLE} not applicable.`,
    `${s.resources} resources in ${s.accounts.join(', ') || 'no account'} (${s.regions.join(', ') || 'no region'}); ${s.totalCalls} AWS calls.`,
    ...s.skippedRules.map((skipped) => `Skipped ${skipped.ruleId}: ${skipped.why}.`),
    ...s.expiredExemptions.map((text) => paint(out, 'yellow', text)),
    ...(s.evaluated
      ? []
      : [paint(out, 'red', 'Nothing could be evaluated: every read failed or was denied.')]),
    `Settings: ${s.settings ?? 'the defaults (no gatewatch.config.json here; --settings FILE names one)'}.`,
  );
  const none = findings.length === 0 ? 'No findings that need attention.\n' : '';
  return `${none}${lines.join('\n').replace(/^\n/, '')}\n`;
}
