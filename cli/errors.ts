// The CLI's one error path: every failure a person can fix becomes ONE line that says what to do
// (exit 2); a closed stdout is the reader's choice (exit 0, silent); anything else is a bug
// (exit 70, EX_SOFTWARE from sysexits.h, with the stack behind --debug).

/** What kind of mistake or missing precondition stopped the command. Every kind exits 2. */
export type ProblemKind =
  | 'usage'
  | 'input'
  | 'file'
  | 'credentials'
  | 'network'
  | 'region'
  | 'permission'
  | 'service';

/** A failure the person running gatewatch can fix: exit code 2 and one line, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly kind: ProblemKind = 'usage',
  ) {
    super(message);
  }
}

export const EXIT = {
  ok: 0,
  /** A finding at or above --fail-on. */
  findings: 1,
  /** Usage, input, file, credential, network, region, permission or AWS service problems. */
  problem: 2,
  /** A bug in gatewatch (EX_SOFTWARE). */
  internal: 70,
} as const;

import { failedOperation, isNetworkError } from '../aws/clients';

// The names the AWS SDK v3 gives errors (smithy `name`), grouped by what the person must do.
const MISSING_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const REFUSED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId',
]);
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'WAFUnauthorizedException',
  'ForbiddenException',
]);
// Node's file system error codes, with what they mean to a person.
const FILE_CODES: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EINVAL: 'invalid argument',
};

interface ErrorShape {
  name?: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
  hostname?: string;
  address?: string;
  port?: number;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  $retryable?: unknown;
}

const shape = (error: unknown): ErrorShape =>
  typeof error === 'object' && error !== null ? (error as ErrorShape) : {};

/** The error itself and what it wraps (`cause`), outermost first. */
function* chain(error: unknown): Generator<ErrorShape> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    yield shape(current);
    current = shape(current).cause;
  }
}

const where = (link: ErrorShape) =>
  link.hostname ?? (link.address ? `${link.address}${link.port ? `:${link.port}` : ''}` : undefined);

/**
 * The one line to print for an error a person can act on, or undefined for a bug. Typed checks
 * only: the SDK's error names and `$metadata`, Node's error codes; never the message's wording.
 */
export function explain(error: unknown, command: string): UsageError | undefined {
  const prefix = `gatewatch ${command}`;
  if (error instanceof UsageError) return error;
  for (const link of chain(error)) {
    const name = link.name ?? '';
    if (MISSING_CREDENTIALS.has(name)) {
      return new UsageError(
        `${prefix}: no AWS credentials found. Set AWS_PROFILE (or --profile where the command has it), ` +
          'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`.',
        'credentials',
      );
    }
    if (REFUSED_CREDENTIALS.has(name)) {
      return new UsageError(
        `${prefix}: AWS refused the credentials (${name}): they are expired or wrong, or the region is an opt-in region ` +
          'not enabled for the account; refresh them (e.g. `aws sso login`) or enable the region, and run again.',
        'credentials',
      );
    }
    if (DENIED.has(name) || link.$metadata?.httpStatusCode === 403) {
      return new UsageError(
        `${prefix}: AWS denied a call (${name || 'HTTP 403'}): give the identity the permissions listed in the README (Permissions).`,
        'permission',
      );
    }
  }
  if (isNetworkError(error)) {
    const link = [...chain(error)].find((l) => l.code || l.name === 'TimeoutError') ?? {};
    const host = where(link);
    return new UsageError(
      `${prefix}: cannot reach AWS${host ? ` at ${host}` : ''} (${link.code ?? link.name}): check the network connection, proxy and --endpoint-url.`,
      'network',
    );
  }
  // Any other answer from AWS that gatewatch could not use, after the SDK's own retries.
  const answer = [...chain(error)].find((link) => link.$metadata !== undefined || link.$fault !== undefined);
  if (answer) {
    const status = answer.$metadata?.httpStatusCode;
    const call = failedOperation(answer) ?? failedOperation(error);
    const what = `${answer.name ?? 'Error'}${status ? `, HTTP ${status}` : ''}${call ? ` on ${call}` : ''}`;
    const transient =
      answer.$fault === 'server' || answer.$retryable !== undefined || (status ?? 0) >= 500 || status === 429;
    return new UsageError(
      transient
        ? `${prefix}: AWS is throttling or failing (${what}) even after retries; try again later, or lower --max-rate where the command has it.`
        : `${prefix}: AWS refused a call (${what}); check the region, the endpoint (--endpoint-url) and the resource.`,
      'service',
    );
  }
  const file = shape(error);
  const meaning = file.code ? FILE_CODES[file.code] : undefined;
  if (meaning && file.path !== undefined) {
    const verb = file.syscall === 'scandir' || file.syscall === 'opendir' ? 'list' : 'open';
    return new UsageError(`${prefix}: cannot ${verb} ${file.path}: ${meaning}.`, 'file');
  }
  return undefined;
}
