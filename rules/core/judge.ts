// Runs rules over snapshots. A rule that throws, or parameters that do not parse, become a
// finding of their own ("could not evaluate"); one bad rule never stops the others.

import { describeResource, type Estate, type Snapshot, snapshotsOf } from './resources';
import type { AnyRule, Judgement, Severity, Status } from './rule';
import { CannotJudge } from './rule';
import { formatIssues } from './validation';

/** `ERROR`: the rule could not be evaluated (missing input, bad parameters, a fault). */
export type FindingStatus = Status | 'ERROR';

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly reason: string;
  readonly resourceArn: string;
  /** The snapshot kind (`rest-stage`, `v2-route`, …), or what a collection problem was reading. */
  readonly resourceType: string;
  /** A name a person recognises: "stage prod of REST API orders (a1b2c3)". */
  readonly resource: string;
  readonly accountId: string;
  readonly region: string;
  readonly observed?: unknown;
  readonly expected?: unknown;
  readonly runbook: string;
  /** Set on findings about a REST API's working copy that no stage serves yet (pending deployment). */
  readonly pending?: boolean;
}

export const runbookPath = (ruleId: string) => `runbooks/${ruleId}.md`;

export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

/** Parses a rule's parameters (defaults filled in) or throws a ParameterError naming the rule and field. */
export function parseParameters(rule: AnyRule, raw: unknown = {}): unknown {
  const result = rule.parameters.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new ParameterError(`the parameters of ${rule.id} are invalid: ${formatIssues(result.error)}`);
}

/** Judges one snapshot with one rule. Never throws. */
export function judge(rule: AnyRule, snapshot: Snapshot, rawParameters?: unknown): Finding {
  let judgement: Judgement | { status: 'ERROR'; reason: string };
  try {
    judgement = rule.evaluate(snapshot, parseParameters(rule, rawParameters));
  } catch (error) {
    judgement = { status: 'ERROR', reason: couldNotEvaluate(rule, snapshot, error) };
  }
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    status: judgement.status,
    reason: judgement.reason,
    resourceArn: snapshot.arn,
    resourceType: snapshot.kind,
    resource: describeResource(snapshot),
    accountId: snapshot.accountId,
    region: snapshot.region,
    ...('observed' in judgement && judgement.observed !== undefined ? { observed: judgement.observed } : {}),
    ...('expected' in judgement && judgement.expected !== undefined ? { expected: judgement.expected } : {}),
    runbook: runbookPath(rule.id),
  };
}

/** Judges every resource of an estate with every rule that applies to its kind. */
export function judgeEstate(
  estate: Estate,
  rules: readonly AnyRule[],
  parametersByRule: Readonly<Record<string, unknown>> = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const snapshot of snapshotsOf(rule.resource, estate)) {
      findings.push(judge(rule, snapshot, parametersByRule[rule.id]));
    }
  }
  return findings;
}

function couldNotEvaluate(rule: AnyRule, snapshot: Snapshot, error: unknown): string {
  const what = describeResource(snapshot);
  if (error instanceof CannotJudge || error instanceof ParameterError) {
    return `Rule ${rule.id} could not evaluate ${what}: ${stripPeriod(error.message)}.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Rule ${rule.id} failed on ${what} (${stripPeriod(message)}); this is a gatewatch bug, please report it.`;
}

const stripPeriod = (text: string) => text.replace(/\.+$/, '');
