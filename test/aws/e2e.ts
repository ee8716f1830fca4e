// The end-to-end test against a real AWS account (`npm run test:aws`; never part of `npm test`).
// It deploys the Gatewatch stack into a sandbox account, creates a throwaway REST API with a web
// ACL and execution logging, waits until gatewatch knows it compliant, then detaches the web ACL
// and turns logging off, and asserts within a time bound:
//   1. the alert: a message on the gatewatch topic naming both drifts (through an SQS queue it subscribes);
//   2. the AWS Config evaluation: the stage evaluated by gatewatch-rest-stage-waf-attached after the drift;
//   3. the repair (remediation on for those two rules, off everywhere else): the web ACL back, logging back on.
// Everything it created is removed in a `finally`, the stack with `cdk destroy` and the retained table.
//
// It skips, with exit code 0 and a message saying why, when no AWS credentials answer within a few
// seconds, when CI=true unless GATEWATCH_E2E=1, and unless GATEWATCH_E2E_ACCOUNT names the account
// the credentials belong to (it deploys and remediates there: the account must be a sandbox).
// Environment: AWS_REGION (or AWS_DEFAULT_REGION), GATEWATCH_E2E_ACCOUNT, GATEWATCH_E2E_MINUTES
// (the bound for each wait, default 15).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  DeleteRestApiCommand,
  GetAccountCommand,
  GetResourcesCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  GetComplianceDetailsByResourceCommand,
} from '@aws-sdk/client-config-service';
import { DeleteTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AssociateWebACLCommand,
  CreateWebACLCommand,
  DeleteWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';

const ROOT = join(__dirname, '..', '..');
const STACK = 'Gatewatch';
const STAGE = 'e2e';
const CREDENTIALS_TIMEOUT_MS = 8_000;

// ─── Whether to run at all ──────────────────────────────────────────────────────────────

export type Preflight =
  | { readonly run: false; readonly message: string }
  | { readonly run: true; readonly account: string; readonly arn: string; readonly region: string };

/**
 * Decides whether the end-to-end test may run here: not in CI unless asked, only with
 * credentials that answer, and only in the account the operator confirmed as a sandbox.
 */
export async function preflight(
  env: NodeJS.ProcessEnv,
  sts: Pick<STSClient, 'send'> | ((region: string) => Pick<STSClient, 'send'>) = (region) =>
    new STSClient({ region, maxAttempts: 1 }),
  timeoutMs = CREDENTIALS_TIMEOUT_MS,
): Promise<Preflight> {
  if (env.CI === 'true' && env.GATEWATCH_E2E !== '1') {
    return {
      run: false,
      message: 'skipped: CI=true (set GATEWATCH_E2E=1 to run the AWS end-to-end test in CI)',
    };
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) return { run: false, message: 'skipped: no AWS region (set AWS_REGION)' };
  const client = typeof sts === 'function' ? sts(region) : sts;
  let identity: { Account?: string; Arn?: string };
  try {
    identity = await withTimeout(client.send(new GetCallerIdentityCommand({})), timeoutMs);
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { run: false, message: `skipped: no AWS credentials (${why.split('\n')[0]})` };
  }
  const account = identity.Account ?? '';
  if (env.GATEWATCH_E2E_ACCOUNT !== account) {
    return {
      run: false,
      message:
        `skipped: the credentials are for account ${account} (${identity.Arn}); the test deploys gatewatch there and ` +
        `repairs drift on its APIs. If it is a sandbox, run again with GATEWATCH_E2E_ACCOUNT=${account}.`,
    };
  }
  return { run: true, account, arn: identity.Arn ?? '', region };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms / 1000} s`), { name: 'TimeoutError' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ─── The test ───────────────────────────────────────────────────────────────────────────

interface Clients {
  readonly apigateway: APIGatewayClient;
  readonly wafv2: WAFV2Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly config: ConfigServiceClient;
  readonly dynamodb: DynamoDBClient;
}

interface Created {
  apiId?: string;
  webAcl?: { name: string; id: string; arn: string };
  queueUrl?: string;
  subscriptionArn?: string;
  deployed?: boolean;
  tableName?: string;
  previousCloudWatchRole?: string | null;
}

const log = (message: string) => process.stdout.write(`[e2e ${new Date().toISOString()}] ${message}\n`);

/** Polls `check` every `everyMs` until it returns a value, or fails after `minutes`. */
async function waitFor<T>(
  what: string,
  minutes: number,
  check: () => Promise<T | undefined>,
  everyMs = 15_000,
) {
  const deadline = Date.now() + minutes * 60_000;
  const started = Date.now();
  for (;;) {
    const found = await check();
    if (found !== undefined) {
      log(`${what}: after ${Math.round((Date.now() - started) / 1000)} s`);
      return found;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${minutes} minutes`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

function cdk(args: string[], minutes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', ...args], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), minutes * 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`cdk ${args[0]} exited with ${code}`));
    });
  });
}

export async function run(target: Extract<Preflight, { run: true }>, minutes: number): Promise<void> {
  const { region, account } = target;
  const clients: Clients = {
    apigateway: new APIGatewayClient({ region }),
    wafv2: new WAFV2Client({ region }),
    sqs: new SQSClient({ region }),
    sns: new SNSClient({ region }),
    config: new ConfigServiceClient({ region }),
    dynamodb: new DynamoDBClient({ region }),
  };
  const work = mkdtempSync(join(tmpdir(), 'gatewatch-e2e-'));
  const created: Created = {};
  const suffix = Date.now().toString(36);
  try {
    // Deploy: remediation on for the two rules the test drifts, notify only for everything else.
    const settingsPath = join(work, 'settings.json');
    writeFileSync(
      settingsPath,
      JSON.stringify({
        dryRun: false,
        defaultMode: 'notify',
        rules: {
          'rest-stage-waf-attached': { mode: 'remediate' },
          'rest-stage-execution-logging': { mode: 'remediate' },
        },
        sweep: { everyHours: 0 },
        notifications: { dedupWindowMinutes: 0 },
      }),
    );
    const recorders = await clients.config.send(new DescribeConfigurationRecordersCommand({}));
    const hasRecorder = (recorders.ConfigurationRecorders ?? []).length > 0;
    const outputsPath = join(work, 'outputs.json');
    log(`deploying ${STACK} into ${account} ${region}${hasRecorder ? '' : ' with its own Config recorder'}`);
    created.deployed = true;
    await cdk(
      [
        'deploy',
        STACK,
        '--require-approval',
        'never',
        '-c',
        `settings=${settingsPath}`,
        ...(hasRecorder ? [] : ['-c', 'createConfigRecorder=true']),
        '--outputs-file',
        outputsPath,
      ],
      40,
    );
    const outputs = (JSON.parse(readFileSync(outputsPath, 'utf8')) as Record<string, Record<string, string>>)[
      STACK
    ];
    const output = (prefix: string) => {
      const key = Object.keys(outputs ?? {}).find((name) => name.startsWith(prefix));
      if (!key || !outputs?.[key]) throw new Error(`the stack has no output ${prefix}`);
      return outputs[key];
    };
    const topicArn = output('NotificationsTopicArn');
    created.tableName = output('BaselineTableName');

    // Listen to the topic through a queue.
    const queue = await clients.sqs.send(
      new CreateQueueCommand({
        QueueName: `gatewatch-e2e-${suffix}`,
        Attributes: { SqsManagedSseEnabled: 'true' },
      }),
    );
    created.queueUrl = queue.QueueUrl;
    const queueArn = (
      await clients.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn;
    await clients.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.QueueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'sns.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
                Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
              },
            ],
          }),
        },
      }),
    );
    created.subscriptionArn = (
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          ReturnSubscriptionArn: true,
        }),
      )
    ).SubscriptionArn;

    // API Gateway needs a CloudWatch Logs role for execution logging: the stack's, if the account has none.
    const accountSettings = await clients.apigateway.send(new GetAccountCommand({}));
    created.previousCloudWatchRole = accountSettings.cloudwatchRoleArn ?? null;
    if (!accountSettings.cloudwatchRoleArn) {
      await clients.apigateway.send(
        new UpdateAccountCommand({
          patchOperations: [
            { op: 'replace', path: '/cloudwatchRoleArn', value: output('ApiGatewayCloudWatchRoleArn') },
          ],
        }),
      );
    }

    // The throwaway API: one mock method, a stage with execution logging, a web ACL.
    const api = await clients.apigateway.send(
      new CreateRestApiCommand({
        name: `gatewatch-e2e-${suffix}`,
        description: 'Throwaway API of the gatewatch end-to-end test; deleted when it ends.',
        endpointConfiguration: { types: ['REGIONAL'] },
      }),
    );
    created.apiId = api.id;
    const restApiId = api.id as string;
    const root = (await clients.apigateway.send(new GetResourcesCommand({ restApiId }))).items?.[0]
      ?.id as string;
    await clients.apigateway.send(
      new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'AWS_IAM' }),
    );
    await clients.apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId: root,
        httpMethod: 'GET',
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await clients.apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: STAGE }));
    await clients.apigateway.send(
      new UpdateStageCommand({
        restApiId,
        stageName: STAGE,
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }],
      }),
    );
    const webAcl = await clients.wafv2.send(
      new CreateWebACLCommand({
        Name: `gatewatch-e2e-${suffix}`,
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: [],
        VisibilityConfig: {
          SampledRequestsEnabled: false,
          CloudWatchMetricsEnabled: false,
          MetricName: `gatewatch-e2e-${suffix}`,
        },
      }),
    );
    const summary = webAcl.Summary;
    created.webAcl = { name: summary?.Name ?? '', id: summary?.Id ?? '', arn: summary?.ARN ?? '' };
    const stageArn = `arn:aws:apigateway:${region}::/restapis/${restApiId}/stages/${STAGE}`;
    // A new web ACL can take a moment before it may be associated.
    await waitFor(
      'web ACL attached',
      3,
      async () => {
        try {
          await clients.wafv2.send(
            new AssociateWebACLCommand({ WebACLArn: created.webAcl?.arn, ResourceArn: stageArn }),
          );
          return true;
        } catch (error) {
          if ((error as Error).name === 'WAFUnavailableEntityException') return undefined;
          throw error;
        }
      },
      5_000,
    );

    // gatewatch learns the stage compliant from the events of its creation.
    await waitFor('gatewatch knows the stage compliant', minutes, async () => {
      const item = await clients.dynamodb.send(
        new GetItemCommand({
          TableName: created.tableName,
          Key: { pk: { S: stageArn }, sk: { S: 'state' } },
          ConsistentRead: true,
        }),
      );
      const entry = item.Item?.entry?.S ? JSON.parse(item.Item.entry.S) : undefined;
      const rules = entry?.rules ?? {};
      return rules['rest-stage-waf-attached']?.status === 'COMPLIANT' &&
        rules['rest-stage-execution-logging']?.status === 'COMPLIANT'
        ? true
        : undefined;
    });

    // The drift.
    const driftAt = new Date();
    log('drift: detaching the web ACL and turning execution logging off');
    await clients.wafv2.send(new DisassociateWebACLCommand({ ResourceArn: stageArn }));
    await clients.apigateway.send(
      new UpdateStageCommand({
        restApiId,
        stageName: STAGE,
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }],
      }),
    );

    // 1. The alert: both drifts announced (in one message or two).
    const announced = new Set<string>();
    await waitFor(
      'the alert',
      minutes,
      async () => {
        const received = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: created.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 10,
          }),
        );
        for (const message of received.Messages ?? []) {
          for (const finding of notifiedFindings(message.Body)) {
            // Announced as drift, or as remediated when the repair came first: either way, news of the drift.
            if (finding.resource?.arn === stageArn && finding.change === 'new')
              announced.add(finding.ruleId ?? '');
          }
        }
        return announced.size === 2 ? true : undefined;
      },
      1_000,
    );

    // 2. The AWS Config evaluation of the stage after the drift.
    await waitFor('the AWS Config evaluation', minutes, async () => {
      const details = await clients.config.send(
        new GetComplianceDetailsByResourceCommand({
          ResourceType: 'AWS::ApiGateway::Stage',
          ResourceId: stageArn,
        }),
      );
      return (details.EvaluationResults ?? []).some(
        (result) =>
          result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ConfigRuleName ===
            'gatewatch-rest-stage-waf-attached' &&
          (result.ResultRecordedTime?.getTime() ?? 0) > driftAt.getTime(),
      )
        ? true
        : undefined;
    });

    // 3. The repair.
    await waitFor('the repair', minutes, async () => {
      const stage = await clients.apigateway.send(new GetStageCommand({ restApiId, stageName: STAGE }));
      const level = stage.methodSettings?.['*/*']?.loggingLevel;
      return stage.webAclArn === created.webAcl?.arn && level !== undefined && level !== 'OFF'
        ? true
        : undefined;
    });
    log('passed: alert, AWS Config evaluation and repair');
  } finally {
    await teardown(clients, created, region);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The findings of a gatewatch message as SNS delivers it to SQS: the JSON document after its marker line. */
function notifiedFindings(
  body: string | undefined,
): { ruleId?: string; change?: string; resource?: { arn?: string } }[] {
  try {
    const text = (JSON.parse(body ?? '{}') as { Message?: string }).Message ?? '';
    const document = text.split('--- gatewatch.notification (JSON) ---')[1];
    return document ? ((JSON.parse(document) as { findings?: [] }).findings ?? []) : [];
  } catch {
    return [];
  }
}

/** Removes everything the test created; each step on its own, so one failure does not leave the rest. */
async function teardown(clients: Clients, created: Created, region: string): Promise<void> {
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
      log(`teardown: ${what}`);
    } catch (error) {
      log(
        `teardown: ${what} FAILED (${(error as Error).name}: ${(error as Error).message}); remove it by hand`,
      );
    }
  };
  if (created.apiId) {
    const restApiId = created.apiId;
    await step(`API ${restApiId} deleted`, () =>
      clients.apigateway.send(new DeleteRestApiCommand({ restApiId })),
    );
  }
  if (created.webAcl) {
    const { name, id } = created.webAcl;
    await step(`web ACL ${name} deleted`, async () => {
      const { LockToken } = await clients.wafv2.send(
        new GetWebACLCommand({ Name: name, Id: id, Scope: 'REGIONAL' }),
      );
      await clients.wafv2.send(new DeleteWebACLCommand({ Name: name, Id: id, Scope: 'REGIONAL', LockToken }));
    });
  }
  if (created.subscriptionArn) {
    const arn = created.subscriptionArn;
    await step('topic subscription removed', () =>
      clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: arn })),
    );
  }
  if (created.queueUrl) {
    const url = created.queueUrl;
    await step('queue deleted', () => clients.sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  }
  if (created.previousCloudWatchRole === null) {
    // The account had no CloudWatch Logs role: do not leave it pointing at a role the stack deletes.
    await step(`API Gateway account settings in ${region} restored`, () =>
      clients.apigateway.send(
        new UpdateAccountCommand({
          patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: '' }],
        }),
      ),
    );
  }
  if (created.deployed) {
    await step(`stack ${STACK} destroyed`, () => cdk(['destroy', STACK, '--force'], 30));
  }
  if (created.tableName) {
    const name = created.tableName;
    await step(`retained table ${name} deleted`, () =>
      clients.dynamodb.send(new DeleteTableCommand({ TableName: name })),
    );
  }
  log(
    'teardown: kept by design — the functions’ log groups and, if the test created the Config recorder, its history bucket; delete them by hand if you wish',
  );
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const decided = await preflight(env);
  if (!decided.run) {
    process.stdout.write(`gatewatch AWS end-to-end test ${decided.message}\n`);
    return 0;
  }
  const minutes = Number(env.GATEWATCH_E2E_MINUTES ?? 15);
  log(`running as ${decided.arn} in ${decided.region}, waiting at most ${minutes} minutes for each step`);
  try {
    await run(decided, minutes);
    return 0;
  } catch (error) {
    process.stderr.write(`gatewatch AWS end-to-end test FAILED: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
