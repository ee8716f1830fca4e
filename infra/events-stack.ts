// A region whose events are forwarded to the home region (settings.regions after the first):
// only the EventBridge rules for the catalogued CloudTrail events, sending them to the home
// region's default event bus in the same account. One gatewatch — one baseline, one topic, one
// remediator, one dashboard — then judges every region, reading each resource in its own region.
// Events EventBridge cannot deliver go to this stack's dead-letter queue, whose alarm notifies a
// topic in this region that settings.notifications.operationsEmails subscribe to.
import { Aws, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EventForwarding } from './constructs/forwarding';
import { globalRegionEventPatterns } from './event-patterns';
import { deploymentSettings } from './settings';

export interface GatewatchEventsStackProps extends StackProps {
  /** Where gatewatch runs: settings.regions[0]. */
  readonly homeRegion: string;
  /** Only IAM's and CloudTrail's events, from a region that is not watched (us-east-1, where IAM's arrive). */
  readonly globalOnly?: boolean;
}

export class GatewatchEventsStack extends Stack {
  readonly forwarding: EventForwarding;

  constructor(scope: Construct, id: string, props: GatewatchEventsStackProps) {
    super(scope, id, {
      description: props.globalOnly
        ? `gatewatch: forwards IAM and CloudTrail changes recorded in this region to gatewatch in ${props.homeRegion}.`
        : `gatewatch: forwards API Gateway changes in this region to gatewatch in ${props.homeRegion}.`,
      ...props,
    });
    this.forwarding = new EventForwarding(this, 'Forwarding', {
      targetBusArn: `arn:${Aws.PARTITION}:events:${props.homeRegion}:${Aws.ACCOUNT_ID}:event-bus/default`,
      destination: `gatewatch in ${props.homeRegion}`,
      operationsEmails: deploymentSettings(this).settings.notifications.operationsEmails,
      ...(props.globalOnly ? { patterns: globalRegionEventPatterns() } : {}),
    });
  }
}
