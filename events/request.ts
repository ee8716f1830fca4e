// Reading a CloudTrail record's request: path parameters, body fields, the response, the
// account, and which API Gateway generation a call is for. Everything here tolerates what
// CloudTrail leaves out; nothing here decides what an event means (events/catalog.ts does).

import type { CloudTrailRecord, ParsedEvent } from './schema';

/** REST APIs (API Gateway v1) or HTTP/WebSocket APIs (v2): same event source, overlapping names. */
export type ApiGeneration = 'v1' | 'v2';

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const paramsOf = (record: CloudTrailRecord): Record<string, unknown> => record.requestParameters ?? {};

/** A path parameter: always at the top level of `requestParameters`. The first key present wins. */
export function pathParam(record: CloudTrailRecord, ...keys: string[]): string | undefined {
  const params = paramsOf(record);
  for (const key of keys) {
    const value = nonEmpty(params[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A body field: at the top level (v2 bodies are flat) or inside a v1 wrapper (`createStageInput`). */
export function bodyField(record: CloudTrailRecord, key: string): string | undefined {
  const params = paramsOf(record);
  const top = nonEmpty(params[key]);
  if (top !== undefined) return top;
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Input') && isObject(value)) {
      const wrapped = nonEmpty(value[key]);
      if (wrapped !== undefined) return wrapped;
    }
  }
  return undefined;
}

/** A field of the response: the id of what a Create or Import call made. */
export const responseField = (record: CloudTrailRecord, key: string): string | undefined =>
  isObject(record.responseElements) ? nonEmpty(record.responseElements[key]) : undefined;

export const accountOf = (record: CloudTrailRecord): string | undefined =>
  nonEmpty(record.recipientAccountId) ?? nonEmpty(record.userIdentity.accountId);

/**
 * Tells a REST API call from an HTTP/WebSocket API call (same event source, shared names):
 * by the request's shape first (`restApiId`, v1's `template` flag and `*Input` wrappers vs
 * `apiId`), then by the SDK or CLI named in the user agent.
 */
export function generationOf(record: CloudTrailRecord): ApiGeneration | 'unknown' {
  if (record.eventSource !== 'apigateway.amazonaws.com') return 'unknown';
  const params = paramsOf(record);
  if ('restApiId' in params) return 'v1';
  if ('apiId' in params) return 'v2';
  if ('template' in params || Object.keys(params).some((key) => key.endsWith('Input'))) return 'v1';
  const userAgent = record.userAgent ?? '';
  if (/apigatewayv2/i.test(userAgent)) return 'v2';
  if (/api\/api-?gateway#|command#apigateway\./i.test(userAgent)) return 'v1';
  return 'unknown';
}

/** The account an event happened in: the EventBridge envelope's, else the CloudTrail record's. */
export const eventAccount = (event: ParsedEvent): string =>
  event.envelope?.account ?? accountOf(event.record) ?? '';

export interface PatchOperation {
  readonly op: string;
  /** A JSON Pointer; `/` inside a segment is written `~1`. */
  readonly path: string;
  readonly value?: string;
  readonly from?: string;
}

function findPatchOperations(value: unknown, depth: number): unknown[] | undefined {
  if (depth > 4 || !isObject(value)) return undefined;
  if (Array.isArray(value.patchOperations)) return value.patchOperations;
  for (const child of Object.values(value)) {
    const found = findPatchOperations(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The patch operations of a v1 Update* call, wherever CloudTrail puts them inside
 * `requestParameters` (unconfirmed), or [] when absent. Detail for messages only: the
 * resource is read afresh before it is judged.
 */
export function patchOperations(record: CloudTrailRecord): PatchOperation[] {
  const found = findPatchOperations(record.requestParameters, 0) ?? [];
  return found.flatMap((item): PatchOperation[] => {
    if (!isObject(item) || typeof item.op !== 'string' || typeof item.path !== 'string') return [];
    const asText = (v: unknown) =>
      v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
    const value = asText(item.value);
    const from = asText(item.from);
    return [
      {
        op: item.op,
        path: item.path,
        ...(value === undefined ? {} : { value }),
        ...(from === undefined ? {} : { from }),
      },
    ];
  });
}
