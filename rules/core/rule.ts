// The contract every rule follows: one declaration from which the CloudTrail path, the AWS
// Config rules, remediation, notifications, runbooks, the dashboard and the docs all derive.
import type * as z from 'zod/mini';
import type { NameOf, PlannedCall, RemediationCall } from './remediation-calls';
import type { AccountSnapshot, ResourceKind, RestStageSnapshot, Snapshot, SnapshotOf } from './resources';

export const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export type Severity = (typeof severities)[number];

export const statuses = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] as const;
export type Status = (typeof statuses)[number];

/** What a rule concludes about one resource. */
export interface Judgement {
  readonly status: Status;
  /** One full sentence a person on call understands: the resource, what was seen, what is expected. */
  readonly reason: string;
  readonly observed?: unknown;
  readonly expected?: unknown;
}

export interface RemediationDeclaration<
  K extends ResourceKind = ResourceKind,
  P extends z.ZodMiniType = z.ZodMiniType,
  C extends readonly RemediationCall[] = readonly RemediationCall[],
> {
  /**
   * `safe`: always the same fix, whatever was there before (turn tracing on).
   * `restore`: put back the last known good value from the baseline (the web ACL that was attached).
   */
  readonly kind: 'safe' | 'restore';
  readonly summary: string;
  /** Every call the plan may make: the remediator's IAM permissions derive from this list. */
  readonly calls: C;
  /** Whether the fix can change what clients experience (a restored authorizer rejects anonymous calls). */
  readonly canBreakClients: boolean;
  readonly breakage?: string;
  /** What the plan reads beside the resource: the account settings, every stage of a REST API. */
  readonly reads?: PlanReads;
  /**
   * The exact calls, as plain data, from the resource as read just before acting and the rule's
   * parameters; only calls the declaration lists type-check. No AWS calls but `context.resourceIds`.
   */
  readonly plan: (
    snapshot: SnapshotOf<K>,
    params: z.output<P>,
    context: PlanContext<SnapshotOf<K>>,
  ) => Promise<Plan<NoInfer<PlannedCall<NameOf<C[number]>>>>>;
}

export interface PlanReads {
  readonly account?: boolean;
  readonly apiStages?: boolean;
}

/** What a plan is given beside the resource and the parameters. */
export interface PlanContext<S extends Snapshot = Snapshot> {
  /** The rule's judgement of the resource as read just before acting. */
  readonly finding: Pick<Judgement, 'reason' | 'observed'>;
  /** The last snapshot of the resource the rule judged compliant, for `restore`; never guessed. */
  readonly knownGood?: S;
  /** The account settings of the region, when `reads.account`. */
  readonly account?: AccountSnapshot;
  /** Every stage of the REST API, read with its working copy, when `reads.apiStages`. */
  readonly stages?: readonly RestStageSnapshot[];
  /** ARNs of REST stages whose working copy holds changes they do not serve yet. */
  readonly undeployed?: readonly string[];
  /** The CloudWatch Logs role gatewatch deploys for API Gateway, when the settings name none. */
  readonly cloudwatchRoleArn?: string;
  readonly resourceIds: ResourceIds;
}

/** Finds the id of a REST API resource by its path in the working copy (a read, made only to apply). */
export interface ResourceIds {
  resourceId(region: string, apiId: string, path: string): Promise<string | undefined>;
}

/** A plan: the calls to make, in order (each one of the declared calls), or why none can be made. */
export type Plan<T = PlannedCall> =
  | { readonly kind: 'calls'; readonly calls: readonly T[]; readonly notes: readonly string[] }
  /** Nothing can be done safely: the reason is what the notification says instead. */
  | { readonly kind: 'refused'; readonly reason: string };

export interface References {
  /** AWS Security Hub (CSPM) controls, e.g. `APIGateway.4`. */
  readonly securityHub?: readonly string[];
  /** The closest AWS Config managed rule, e.g. `api-gw-associated-with-waf`. */
  readonly configManagedRule?: string;
  /** AWS documentation pages. */
  readonly docs: readonly string[];
}

export interface Rule<
  K extends ResourceKind = ResourceKind,
  P extends z.ZodMiniType = z.ZodMiniType,
  C extends readonly RemediationCall[] = readonly RemediationCall[],
> {
  /** Stable kebab-case id: Config rule name suffix, metric dimension, runbook file and SARIF id. */
  readonly id: string;
  /** The compliant state, as a short statement: "REST API stages have a WAF web ACL attached". */
  readonly title: string;
  readonly severity: Severity;
  readonly resource: K;
  /** Why it matters, in two or three sentences. */
  readonly rationale: string;
  /** Parameters with their defaults; `parse({})` gives the defaults. */
  readonly parameters: P;
  /** Pure and synchronous: no AWS calls, no clock, no randomness. */
  evaluate(snapshot: SnapshotOf<K>, params: z.output<P>): Judgement;
  readonly remediation?: RemediationDeclaration<K, P, C>;
  readonly references: References;
  /** Rules whose inputs change without a configuration change (metrics, clocks) are also run periodically. */
  readonly periodic?: boolean;
  /** Data beyond the resource's configuration the rule reads; a scan that did not collect it skips the rule. */
  readonly needs?: readonly CollectedData[];
  /**
   * Parts of the resource read with calls of their own, beyond what listing it returns; a read
   * for this rule alone leaves the others out, and a failure to read one keeps only the rules
   * that declare it from being judged.
   */
  readonly reads?: readonly ResourcePart[];
}

/** Parts of a resource that take calls of their own to read. */
export const resourceParts = [
  /** A REST stage's served methods and the API's working copy (resources, authorizers, validators, deployments). */
  'rest-methods',
  /** The contents of the web ACL a REST stage has attached. */
  'web-acl',
  /** An HTTP/WebSocket API's integrations. */
  'v2-integrations',
  /** The authorizers of an HTTP/WebSocket API's routes. */
  'v2-authorizers',
  /** The custom domain names mapped to an API. */
  'custom-domains',
] as const;
export type ResourcePart = (typeof resourceParts)[number];

/** Optional data a collection may include. */
export type CollectedData =
  | 'invocation-metrics'
  | 'cloudwatch-role'
  | 'cloudtrail-trails'
  | 'log-resource-policies';

/** The catalog's element type: any rule, whatever it judges. */
// biome-ignore lint/suspicious/noExplicitAny: a catalog holds rules of every kind and parameter shape.
export type AnyRule = Rule<any, any, readonly RemediationCall[]>;

/**
 * Declares a rule; the generics are inferred so `evaluate` and the remediation's `plan` see the
 * exact snapshot and parameter types, and a plan may only return the calls the declaration lists.
 */
export function defineRule<
  K extends ResourceKind,
  P extends z.ZodMiniType,
  const C extends readonly RemediationCall[] = readonly [],
>(rule: Rule<K, P, C>): Rule<K, P, C> {
  return rule;
}

export const compliant = (reason: string, values: Observation = {}): Judgement => ({
  status: 'COMPLIANT',
  reason,
  ...values,
});
export const nonCompliant = (reason: string, values: Observation = {}): Judgement => ({
  status: 'NON_COMPLIANT',
  reason,
  ...values,
});
export const notApplicable = (reason: string): Judgement => ({ status: 'NOT_APPLICABLE', reason });

interface Observation {
  readonly observed?: unknown;
  readonly expected?: unknown;
}

/**
 * Thrown by a rule when its snapshot lacks what it needs (a web ACL whose contents could not
 * be read). The engine reports it as "could not evaluate" rather than guessing either way.
 */
export class CannotJudge extends Error {
  override readonly name = 'CannotJudge';
}
