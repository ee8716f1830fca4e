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
