// `--format sarif`: SARIF 2.1.0 that code-scanning services accept (GitHub's rules: a physical
// location per result, every rule described, partial fingerprints, one run per file). A cloud
// resource has no source file, so each result's location is a stable pseudo-file per resource,
// `aws/<account>/<region>/<resource path>`, with the ARN as its logical location.
import { createHash } from 'node:crypto';
import { COULD_NOT_EVALUATE, COULD_NOT_EVALUATE_TITLE } from '../../model/finding';
import type { ScanFinding } from '../../pipeline/scan/suppress';
import { runbookPath } from '../../rules/core/judge';
import type { AnyRule, Severity } from '../../rules/core/rule';
import { needsAttention, type ScanReport } from './model';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

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

export interface SarifOptions {
  readonly version: string;
  /** Include compliant (`kind: pass`) and not-applicable (`kind: notApplicable`) results. */
  readonly all: boolean;
  /** Absolute base of the runbook links (`helpUri`); without it, links are relative to the repository. */
  readonly runbookBaseUrl?: string;
  /** The exit code the scan ends with, for `invocations[0].exitCode`. */
  readonly exitCode: number;
}

/** The could-not-evaluate rule: a resource gatewatch could not read, so no rule judged it. */
const couldNotEvaluate = {
  id: COULD_NOT_EVALUATE,
  title: COULD_NOT_EVALUATE_TITLE,
  rationale:
    'A resource gatewatch may not read (access denied, a failing call) is not judged by any rule, so its ' +
    'problems stay unseen. Grant the read permissions the README lists, or scan with credentials that have them.',
  severity: 'MEDIUM' as Severity,
  runbook: 'README.md#permissions',
};

interface Descriptor {
  readonly id: string;
  readonly title: string;
  readonly rationale: string;
  readonly severity: Severity;
  readonly runbook: string;
}

export function sarifReport(report: ScanReport, rules: readonly AnyRule[], options: SarifOptions): string {
  const descriptors: Descriptor[] = [
    ...rules.map((rule) => ({ ...rule, runbook: runbookPath(rule.id) })),
    couldNotEvaluate,
  ];
  const index = new Map(descriptors.map((descriptor, i) => [descriptor.id, i]));
  const findings = report.findings.filter((finding) => options.all || needsAttention(finding));
  const problems = report.findings.filter((finding) => finding.status === 'ERROR');
  const s = report.summary;
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gatewatch',
            version: options.version,
            semanticVersion: options.version,
            informationUri: 'https://github.com/gatewatch/gatewatch',
            rules: descriptors.map((descriptor) => reportingDescriptor(descriptor, options.runbookBaseUrl)),
          },
        },
        automationDetails: { id: automationId(s.accounts, s.regions) },
        invocations: [
          {
            executionSuccessful: problems.length === 0,
            exitCode: options.exitCode,
            toolExecutionNotifications: problems.map((finding) => ({
              level: 'error',
              message: { text: finding.reason },
              locations: [location(finding)],
              associatedRule: { id: finding.ruleId, index: index.get(finding.ruleId) ?? -1 },
            })),
            toolConfigurationNotifications: [
              ...s.skippedRules.map((skipped) => ({
                level: 'note',
                message: { text: `Rule ${skipped.ruleId} was not run: ${skipped.why}.` },
                associatedRule: { id: skipped.ruleId },
              })),
              ...s.expiredExemptions.map((text) => ({ level: 'warning', message: { text } })),
            ],
            properties: { settings: s.settings, evaluated: s.evaluated },
          },
        ],
        results: findings.map((finding) => sarifResult(finding, index)),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function reportingDescriptor(descriptor: Descriptor, base: string | undefined) {
  const link = base ? new URL(descriptor.runbook, base).href : descriptor.runbook;
  return {
    id: descriptor.id,
    name: descriptor.id,
    shortDescription: { text: descriptor.title },
    fullDescription: { text: descriptor.rationale },
    ...(base ? { helpUri: link } : {}),
    help: {
      text: `${descriptor.rationale} Runbook: ${link}`,
      markdown: `${descriptor.rationale}\n\n[Runbook: ${descriptor.runbook}](${link})`,
    },
    defaultConfiguration: { level: level[descriptor.severity] },
    properties: {
      'security-severity': securitySeverity[descriptor.severity],
      precision: 'high',
      tags: ['security', 'api-gateway'],
      runbook: descriptor.runbook,
    },
  };
}

/**
 * GitHub files an upload under the category before the last `/`; a later upload with the same
 * tool and category replaces it. One category per set of accounts and regions keeps the scans of
 * different accounts and regions apart.
 */
export function automationId(accounts: readonly string[], regions: readonly string[]): string {
  const part = (list: readonly string[]) => (list.length > 0 ? [...list].sort().join('+') : 'none');
  return `gatewatch/${part(accounts)}/${part(regions)}/`;
}

/** RFC 3986 path characters stay; anything else is percent-encoded, so the URI is one stable path. */
const segment = (text: string) =>
  [...text]
    .map((char) => (/[A-Za-z0-9._~!$&'()*+,;=:@-]/.test(char) ? char : encodeURIComponent(char)))
    .join('');

/**
 * The pseudo-file of a resource: `aws/<account>/<region>/` and, for API Gateway, the ARN's path
 * (`restapis/a1b2c3d4e5/stages/prod`); for other services, `<service>/<resource>`.
 */
export function resourceUri(arn: string, accountId: string, region: string): string {
  const parts = /^arn:[^:]+:([^:]+):([^:]*):([^:]*):(.*)$/.exec(arn);
  const service = parts?.[1] ?? 'unknown';
  const where = [accountId || parts?.[3] || 'unknown', region || parts?.[2] || 'global'];
  const path =
    service === 'apigateway'
      ? (parts?.[4] ?? '').replace(/^\//, '') || 'apigateway'
      : `${service}/${parts?.[4] ?? arn}`;
  return ['aws', ...where, ...path.split('/')].map(segment).join('/');
}

function location(finding: ScanFinding) {
  return {
    physicalLocation: {
      artifactLocation: { uri: resourceUri(finding.resourceArn, finding.accountId, finding.region) },
      region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    },
    logicalLocations: [{ fullyQualifiedName: finding.resourceArn, name: finding.resource, kind: 'resource' }],
  };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

const kindOf = (finding: ScanFinding) =>
  finding.status === 'COMPLIANT' ? 'pass' : finding.status === 'NOT_APPLICABLE' ? 'notApplicable' : 'fail';

function sarifResult(finding: ScanFinding, index: ReadonlyMap<string, number>) {
  const identity = `${finding.ruleId}|${finding.resourceArn}${finding.pending ? '|pending' : ''}`;
  const kind = kindOf(finding);
  return {
    ruleId: finding.ruleId,
    ruleIndex: index.get(finding.ruleId) ?? -1,
    kind,
    level: kind === 'fail' ? level[finding.severity] : 'none',
    message: { text: finding.reason },
    locations: [location(finding)],
    partialFingerprints: {
      'gatewatch/v1': hash(identity),
      primaryLocationLineHash: `${hash(`${finding.accountId}|${identity}`).slice(0, 16)}:1`,
    },
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: finding.suppressed.reason,
              properties: { guard: finding.suppressed.kind },
            },
          ],
        }
      : {}),
    properties: {
      severity: finding.severity,
      status: finding.status,
      accountId: finding.accountId,
      region: finding.region,
      resourceArn: finding.resourceArn,
      runbook: finding.runbook,
      ...(finding.pending ? { pending: true } : {}),
    },
  };
}
