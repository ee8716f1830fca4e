// gatewatch for one account (and the regions forwarded to its home region): the drift path and
// its baseline, AWS Config rules, guarded remediation, notifications, the scheduled sweep, the
// dashboard and alarms. For an organization, GatewatchOrganizationStack (organization-stack.ts)
// is this stack plus what the central account needs to reach its member accounts.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { catalog } from '../rules/index';
import { GatewatchAlarms } from './constructs/alarms';
import { BaselineTable } from './constructs/baseline-table';
import { shareCallBudget } from './constructs/call-budget';
import { ConfigRecorder, wantsConfigRecorder } from './constructs/config-recorder';
import { ConfigRules } from './constructs/config-rules';
import { GatewatchDashboard } from './constructs/dashboard';
import { DriftDetection } from './constructs/drift-detection';
import { Notifications } from './constructs/notifications';
import { operatedResources } from './constructs/operated';
import { Remediation } from './constructs/remediation';
import { Sweep } from './constructs/sweep';
import { deploymentSettings } from './settings';

export class GatewatchStack extends Stack {
  readonly baseline: BaselineTable;
  readonly drift: DriftDetection;
  readonly remediation: Remediation;
  readonly notifications: Notifications;
  readonly alarms: GatewatchAlarms;
  readonly dashboard: GatewatchDashboard;
  readonly configRules: ConfigRules;
  readonly configRecorder?: ConfigRecorder;
  /** The scheduled sweep (absent when settings.sweep.everyHours is 0). */
  readonly sweep?: Sweep;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'gatewatch: continuous compliance for Amazon API Gateway (real-time drift detection).',
      ...props,
    });
    // Invalid settings fail synthesis here, naming the field, before anything is built.
    deploymentSettings(this);
    this.baseline = new BaselineTable(this, 'Baseline');
    this.drift = new DriftDetection(this, 'Drift', { baselineTable: this.baseline.table });
    this.notifications = new Notifications(this, 'Notifications', { baselineTable: this.baseline.table });
    this.remediation = new Remediation(this, 'Remediation', {
      baselineTable: this.baseline.table,
      driftFunction: this.drift.function,
      notificationsQueue: this.notifications.queue,
    });
    this.notifications.queueAccess.addSenders(this.remediation.role);
    // Every rule on the AWS Config dashboard; a recorder only when asked (an account has at most one).
    if (wantsConfigRecorder(this.node.tryGetContext('createConfigRecorder'))) {
      this.configRecorder = new ConfigRecorder(this, 'ConfigRecorder');
    }
    this.configRules = new ConfigRules(this, 'ConfigRules', {
      recorder: this.configRecorder,
      baselineTable: this.baseline.table,
    });
    this.configRules.grantReevaluation(this.drift.function);
    // What EventBridge's best-effort delivery misses, a full read every few hours finds.
    const { everyHours } = deploymentSettings(this).settings.sweep;
    if (everyHours > 0) {
      this.sweep = new Sweep(this, 'Sweep', {
        baselineTable: this.baseline.table,
        verdictsQueue: this.remediation.verdictsQueue,
        everyHours,
      });
      this.remediation.verdictsAccess.addSenders(this.sweep.role);
    }

    // Every function that calls API Gateway takes its requests from the account's call budget.
    shareCallBudget(this.baseline.table, [
      this.drift.function,
      this.remediation.function,
      this.configRules.evaluator,
      ...(this.sweep ? [this.sweep.function] : []),
    ]);

    // For operators and the end-to-end test (test/aws/e2e.ts).
    new CfnOutput(this, 'BaselineTableName', {
      key: 'BaselineTableName',
      value: this.baseline.table.tableName,
      description: 'The baseline table (kept when the stack is deleted)',
    });
    new CfnOutput(this, 'ApiGatewayCloudWatchRoleArn', {
      key: 'ApiGatewayCloudWatchRoleArn',
      value: this.remediation.cloudWatchRole.roleArn,
      description:
        'The role API Gateway writes execution logs with; remediation sets it in the account settings when they name none',
    });

    // Keep these last: they graph and alarm every function and queue built above.
    const operated = operatedResources(this);
    const { notifications } = deploymentSettings(this).settings;
    this.alarms = new GatewatchAlarms(this, 'Alarms', {
      ...operated,
      key: this.notifications.key,
      emails: notifications.operationsEmails,
      detectionLatencyMinutes: notifications.detectionLatencyAlarmMinutes,
    });
    this.dashboard = new GatewatchDashboard(this, 'Dashboard', {
      ...operated,
      rules: catalog,
      alarms: this.alarms.alarms,
      runbookBaseUrl: notifications.runbookBaseUrl,
    });
  }
}
