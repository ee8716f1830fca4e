// What a useful access log is, shared by the REST and HTTP/WebSocket access-logging rules.
import type { AccessLogSettings } from './resources';
import { listSome } from './text';

/** Problems with an access log setting, in words; empty when it is fine. */
export function accessLogProblems(
  accessLog: AccessLogSettings | null,
  expectation: { readonly requireJson: boolean; readonly requiredVariables: readonly string[] },
): string[] {
  if (!accessLog?.destinationArn) return ['access logging is off (no destination)'];
  const problems: string[] = [];
  if (accessLog.destinationMissing) problems.push('the access log destination log group no longer exists');
  if (!accessLog.format) problems.push('the access log has no format');
  else if (expectation.requireJson && !isJsonFormat(accessLog.format)) {
    problems.push('the access log format is not JSON, so log queries cannot parse it reliably');
  }
  const missing = expectation.requiredVariables.filter((variable) => !accessLog.format?.includes(variable));
  if (missing.length > 0) problems.push(`the access log format lacks ${listSome(missing, 2)}`);
  return problems;
}

/** A format is JSON when it parses as a JSON object once its `$context` variables are filled in. */
export function isJsonFormat(format: string): boolean {
  const filled = format.replace(/\$context\.[A-Za-z0-9_.]+/g, '1');
  try {
    const parsed: unknown = JSON.parse(filled);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

// ─── The formats remediation sets ───────────────────────────────────────────────────────

export const REST_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
};

export const HTTP_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
};

export const WEBSOCKET_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  ...HTTP_ACCESS_LOG_FIELDS,
  eventType: '$context.eventType',
  connectionId: '$context.connectionId',
};

/** A JSON access log format with the usual fields and every required variable. */
export function jsonAccessLogFormat(
  fields: Readonly<Record<string, string>>,
  required: readonly string[],
): string {
  const all = { ...fields };
  const present = new Set(Object.values(all));
  for (const variable of required) {
    if (present.has(variable)) continue;
    all[variable.replace(/^\$context\./, '').replace(/[^A-Za-z0-9]+/g, '_')] = variable;
    present.add(variable);
  }
  return JSON.stringify(all);
}

/** The stage's destination when it still exists, else the configured one. */
export function destinationOf(accessLog: AccessLogSettings | null, configured: string | undefined) {
  if (accessLog?.destinationArn && !accessLog.destinationMissing) return accessLog.destinationArn;
  return configured;
}
