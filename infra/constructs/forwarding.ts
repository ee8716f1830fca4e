// Forwarding the catalogued CloudTrail events to the event bus where gatewatch runs: from another
// region of the same account to the home region, or from a member account to the central
// account. One EventBridge rule per catalog pattern (events/catalog.ts), each targeting
// the bus with a role that may only put events on it. EventBridge delivers cross-region and
// cross-account to a bus in another account and region alike. A delivery that fails is retried
// with backoff for up to 24 hours (185 attempts, EventBridge's own defaults, written out); what
// still fails — or fails at once, a denied PutEvents, a bus policy gone — lands in this stack's
// dead-letter queue (same account and region as the rules, as EventBridge requires; only these
// rules may send to it), where an alarm sees it (ForwardingAlarms). The scheduled sweep finds the
// drift all the same; the dead letter says the real-time path is broken.
import { Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type EventPattern, eventPatterns } from '../event-patterns';
import { ForwardingAlarms } from './alarms';
import { DeadLetterQueue } from './dead-letter-queue';
import { restrictQueue } from './queue-access';

/** How long, and how often, EventBridge retries a delivery to the target bus. */
export const FORWARDING_RETRY = { maxEventAge: Duration.hours(24), retryAttempts: 185 } as const;

export interface EventForwardingProps {
  /** The bus the events go to: the home region's default bus, or the central account's. */
  readonly targetBusArn: string;
  /** Where the events go, in words, for the rules' descriptions. */
  readonly destination: string;
  /** settings.notifications.operationsEmails: subscribed to this stack's alarm topic. */
  readonly operationsEmails: readonly string[];
  /** The patterns to forward: by default every catalogued one. */
  readonly patterns?: readonly EventPattern[];
}

export class EventForwarding extends Construct {
  readonly rules: readonly events.Rule[];
  /** The role EventBridge puts events on the target bus with. */
  readonly role: iam.Role;
  /** Events EventBridge could not deliver to the target bus. */
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: ForwardingAlarms;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `EventBridge forwards the CloudTrail events gatewatch judges to ${props.destination}`,
    });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: `CloudTrail events EventBridge could not forward to ${props.destination}`,
    }).queue;
    // Only EventBridge dead-letters into it (a service principal, scoped to these rules).
    restrictQueue(this.deadLetterQueue);
    const bus = events.EventBus.fromEventBusArn(this, 'Target', props.targetBusArn);
    const target = new RetriedBusTarget(bus, this.role, this.deadLetterQueue);
    const taken = new Set<string>();
    this.rules = (props.patterns ?? eventPatterns()).map((pattern) => {
      const source = pattern.source.join('+');
      return new events.Rule(this, uniqueId(taken, ruleId(source)), {
        description: `gatewatch: forwards changes recorded by CloudTrail from ${source} to ${props.destination}.`,
        eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
        targets: [target],
      });
    });
    this.alarms = new ForwardingAlarms(this, 'Alarms', {
      deadLetterQueue: { label: 'Forwarding/DeadLetters', queue: this.deadLetterQueue, deadLetter: true },
      emails: props.operationsEmails,
    });
  }
}

/**
 * The bus target with its dead-letter queue (the stock target adds the queue policy: only
 * events.amazonaws.com, only for this rule, aws:SourceArn) and an explicit retry policy, which
 * CloudFormation takes on any target though the stock construct does not offer it.
 */
class RetriedBusTarget implements events.IRuleTarget {
  constructor(
    private readonly bus: events.IEventBus,
    private readonly role: iam.IRole,
    private readonly deadLetterQueue: sqs.IQueue,
  ) {}

  bind(rule: events.IRule, id?: string): events.RuleTargetConfig {
    const config = new targets.EventBus(this.bus, {
      role: this.role,
      deadLetterQueue: this.deadLetterQueue,
    }).bind(rule, id);
    return {
      ...config,
      retryPolicy: {
        maximumEventAgeInSeconds: FORWARDING_RETRY.maxEventAge.toSeconds(),
        maximumRetryAttempts: FORWARDING_RETRY.retryAttempts,
      },
    };
  }
}

/** `aws.apigateway` → `ApigatewayForward`: stable as patterns are added. */
function ruleId(source: string): string {
  const words = source
    .replace(/^aws\./, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return `${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')}Forward`;
}

function uniqueId(taken: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}${n}`;
  taken.add(candidate);
  return candidate;
}
