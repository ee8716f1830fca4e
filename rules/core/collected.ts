// Whether a snapshot carries the declared data a rule needs (`needs`): the drift path judges a
// rule only where it does, as a scan skips a rule whose data it did not collect.
import type { Snapshot } from './resources';
import type { CollectedData } from './rule';

export function carriesData(snapshot: Snapshot, data: CollectedData): boolean {
  switch (data) {
    case 'invocation-metrics':
      return 'invocations' in snapshot && snapshot.invocations != null;
    case 'cloudwatch-role':
      return snapshot.kind === 'account' && snapshot.cloudwatchRole !== undefined;
    case 'cloudtrail-trails':
      return snapshot.kind === 'account' && snapshot.trails !== undefined;
    case 'log-resource-policies':
      return (
        snapshot.kind === 'account' &&
        snapshot.logResourcePolicies !== undefined &&
        snapshot.httpAccessLogGroups !== undefined
      );
  }
}
