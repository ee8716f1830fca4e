// What the drift path receives: a CloudTrail management event, either inside an EventBridge
// envelope (the real-time path) or as a bare record / a CloudTrail log file (replay, tests).
// Only the fields gatewatch reads are checked; everything else is kept as it came, because
// AWS adds fields over time and publishers of recordings add their own (`debug`).
import * as z from 'zod/mini';
import { parseOrThrow, ValidationError } from '../rules/core/validation';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

const str = z.optional(z.string());

const sessionIssuerSchema = z.looseObject({
  type: str,
  arn: str,
  principalId: str,
  accountId: str,
  userName: str,
});

export const userIdentitySchema = z.looseObject({
  /** IAMUser, AssumedRole, Root, FederatedUser, AWSService, AWSAccount, IdentityCenterUser… */
  type: z.string(),
  arn: str,
  principalId: str,
  accountId: str,
  /** The AWS service that made the call for the principal (e.g. `cloudformation.amazonaws.com`). */
  invokedBy: str,
  sessionContext: z.optional(z.looseObject({ sessionIssuer: z.optional(sessionIssuerSchema) })),
});

export const cloudTrailRecordSchema = z.looseObject({
  userIdentity: userIdentitySchema,
  eventTime: z.iso.datetime({ offset: true }),
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.string(),
  sourceIPAddress: str,
  userAgent: str,
  /** Path parameters at the top level; v1 request bodies wrapped (`createStageInput`). Truncated beyond 100 KB. */
  requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: z.optional(z.nullable(z.unknown())),
  /** Present when the call failed: such a call changed nothing. */
  errorCode: str,
  errorMessage: str,
  eventID: z.string(),
  readOnly: z.optional(z.boolean()),
  eventType: str,
  recipientAccountId: str,
});

export type CloudTrailRecord = z.output<typeof cloudTrailRecordSchema>;

export const eventBridgeEnvelopeSchema = z.looseObject({
  version: z.string(),
  id: z.string(),
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  /** Often empty for CloudTrail events: the resource comes from `detail`. */
  resources: z.array(z.string()),
  detail: cloudTrailRecordSchema,
});

export const cloudTrailLogFileSchema = z.looseObject({ Records: z.array(cloudTrailRecordSchema) });

export interface ParsedEvent {
  readonly record: CloudTrailRecord;
  /** Present when the record arrived through EventBridge. */
  readonly envelope?: {
    readonly id: string;
    readonly account: string;
    readonly region: string;
    readonly time: string;
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses an EventBridge event, a bare CloudTrail record or a CloudTrail log file
 * (`{"Records": […]}`). Throws a ValidationError naming `origin` and the offending field.
 */
export function parseEvents(json: unknown, origin: string): ParsedEvent[] {
  if (!isObject(json)) {
    throw new ValidationError(
      `${origin} is invalid: (top level): expected an EventBridge event, a CloudTrail record or a CloudTrail log file (a JSON object)`,
    );
  }
  if ('detail-type' in json || 'detail' in json) {
    const event = parseOrThrow(eventBridgeEnvelopeSchema, json, origin);
    const { id, account, region, time } = event;
    return [{ record: event.detail, envelope: { id, account, region, time } }];
  }
  if ('Records' in json) {
    return parseOrThrow(cloudTrailLogFileSchema, json, origin).Records.map((record) => ({ record }));
  }
  return [{ record: parseOrThrow(cloudTrailRecordSchema, json, origin) }];
}
