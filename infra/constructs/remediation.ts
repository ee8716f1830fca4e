// Guarded auto-remediation: the drift function sends its news to the verdicts queue; the
// remediator function — the only gatewatch function that writes to API Gateway or WAF, with
// its own role holding exactly the actions the rule declarations list — consumes it, and
// sends every verdict on, annotated, to the notifications queue. Failing messages are retried
// and then dead-lettered. The CloudWatch Logs role API Gateway needs for execution and access
// logs is deployed here too: remediation sets it in the account settings when they name none,
// and it stays when the stack is deleted (apiGatewayLogsRole says why).
import { Duration, Fn, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { serviceNames } from '../../observe/metrics';
import { type Conditions, remediationGrants, remediationGuards } from '../../pipeline/remediate/permissions';
import { catalog } from '../../rules/index';
import { deploymentSettings } from '../settings';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { type QueueAccess, restrictQueue } from './queue-access';
import { acknowledgeWildcards, grantAccountWide, grantResourceReads, inRegions } from './read-permissions';

/** How long the remediator may take on one batch; the queue hides a message six times as long. */
const TIMEOUT = Duration.minutes(2);

export interface RemediationProps {
  readonly baselineTable: dynamodb.ITable;
  /** The drift function, which sends its news to the verdicts queue. */
  readonly driftFunction: lambda.Function;
  /** Where annotated verdicts go for notification; created here when not given. */
  readonly notificationsQueue?: sqs.IQueue;
}

export class Remediation extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly verdictsQueue: sqs.Queue;
  /** Who may send to and receive from the verdicts queue: the drift function, the remediator (add the sweep). */
  readonly verdictsAccess: QueueAccess;
  readonly notificationsQueue: sqs.IQueue;
  /** The role API Gateway writes execution and access logs with (account settings). */
  readonly cloudWatchRole: iam.Role;

  constructor(scope: Construct, id: string, props: RemediationProps) {
    super(scope, id);
    const { settings } = deploymentSettings(this);

    const verdicts = encryptedQueue(this, 'Verdicts', {
      visibilityTimeout: Duration.seconds(TIMEOUT.toSeconds() * 6),
      purpose: 'verdict messages the remediator failed on three times',
    });
    this.verdictsQueue = verdicts.queue;
    const notifications = props.notificationsQueue
      ? undefined
      : encryptedQueue(this, 'Notifications', {
          visibilityTimeout: Duration.minutes(6),
          purpose: 'verdict messages the notifier failed on three times',
        });
    this.notificationsQueue = props.notificationsQueue ?? (notifications as { queue: sqs.Queue }).queue;

    this.cloudWatchRole = apiGatewayLogsRole(this, 'ApiGatewayCloudWatchRole', settings.regions);

    const remediator = gatewatchFunction(this, 'Handler', {
      entry: 'handlers/remediate.ts',
      service: serviceNames.remediate,
      description:
        'gatewatch remediation: repairs what the settings allow on API Gateway resources that drifted, and reports every action',
      timeout: TIMEOUT,
      environment: {
        BASELINE_TABLE: props.baselineTable.tableName,
        NOTIFICATIONS_QUEUE_URL: this.notificationsQueue.queueUrl,
        CLOUDWATCH_ROLE_ARN: this.cloudWatchRole.roleArn,
      },
    });
    this.function = remediator.function;
    this.role = remediator.role;
    // Changes made by this role are gatewatch's own: never remediated again (no loops).
    this.function.addEnvironment('GATEWATCH_ROLE_ARN', this.role.roleArn);

    // Reads, to judge a resource again just before acting on it.
    grantResourceReads(this.role);
    // Writes: exactly what the rule declarations list, on what their calls change.
    const configuredRole = settings.rules['account-cloudwatch-role']?.parameters?.roleArn;
    const passableRoles = [
      this.cloudWatchRole.roleArn,
      ...(typeof configuredRole === 'string' ? [configuredRole] : []),
    ];
    grantRemediation(this.role, passableRoles, settings.regions);
    props.baselineTable.grantReadWriteData(this.role);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.notificationsQueue.queueArn],
      }),
    );
    this.function.addEventSource(
      new SqsEventSource(this.verdictsQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // A few environments at once: its calls take from the account's call budget anyway.
        maxConcurrency: 2,
      }),
    );

    // The drift function only sends to the verdicts queue.
    props.driftFunction.addEnvironment('VERDICTS_QUEUE_URL', this.verdictsQueue.queueUrl);
    props.driftFunction.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.verdictsQueue.queueArn] }),
    );

    // Nobody else sends verdicts, takes them or empties the queues (queue-access.ts).
    this.verdictsAccess = restrictQueue(this.verdictsQueue, {
      senders: [props.driftFunction.role as iam.IRole],
      consumers: [this.role],
    });
    restrictQueue(verdicts.deadLetters);
    if (notifications) {
      restrictQueue(notifications.queue, { senders: [this.role] });
      restrictQueue(notifications.deadLetters);
    }
  }
}

/**
 * Exactly the declared remediation actions (pipeline/remediate/permissions.ts), one statement
 * per call, on what the calls change, in `regions` (the stack's own when empty), each wildcard
 * acknowledged by its exact finding; and the guard: Deny statements for every write the calls do
 * not make, in a managed policy of their own.
 */
export function grantRemediation(
  role: iam.Role,
  passableRoles: readonly string[],
  regions: readonly string[] = [],
): void {
  const expand = (arn: string) => (Token.isUnresolved(arn) ? [arn] : inRegions(arn, regions));
  // Patterns are `Fn::Sub` text; role ARNs are tokens already.
  const sub = (arn: string) => (!Token.isUnresolved(arn) && arn.includes('${') ? Fn.sub(arn) : arn);
  const grants = remediationGrants(catalog, { passableRoles });
  for (const grant of grants) {
    const conditions = grant.conditions && conditionsIn(grant.conditions, (value) => expand(value).map(sub));
    if (grant.resources.includes('*')) {
      grantAccountWide(role, grant.sid, {
        actions: grant.actions,
        reason: grant.reason,
        ...(conditions ? { conditions } : {}),
      });
      continue;
    }
    const resources = grant.resources.flatMap(expand);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: grant.sid,
        actions: [...grant.actions],
        resources: resources.map(sub),
        ...(conditions ? { conditions } : {}),
      }),
    );
    acknowledgeWildcards(
      role,
      resources.filter((arn) => !Token.isUnresolved(arn)),
      grant.reason,
    );
  }
  new iam.ManagedPolicy(role, 'Guard', {
    description:
      'gatewatch remediator guard: denies every API Gateway and WAF write its rule declarations do not make',
    roles: [role],
    statements: remediationGuards(grants).map(
      (guard) =>
        new iam.PolicyStatement({
          sid: guard.sid,
          effect: iam.Effect.DENY,
          actions: [...guard.actions],
          ...(guard.notResources
            ? { notResources: [...guard.notResources] }
            : { resources: [...(guard.resources ?? [])] }),
        }),
    ),
  });
}

/** The same conditions with each string value mapped (regions expanded, `Fn::Sub` applied). */
function conditionsIn(
  conditions: Conditions,
  map: (value: string) => unknown[],
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(conditions).map(([operator, keys]) => [
      operator,
      Object.fromEntries(
        Object.entries(keys).map(([key, value]) => {
          const values = (typeof value === 'string' ? [value] : [...value]).flatMap(map);
          return [key, values.length === 1 ? values[0] : values];
        }),
      ),
    ]),
  );
}

/**
 * The role API Gateway writes REST and WebSocket execution and access logs with (account
 * settings): the actions of AWS's AmazonAPIGatewayPushToCloudWatchLogs policy, on this account's
 * log groups in `regions` (the stack's own when empty). It is kept when its stack is deleted
 * (DeletionPolicy Retain): the account settings keep naming it after gatewatch is gone — or after
 * a member account leaves the organizational units — and without it API Gateway silently stops
 * writing execution and access logs.
 */
export function apiGatewayLogsRole(
  scope: Construct,
  id: string,
  regions: readonly string[] = [],
  roleName?: string,
): iam.Role {
  const logGroups = inRegions(
    `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:*`,
    regions,
  );
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    ...(roleName ? { roleName } : {}),
    description:
      'API Gateway writes REST and WebSocket execution and access logs to CloudWatch Logs with this role (account settings).',
    inlinePolicies: {
      PushToCloudWatchLogs: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: [
              'logs:CreateLogGroup',
              'logs:CreateLogStream',
              'logs:DescribeLogGroups',
              'logs:DescribeLogStreams',
              'logs:PutLogEvents',
              'logs:GetLogEvents',
              'logs:FilterLogEvents',
            ],
            resources: logGroups.map((arn) => Fn.sub(arn)),
          }),
        ],
      }),
    },
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  acknowledgeWildcards(
    role,
    logGroups,
    'API Gateway creates and writes the execution log groups of every stage (API-Gateway-Execution-Logs_{api id}/{stage}) and the access log groups stages name, known only at run time.',
  );
  return role;
}

/** An encrypted, TLS-only queue whose messages go to a dead-letter queue after three failed receives. */
function encryptedQueue(
  scope: Construct,
  id: string,
  props: { readonly visibilityTimeout: Duration; readonly purpose: string },
): { queue: sqs.Queue; deadLetters: sqs.Queue } {
  const deadLetters = new DeadLetterQueue(scope, `${id}DeadLetters`, { purpose: props.purpose }).queue;
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  });
  return { queue, deadLetters };
}
