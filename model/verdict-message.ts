// Verdicts travel between functions (drift → remediator → notifier) as JSON messages. Each
// function parses what it receives, like any other input from outside; only gatewatch's roles
// may send them (infra/constructs/queue-access.ts), and even so the remediator acts on a message
// only as a pointer: it reads the resource again and takes what it puts back from the baseline
// table (pipeline/remediate/known-good.ts). A change to these fields is a new `version`.
import * as z from 'zod/mini';
import { severities } from '../rules/core/rule';
import { parseOrThrow, ValidationError } from '../rules/core/validation';
import type { Verdict } from './verdict';

const nullableString = z.nullable(z.string());

export const verdictSchema = z.looseObject({
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(severities),
  status: z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'ERROR']),
  reason: z.string(),
  resourceArn: z.string(),
  resourceType: z.string(),
  resource: z.string(),
  accountId: z.string(),
  region: z.string(),
  observed: z.optional(z.unknown()),
  expected: z.optional(z.unknown()),
  runbook: z.string(),
  pending: z.optional(z.boolean()),
  change: z.enum(['new', 'resolved', 'unchanged']),
  eventName: z.string(),
  eventTime: z.string(),
  eventId: z.string(),
  eventSource: z.string(),
  actor: z.string(),
  sourceIp: nullableString,
  userAgent: nullableString,
  invokedBy: nullableString,
  before: z.unknown(),
  after: z.unknown(),
  latencyMs: z.number(),
  remediation: z.optional(
    z.looseObject({ action: z.string(), calls: z.array(z.string()), result: z.string() }),
  ),
  // A hint only: the remediator writes nothing unless it is the state the baseline table holds.
  knownGood: z.optional(
    z.object({ snapshot: z.looseObject({ kind: z.string(), arn: z.string() }), observedAt: z.string() }),
  ),
});

/** The message body: one or more verdicts of one event. */
export const verdictMessageSchema = z.object({ version: z.literal(1), verdicts: z.array(verdictSchema) });

export const verdictMessage = (verdicts: readonly Verdict[]) => JSON.stringify({ version: 1, verdicts });

export function parseVerdictMessage(body: string, what: string): Verdict[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError(`${what} is not JSON: ${(error as Error).message}`);
  }
  return parseOrThrow(verdictMessageSchema, json, what).verdicts as Verdict[];
}
