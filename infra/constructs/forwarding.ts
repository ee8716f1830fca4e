// Forwarding the catalogued CloudTrail events to the event bus where gatewatch runs: from another
// region of the same account to the home region, or from a member account to the central
// account. One EventBridge rule per catalog pattern (functions/events/catalog.ts), each targeting
// the bus with a role that may only put events on it. EventBridge delivers cross-region and
// cross-account to a bus in another account and region alike; failed deliveries are retried for
// 24 hours, and what is lost anyway the scheduled sweep finds.
import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type EventPattern, eventPatterns } from '../../functions/events/catalog';

export interface EventForwardingProps {
  /** The bus the events go to: the home region's default bus, or the central account's. */
  readonly targetBusArn: string;
  /** Where the events go, in words, for the rules' descriptions. */
  readonly destination: string;
  /** The patterns to forward: by default every catalogued one. */
  readonly patterns?: readonly EventPattern[];
}

export class EventForwarding extends Construct {
  readonly rules: readonly events.Rule[];
  /** The role EventBridge puts events on the target bus with. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: EventForwardingProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `EventBridge forwards the CloudTrail events gatewatch judges to ${props.destination}`,
    });
    const bus = events.EventBus.fromEventBusArn(this, 'Target', props.targetBusArn);
    const target = new targets.EventBus(bus, { role: this.role });
    const taken = new Set<string>();
    this.rules = (props.patterns ?? eventPatterns()).map((pattern) => {
      const source = pattern.source.join('+');
      return new events.Rule(this, uniqueId(taken, ruleId(source)), {
        description: `gatewatch: forwards changes recorded by CloudTrail from ${source} to ${props.destination}.`,
        eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
        targets: [target],
      });
    });
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
