// The could-not-evaluate finding, defined once for the scan, the drift path and the sweep. It
// has one meaning: gatewatch could not see a resource, so no rule judged it — status ERROR,
// severity MEDIUM, reported, notified and failing `--fail-on` like any finding that needs a
// person. A resource deleted while it was read is a different thing, said explicitly: nothing is
// left to judge and nothing is wrong, so it is NOT_APPLICABLE at INFO (deletedWhileRead). Which of
// the two a failed call is depends on what was read, so the reader decides: a collector's `gone`
// is the resource named being deleted (aws/read/schema.ts), while the drift reader lists the
// resources it found deleted apart (ReadResult.gone) and every problem it reports is a failed read.

import type { Finding } from '../rules/core/judge';
import { parseArn } from './identity';

/** The rule id of the findings that say gatewatch could not see a resource. */
export const COULD_NOT_EVALUATE = 'could-not-evaluate';
export const COULD_NOT_EVALUATE_TITLE = 'gatewatch can read every API Gateway resource it judges';

/** A call that failed while reading (structurally aws/read/schema.ts's CollectionError). */
export interface ReadProblem {
  /** The API operation that failed, e.g. `GetStages`. */
  readonly operation: string;
  /** The resource it was reading (an ARN), or the region when the call lists resources. */
  readonly resource: string;
  /** The AWS error name, e.g. `AccessDeniedException`, `NotFoundException`. */
  readonly code: string;
  readonly kind: 'gone' | 'denied' | 'failed';
}

/** Where the resource is. */
export interface Place {
  readonly accountId: string;
  readonly region: string;
}

/** What could not be seen, and why, in words for the person reading the finding. */
export interface Unseen extends Place {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly reason: string;
  readonly runbook: string;
}

/** No rule judged this resource: gatewatch could not see it. */
export const couldNotEvaluate = (unseen: Unseen): Finding => ({
  ruleId: COULD_NOT_EVALUATE,
  title: COULD_NOT_EVALUATE_TITLE,
  severity: 'MEDIUM',
  status: 'ERROR',
  reason: unseen.reason,
  resourceArn: unseen.resourceArn,
  resourceType: unseen.resourceType,
  resource: unseen.resource,
  accountId: unseen.accountId,
  region: unseen.region,
  runbook: unseen.runbook,
});

const PERMISSIONS_RUNBOOK = 'README.md#permissions';

/**
 * A read that failed (denied, or failing at AWS): the rules for the resource were not evaluated.
 * `afterEvent` names the CloudTrail event whose targets were being read, on the drift path.
 */
export function unreadable(
  problem: ReadProblem,
  where: Place,
  afterEvent?: string,
  /** Which rules were left unjudged, when only some needed the failed read. */
  consequence?: string,
): Finding {
  const call = `${problem.operation}: ${problem.code}`;
  return couldNotEvaluate({
    ...where,
    resourceArn: problem.resource,
    resourceType: resourceTypeOf(problem.resource),
    resource: problem.resource,
    reason:
      afterEvent === undefined
        ? `gatewatch could not read ${problem.resource} (${call}${problem.kind === 'denied' ? ', access denied' : ''}); ${consequence ?? 'the rules for it were not evaluated'}.`
        : `gatewatch could not read ${problem.resource} after ${afterEvent} (${call}); ${consequence ?? 'its rules were not evaluated'}.`,
    runbook: PERMISSIONS_RUNBOOK,
  });
}

/** A resource deleted while gatewatch was reading it: nothing left to evaluate, nothing wrong. */
export const deletedWhileRead = (problem: ReadProblem, where: Place): Finding => ({
  ...unreadable(problem, where),
  severity: 'INFO',
  status: 'NOT_APPLICABLE',
  reason: `${problem.resource} was deleted while gatewatch was reading it (${problem.operation}: ${problem.code}).`,
});

/** A collector's problem (the scan's): `gone` is the resource it names deleted meanwhile. */
export const collectionProblemFinding = (
  problem: ReadProblem,
  where: Place,
  consequence?: string,
): Finding =>
  problem.kind === 'gone'
    ? deletedWhileRead(problem, where)
    : unreadable(problem, where, undefined, consequence);

/** What a problem was reading: the kind of resource its ARN names, a web ACL, or the region (a listing). */
function resourceTypeOf(arn: string): string {
  const identity = parseArn(arn)?.identity;
  if (identity !== undefined) return identity.kind;
  if (/:wafv2:/.test(arn)) return 'web-acl';
  return 'region';
}
