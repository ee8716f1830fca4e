// An evaluation as gatewatch reports it to AWS Config, and as `gatewatch config-event` prints it.
import type { Evaluation } from '@aws-sdk/client-config-service';
import type { Finding } from '../../rules/core/judge';

/** Config accepts COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE from a rule (not INSUFFICIENT_DATA). */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface ConfigEvaluation {
  readonly configRuleName: string;
  /** The gatewatch rule, or null when the Config rule names none gatewatch knows. */
  readonly ruleId: string | null;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly complianceType: ComplianceType;
  readonly annotation: string;
  /** ISO 8601: the item's capture time, or the notification time of a periodic run. */
  readonly orderingTimestamp: string;
}

/** Config keeps at most 256 characters of an annotation. */
export const ANNOTATION_LIMIT = 256;

export function annotation(text: string): string {
  const trimmed = text.trim() || 'No detail.';
  return trimmed.length <= ANNOTATION_LIMIT ? trimmed : `${trimmed.slice(0, ANNOTATION_LIMIT - 1)}…`;
}

/**
 * A finding as Config's compliance type. A rule that could not be evaluated (ERROR) is
 * NON_COMPLIANT, with its reason: Config has no "error" state a rule may report, and a
 * resource gatewatch cannot judge must not pass for a compliant one.
 */
export const complianceOf = (finding: Pick<Finding, 'status'>): ComplianceType =>
  finding.status === 'ERROR' ? 'NON_COMPLIANT' : finding.status;

export function toSdkEvaluation(evaluation: ConfigEvaluation): Evaluation {
  return {
    ComplianceResourceType: evaluation.resourceType,
    ComplianceResourceId: evaluation.resourceId,
    ComplianceType: evaluation.complianceType,
    Annotation: annotation(evaluation.annotation),
    OrderingTimestamp: new Date(evaluation.orderingTimestamp),
  };
}
