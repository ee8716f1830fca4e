// The functions' logger (Powertools underneath): gatewatch's line shape, the Lambda request id and
// the id being handled on every line, the level from POWERTOOLS_LOG_LEVEL, and nothing secret.
import type { Context } from 'aws-lambda';
import { LambdaLogger } from '../../observe/log';
import { REDACTED, redactError } from '../../observe/redact';

const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const WEBHOOK = 'https://hooks.slack.com/services/T0EXAMPLE1/B0EXAMPLE1/abcdefghijklmnopqrstuvwx';

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'Gatewatch-DriftHandler',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:Gatewatch-DriftHandler',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/Gatewatch-DriftHandler',
  logStreamName: '2026/11/23/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

function logger() {
  const lines: string[] = [];
  const log = new LambdaLogger('gatewatch-drift', (line) => lines.push(line));
  return { log, lines, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const savedLevel = process.env.POWERTOOLS_LOG_LEVEL;
afterEach(() => {
  if (savedLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = savedLevel;
});

it('writes gatewatch lines with the request id and the event being handled, and drops the key after', async () => {
  const { log, parsed } = logger();
  log.addContext(context);

  await log.handling('eventId', '3b8e4f10-6d2c-4a7e-b5f9-000000000001', async () => {
    log.log('warn', 'verdict', { ruleId: 'rest-stage-waf-attached' });
  });
  log.log('info', 'batch handled');

  const [during, after] = parsed();
  expect(during).toMatchObject({
    level: 'warn',
    service: 'gatewatch-drift',
    message: 'verdict',
    requestId: context.awsRequestId,
    functionName: context.functionName,
    eventId: '3b8e4f10-6d2c-4a7e-b5f9-000000000001',
    ruleId: 'rest-stage-waf-attached',
  });
  expect(typeof during?.time).toBe('string');
  expect(after).toMatchObject({ level: 'info', requestId: context.awsRequestId });
  expect(after).not.toHaveProperty('eventId');
});

it('redacts every secret-shaped string: message, fields, nested values and a logged error', () => {
  const { log, lines } = logger();
  const error = new Error(`IncompleteSignature: Credential=${ACCESS_KEY}/20261123/eu-west-1`);

  log.log('error', `posting to ${WEBHOOK} failed`, {
    problem: `Credential=${ACCESS_KEY}`,
    nested: { urls: [WEBHOOK] },
    error,
  });

  const text = lines.join('\n');
  expect(text).not.toContain(ACCESS_KEY);
  expect(text).not.toContain('hooks.slack.com/services/');
  expect(text).toContain(REDACTED);
  expect(JSON.parse(lines[0] as string).error).toMatchObject({ name: 'Error' });
});

it('takes its level from POWERTOOLS_LOG_LEVEL', () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const { log, parsed } = logger();

  log.log('info', 'not written');
  log.log('warn', 'written');

  expect(parsed().map((line) => line.message)).toEqual(['written']);
});

it('redacts a thrown error in place, with the errors it was caused by', () => {
  const tableError = new Error('not authorized Credential=AKIAGATEWATCHFAKE001/20261123');
  const wrapped = new Error('Failed to delete record from idempotency store', { cause: tableError });

  expect(redactError(wrapped)).toBe(wrapped);

  expect(wrapped.message).toBe('Failed to delete record from idempotency store');
  expect(tableError.message).toBe(`not authorized Credential=${REDACTED}/20261123`);
  expect(tableError.stack).not.toContain('AKIAGATEWATCHFAKE001');
});
