// The AWS Config evaluator: one Lambda function behind every gatewatch Config rule. This
// adapter parses the invocation and hands it to the evaluator (pipeline/config/evaluator.ts).
// An invocation that does not parse is logged, counted and thrown; a read that AWS denies is
// an evaluation that says so; anything else that fails is logged as an internal error and
// thrown, so Lambda retries and Config shows the rule's last failed invocation.
import { createHash } from 'node:crypto';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { accountAccessFromEnvironment } from '../aws/accounts';
import { processCallBudget } from '../aws/call-budget';
import { classifyError, regionAccessCache } from '../aws/clients';
import { SdkConfigApi } from '../aws/config/api';
import { idempotencyPersistence, type OnceBy, onceBy } from '../aws/stores/idempotency';
import { parseInvocation } from '../events/config-invocation';
import { LambdaLogger } from '../observe/log';
import { EmfMetrics, metricNames, serviceNames } from '../observe/metrics';
import { redactError } from '../observe/redact';
import { ReadCache } from '../pipeline/config/cache';
import { handleInvocation } from '../pipeline/config/evaluator';
import { ApiProtocols, CachedReads } from '../pipeline/config/reads';
import { ValidationError } from '../rules/core/validation';

const log = new LambdaLogger(serviceNames.config);
const metrics = new EmfMetrics(serviceNames.config);

/** Reads are shared for 30 s: the burst of invocations one change brings reads the resource once. */
export const READ_TTL_MS = 30_000;
const cache = new ReadCache(READ_TTL_MS);
const protocols = new ApiProtocols();

// Clients live as long as the execution environment, one set per region.
const regionAccess = regionAccessCache({ maxAttempts: 5, budget: processCallBudget() });
/**
 * For an organization (the central stack sets GATEWATCH_HOME_ACCOUNT): a member account's Config
 * rules invoke this function too; it reads and delivers evaluations there through the member's
 * gatewatch evaluator role (reads plus config:PutEvaluations).
 */
const evaluators = accountAccessFromEnvironment('evaluator', 'gatewatch-config');
const memberOf = (accountId: string) =>
  evaluators && accountId !== '' && !evaluators.isHome(accountId) ? evaluators : undefined;

const configApis = new Map<string, SdkConfigApi>();
const configApi = (region: string, accountId = '') => {
  const member = memberOf(accountId);
  const key = member ? `${accountId}|${region}` : region;
  let api = configApis.get(key);
  if (!api) {
    api = member
      ? new SdkConfigApi(
          member.regionAccess(accountId, region).pacer.attach(
            new ConfigServiceClient({
              region,
              maxAttempts: 5,
              credentials: () => member.credentials(accountId, region),
            }),
            'config',
          ),
        )
      : new SdkConfigApi(
          regionAccess(region).pacer.attach(new ConfigServiceClient({ region, maxAttempts: 5 }), 'config'),
        );
    configApis.set(key, api);
  }
  return api;
};

/**
 * Once per invocation (Powertools idempotency, keyed by the result token's digest): Lambda's
 * retry of an invocation that completed, or Config invoking twice, does not read and put again.
 * The stack names the table; a run without one (tests of the evaluator alone) evaluates every time.
 */
let once: OnceBy | undefined;
function evaluatedOnce(): OnceBy {
  const table = process.env.BASELINE_TABLE;
  if (!table) return (_key, work) => work();
  once ??= onceBy(idempotencyPersistence(new DynamoDBClient({}), table, 'config'), 'config');
  return once;
}

export async function handler(event: unknown, context?: Context): Promise<{ readonly evaluations: number }> {
  log.addContext(context);
  try {
    return await evaluate(event, context);
  } finally {
    metrics.publish();
  }
}

async function evaluate(event: unknown, context?: Context): Promise<{ readonly evaluations: number }> {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(event);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    metrics.add(metricNames.inputRejected, 1, 'Count', { input: 'Config rule event' });
    log.log('error', 'invocation rejected: it does not parse', { problem: error.message });
    throw error;
  }
  const region = invocation.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const { accountId } = invocation.event;
  const member = memberOf(accountId);
  try {
    // The invocation's id on every line: a digest of its result token (kilobytes, and a grant to
    // put evaluations), the same for Lambda's retries of the invocation.
    const invocationId = createHash('sha256').update(invocation.event.resultToken).digest('hex').slice(0, 16);
    return await log.handling('invocationId', invocationId, () =>
      evaluatedOnce()(
        invocationId,
        async () => {
          const result = await handleInvocation(invocation, {
            reads: new CachedReads(
              member ? member.forAccount(accountId) : regionAccess,
              accountId,
              configApi(region, accountId),
              cache,
              protocols,
            ),
            config: configApi(region, accountId),
            log,
            metrics,
            region,
          });
          return { evaluations: result.evaluations.length };
        },
        context,
      ),
    );
  } catch (error) {
    const denied = classifyError(error).kind === 'denied';
    log.log('error', denied ? 'access denied' : 'internal error', {
      configRuleName: invocation.event.configRuleName,
      errorKind: denied ? 'access-denied' : 'internal',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    metrics.add(metricNames.evaluationErrors, 1, 'Count', { ruleId: 'config-evaluator' });
    // Lambda logs what is thrown: an AWS error may echo a request's credential.
    throw redactError(error);
  }
}
