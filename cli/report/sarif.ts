// `--format sarif`: SARIF 2.1.0 for code-scanning tools. Cloud resources have no source file,
// so each result names its resource ARN as a logical location.
import { createHash } from 'node:crypto';
import type { ScanResult } from '../../functions/pipeline/scan';
import type { Finding } from '../../rules/core/judge';
import type { AnyRule, Severity } from '../../rules/core/rule';
import { needsAttention } from './json';

const level: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  INFO: 'note',
};

/** GitHub code scanning ranks results by this 0–10 score. */
const securitySeverity: Record<Severity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
  INFO: '1.0',
};

export function sarifReport(result: ScanResult, rules: readonly AnyRule[], version: string): string {
  const findings = result.findings.filter(needsAttention);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gatewatch',
            version,
            informationUri: 'https://github.com/gatewatch/gatewatch',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.rationale },
              helpUri: `https://github.com/gatewatch/gatewatch/blob/main/runbooks/${rule.id}.md`,
              help: { text: `${rule.rationale} Runbook: runbooks/${rule.id}.md` },
              defaultConfiguration: { level: level[rule.severity] },
              properties: {
                'security-severity': securitySeverity[rule.severity],
                tags: ['security', 'api-gateway'],
              },
            })),
          },
        },
        results: findings.map((finding) => sarifResult(finding)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function sarifResult(finding: Finding) {
  return {
    ruleId: finding.ruleId,
    level: level[finding.severity],
    message: { text: finding.reason },
    locations: [
      {
        logicalLocations: [
          { fullyQualifiedName: finding.resourceArn, name: finding.resource, kind: 'resource' },
        ],
      },
    ],
    partialFingerprints: {
      'gatewatch/v1': createHash('sha256').update(`${finding.ruleId}|${finding.resourceArn}`).digest('hex'),
    },
    properties: {
      severity: finding.severity,
      status: finding.status,
      accountId: finding.accountId,
      region: finding.region,
      ...(finding.pending ? { pending: true } : {}),
    },
  };
}
