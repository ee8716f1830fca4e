// Nothing secret leaves gatewatch in a message. Verdicts carry no credentials by design (the
// actor is a principal ARN, never the access key of the CloudTrail record; rules name suspicious
// stage variables, never their values), and this is the last line: any string that looks like a
// credential is replaced before a message is rendered.

const SECRET_SHAPES: readonly RegExp[] = [
  // AWS access key ids (long-term and temporary).
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // Slack incoming-webhook and workflow URLs, Slack tokens.
  /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[^\s"'<>|]+/g,
  /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g,
  // PEM private keys.
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
  // Passwords in URLs: keep the scheme and host, drop the user info.
  /(?<=[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi,
  // Bearer tokens.
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return SECRET_SHAPES.reduce((result, shape) => result.replace(shape, REDACTED), text);
}

/** A copy of `value` with every string redacted. */
export function redactSecrets<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactSecrets(item)])) as T;
  }
  return value;
}

/**
 * The error, its message and stack redacted in place (its class, name and other fields kept): a
 * function throws it to Lambda, which logs both. AWS error messages may echo what a request
 * carried (an IncompleteSignature error its Credential, a proxy its URL). Its causes too: a
 * Powertools idempotency error carries the table's error as its `cause`.
 */
export function redactError<T>(error: T): T {
  return redactErrorChain(error, new Set());
}

function redactErrorChain<T>(error: T, seen: Set<unknown>): T {
  if (!(error instanceof Error) || seen.has(error)) return error;
  seen.add(error);
  redactErrorChain(error.cause, seen);
  for (const key of ['message', 'stack'] as const) {
    const text = error[key];
    if (typeof text !== 'string') continue;
    const clean = redactText(text);
    if (clean === text) continue;
    try {
      error[key] = clean;
    } catch {
      // A frozen error keeps its text; the log line that reports it is redacted anyway.
    }
  }
  return error;
}
