// How errors become exit codes and one line: typed checks on the SDK's error names, `$metadata`
// and Node's error codes, and exit 70 with a pointer to --debug for anything else (a bug).
import { explain } from '../../cli/errors';
import { main } from '../../cli/main';
import { capture } from '../support/capture';

jest.mock('../../rules/core/summary', () => ({
  ...jest.requireActual('../../rules/core/summary'),
  summarise: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'kind')");
  },
}));

const sdkError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('the SDK says something'), { name, $metadata: {}, ...extra });

describe('explain', () => {
  it.each([
    [
      'CredentialsProviderError',
      sdkError('CredentialsProviderError'),
      'credentials',
      /no AWS credentials found/,
    ],
    [
      'ExpiredToken',
      sdkError('ExpiredToken', { $metadata: { httpStatusCode: 403 } }),
      'credentials',
      /refused the credentials \(ExpiredToken\)/,
    ],
    ['AccessDeniedException', sdkError('AccessDeniedException'), 'permission', /AWS denied a call/],
    [
      'HTTP 403 without a known name',
      sdkError('SomethingNew', { $metadata: { httpStatusCode: 403 } }),
      'permission',
      /denied/,
    ],
    [
      'ENOTFOUND',
      Object.assign(new Error('getaddrinfo'), {
        code: 'ENOTFOUND',
        hostname: 'apigateway.eu-west-1.amazonaws.com',
      }),
      'network',
      /cannot reach AWS at apigateway\.eu-west-1\.amazonaws\.com \(ENOTFOUND\)/,
    ],
    [
      'ETIMEDOUT inside a cause',
      new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }),
      'network',
      /\(ETIMEDOUT\)/,
    ],
    ['TimeoutError', sdkError('TimeoutError'), 'network', /\(TimeoutError\)/],
    [
      'ThrottlingException after retries',
      sdkError('ThrottlingException', {
        $metadata: { httpStatusCode: 400 },
        $retryable: { throttling: true },
      }),
      'service',
      /AWS is throttling or failing \(ThrottlingException, HTTP 400\) even after retries; try again later/,
    ],
    [
      'ServiceUnavailableException',
      sdkError('ServiceUnavailableException', { $fault: 'server', $metadata: { httpStatusCode: 503 } }),
      'service',
      /try again later/,
    ],
    [
      'NotFoundException',
      sdkError('NotFoundException', { $fault: 'client', $metadata: { httpStatusCode: 404 } }),
      'service',
      /AWS refused a call \(NotFoundException, HTTP 404\)/,
    ],
    [
      'ENOENT',
      Object.assign(new Error('x'), { code: 'ENOENT', syscall: 'open', path: 'missing.json' }),
      'file',
      /cannot open missing\.json: no such file or folder/,
    ],
  ])('%s', (_what, error, kind, message) => {
    const problem = explain(error, 'scan');

    expect(problem?.kind).toBe(kind);
    expect(problem?.message).toMatch(message);
    expect(problem?.message).not.toContain('the SDK says something');
  });

  it('has nothing to say about a bug', () => {
    expect(explain(new TypeError('x is undefined'), 'scan')).toBeUndefined();
  });
});

describe('an internal error', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());
  const written = () => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');

  it('exits 70 with one line pointing to --debug, no stack trace', async () => {
    const code = await main(['rules', '--format', 'json'], capture());

    expect(code).toBe(70);
    expect(written()).toBe(
      "gatewatch rules: internal error (TypeError: Cannot read properties of undefined (reading 'kind')). " +
        'This is a bug in gatewatch: run again with --debug for the stack trace, and report it.\n',
    );
  });

  it('shows the stack trace with --debug', async () => {
    const code = await main(['rules', '--format', 'json', '--debug'], capture());

    expect(code).toBe(70);
    expect(written()).toMatch(/^TypeError: Cannot read properties[^\n]*\n\s+at /);
  });
});
