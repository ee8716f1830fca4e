// Every gatewatch rule on the AWS Config compliance dashboard: one custom Lambda Config rule
// per catalog rule (pipeline/config/definitions.ts), all served by one evaluator function that
// reads what it judges and may write nothing but evaluations. The rules need a configuration
// recorder that records the API Gateway resource types (see the README; ConfigRecorder
// creates one when the account has none).
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IDependable } from 'constructs';
import { serviceNames } from '../../observe/metrics';
import { sourceDetails } from '../../pipeline/config/conformance-pack';
import {
  type ConfigRuleDefinition,
  configRuleDefinitions,
  PERIODIC_FREQUENCY,
} from '../../pipeline/config/definitions';
import type { Settings } from '../../settings/schema';
import { deploymentSettings } from '../settings';
import { DeadLetterQueue } from './dead-letter-queue';
import { gatewatchFunction } from './gatewatch-function';
import { grantIdempotency } from './idempotency';
import { restrictQueue } from './queue-access';
import { SendOnlyQueueDestination } from './queue-destination';
import { grantConfigEvaluations, grantMetricReads, grantResourceReads } from './read-permissions';

export interface ConfigRulesProps {
  /** Which rules run (mode `off` has no Config rule) and their parameters; the deployment's settings by default. */
  readonly settings?: Settings;
  /** Created before the rules when the stack makes its own recorder. */
  readonly recorder?: IDependable;
  /** Where the evaluator remembers the invocations it completed (Powertools idempotency). */
  readonly baselineTable?: dynamodb.ITable;
}

export class ConfigRules extends Construct {
  readonly evaluator: NodejsFunction;
  /** Config rule invocations the evaluator failed on after Lambda's retries. */
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: readonly config.CfnConfigRule[];
  readonly definitions: readonly ConfigRuleDefinition[];

  constructor(scope: Construct, id: string, props: ConfigRulesProps = {}) {
    super(scope, id);
    this.definitions = configRuleDefinitions(props.settings ?? deploymentSettings(this).settings);

    const evaluator = gatewatchFunction(this, 'Evaluator', {
      entry: 'handlers/config-rule.ts',
      service: serviceNames.config,
      description:
        'gatewatch AWS Config evaluator: judges API Gateway resources for the gatewatch Config rules',
      // A periodic run reads every API of the region, paced below API Gateway's quota.
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    this.evaluator = evaluator.function;
    // AWS Config invokes the function asynchronously (this account's rules and the member
    // accounts'): Lambda retries a failed evaluation twice, then the invocation and its error go
    // to the dead-letter queue, alarmed. The rule's next periodic run evaluates again.
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'AWS Config rule invocations the evaluator failed on after retries',
    }).queue;
    this.evaluator.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SendOnlyQueueDestination(this.deadLetterQueue),
    });
    restrictQueue(this.deadLetterQueue, { senders: [evaluator.role] });
    // The Config rules are in the stack's region only: the evaluator reads that region.
    grantResourceReads(evaluator.role, []);
    grantConfigEvaluations(evaluator.role);
    grantMetricReads(evaluator.role);
    if (props.baselineTable) grantIdempotency(this.evaluator, evaluator.role, props.baselineTable, 'config');

    // Config invokes the function for this account's rules only.
    const permission = new lambda.CfnPermission(this, 'ConfigInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: this.evaluator.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: Stack.of(this).account,
    });

    this.rules = this.definitions.map((definition) => {
      const rule = new config.CfnConfigRule(this, definition.ruleId, {
        configRuleName: definition.name,
        description: definition.description,
        inputParameters: definition.inputParameters,
        ...(definition.resourceTypes.length > 0
          ? { scope: { complianceResourceTypes: [...definition.resourceTypes] } }
          : {}),
        ...(definition.periodic ? { maximumExecutionFrequency: PERIODIC_FREQUENCY } : {}),
        source: {
          owner: 'CUSTOM_LAMBDA',
          sourceIdentifier: this.evaluator.functionArn,
          sourceDetails: sourceDetails(definition).map((detail) => ({
            eventSource: detail.EventSource,
            messageType: detail.MessageType,
            ...('MaximumExecutionFrequency' in detail
              ? { maximumExecutionFrequency: detail.MaximumExecutionFrequency }
              : {}),
          })),
        },
      });
      rule.node.addDependency(permission);
      if (props.recorder) rule.node.addDependency(props.recorder);
      return rule;
    });

    // Clearing stale evaluations after a periodic run lists what each rule reported. The
    // statement sits in its own policy: the rules name the function, so the function's own
    // policy cannot name the rules.
    new iam.Policy(this, 'ReadOwnResults', {
      roles: [evaluator.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['config:GetComplianceDetailsByConfigRule'],
          resources: this.rules.map((rule) => rule.attrArn),
        }),
      ],
    });

    new CfnOutput(this, 'EvaluatorArn', {
      key: 'ConfigEvaluatorArn',
      description:
        'The gatewatch Config evaluator: the GatewatchEvaluatorArn parameter of the conformance pack.',
      value: this.evaluator.functionArn,
    });
  }

  /** Lets the drift function ask Config to re-evaluate these rules after a drift it sees. */
  grantReevaluation(drift: NodejsFunction): void {
    drift.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['config:StartConfigRulesEvaluation'],
        resources: this.rules.map((rule) => rule.attrArn),
      }),
    );
    drift.addEnvironment(
      'CONFIG_RULE_IDS',
      this.definitions.map((definition) => definition.ruleId).join(','),
    );
  }
}
