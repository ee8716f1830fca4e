// The contract every rule follows: one declaration from which the CloudTrail path, the AWS
// Config rules, remediation, notifications, runbooks, the dashboard and the docs all derive.
import type * as z from 'zod/mini';
import type { ResourceKind, SnapshotOf } from './resources';

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

/** One AWS API call a remediation makes, with the IAM actions it needs. */
export interface RemediationCall {
  /** The SDK client: `apigateway` (REST), `apigatewayv2` (HTTP/WebSocket), `wafv2`. */
  readonly service: 'apigateway' | 'apigatewayv2' | 'wafv2';
  /** The API operation, as the SDK and CloudTrail name it: `UpdateStage`, `AssociateWebACL`. */
  readonly operation: string;
  /** IAM actions the call needs; API Gateway authorises by HTTP verb (`apigateway:PATCH`). */
  readonly iamActions: readonly string[];
  /** What the call changes, in words. */
  readonly effect: string;
}

export interface RemediationDeclaration {
  /**
   * `safe`: always the same fix, whatever was there before (turn tracing on).
   * `restore`: put back the last known good value from the baseline (the web ACL that was attached).
   */
  readonly kind: 'safe' | 'restore';
  readonly summary: string;
  readonly calls: readonly RemediationCall[];
  /** Whether the fix can change what clients experience (a restored authorizer rejects anonymous calls). */
  readonly canBreakClients: boolean;
  readonly breakage?: string;
}

export interface References {
  /** AWS Security Hub (CSPM) controls, e.g. `APIGateway.4`. */
  readonly securityHub?: readonly string[];
  /** The closest AWS Config managed rule, e.g. `api-gw-associated-with-waf`. */
  readonly configManagedRule?: string;
  /** AWS documentation pages. */
  readonly docs: readonly string[];
}

export interface Rule<K extends ResourceKind = ResourceKind, P extends z.ZodMiniType = z.ZodMiniType> {
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
  readonly remediation?: RemediationDeclaration;
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
export type AnyRule = Rule<any, any>;

/** Declares a rule; the generics are inferred so `evaluate` sees the exact snapshot and parameter types. */
export function defineRule<K extends ResourceKind, P extends z.ZodMiniType>(rule: Rule<K, P>): Rule<K, P> {
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
