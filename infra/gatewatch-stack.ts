// gatewatch for one account and region: the drift path and the baseline it compares against.
// Later concerns (AWS Config rules, remediation, notifications, dashboards) are further
// constructs here; the organization mode deploys this stack into each member account.
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BaselineTable } from './constructs/baseline-table';
import { DriftDetection } from './constructs/drift-detection';

export class GatewatchStack extends Stack {
  readonly baseline: BaselineTable;
  readonly drift: DriftDetection;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'gatewatch: continuous compliance for Amazon API Gateway (real-time drift detection).',
      ...props,
    });
    this.baseline = new BaselineTable(this, 'Baseline');
    this.drift = new DriftDetection(this, 'Drift', { baselineTable: this.baseline.table });
  }
}
