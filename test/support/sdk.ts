// Small builders shared by the tests that answer the AWS SDK in-process.
import type { Rule as WafRule } from '@aws-sdk/client-wafv2';
import { Caller, defaultRates } from '../../aws/clients';

/** A Caller that does not pace: pacing has tests of its own; here only the calls matter. */
export const fastCaller = () =>
  new Caller(
    Object.fromEntries(Object.keys(defaultRates).map((name) => [name, { perSecond: 1e6, burst: 1e6 }])),
  );

/** An AWS managed rule group in a web ACL, as GetWebACL returns it; `countOnly` overrides it to count. */
export const managedRuleGroup = (Name: string, Priority: number, countOnly: boolean): WafRule => ({
  Name: `AWS-${Name}`,
  Priority,
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name } },
  OverrideAction: countOnly ? { Count: {} } : { None: {} },
  VisibilityConfig: {
    SampledRequestsEnabled: true,
    CloudWatchMetricsEnabled: true,
    MetricName: `AWS-${Name}`,
  },
});
