// The CloudWatch dashboard, built from the rule catalog and the metric definitions the functions
// emit with (observe/metrics.ts): a summary row, the notifications and the event
// intake, one row per rule, and the health of every function and queue in the stack.
// gatewatch's metrics are graphed with SEARCH over their declared dimensions, so whichever
// function emits a metric (the drift path, a scan, an AWS Config run) it appears.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  METRIC_NAMESPACE,
  type MetricName,
  metricDimensions,
  metricNames,
  serviceNames,
} from '../../observe/metrics';
import { runbookPath } from '../../rules/core/judge';
import { type AnyRule, severities } from '../../rules/core/rule';
import type { OperatedFunction, OperatedQueue } from './operated';

export interface DashboardProps {
  readonly rules: readonly AnyRule[];
  readonly functions: readonly OperatedFunction[];
  readonly queues: readonly OperatedQueue[];
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** Where runbook links point (settings.notifications.runbookBaseUrl). */
  readonly runbookBaseUrl: string;
  /** @default 'gatewatch' */
  readonly dashboardName?: string;
}

const FIVE_MINUTES = Duration.minutes(5);
const DAY = Duration.days(1);

/**
 * `SEARCH('{gatewatch,ruleId,service,severity} MetricName="DriftDetected" "HIGH"', 'Sum', 300)`:
 * every series of the metric, whichever function emitted it, narrowed by exact dimension values.
 */
export function searchOf(
  name: MetricName,
  statistic: string,
  period: Duration,
  values: readonly string[] = [],
): string {
  const schema = [METRIC_NAMESPACE, ...['service', ...metricDimensions[name]].sort()].join(',');
  const terms = [`MetricName="${name}"`, ...values.map((value) => `"${value}"`)].join(' ');
  return `SEARCH('{${schema}} ${terms}', '${statistic}', ${period.toSeconds()})`;
}

const search = (
  label: string,
  name: MetricName,
  statistic: string,
  period: Duration,
  values: string[] = [],
) => new cloudwatch.MathExpression({ expression: searchOf(name, statistic, period, values), label, period });

/** One time series: the sum of every series a search finds. */
const total = (label: string, name: MetricName, statistic: string, period: Duration, values: string[] = []) =>
  new cloudwatch.MathExpression({
    expression: `SUM(${searchOf(name, statistic, period, values)})`,
    label,
    period,
  });

export class GatewatchDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'gatewatch',
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# gatewatch\nAPI Gateway compliance: open findings, drift, remediation and detection latency, then one row per rule and the health of gatewatch itself.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(...summaryRow(props.alarms));
    this.dashboard.addWidgets(...activityRow());
    this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Rules', width: 24, height: 1 }));
    for (const rule of props.rules) this.dashboard.addWidgets(...ruleRow(rule, props.runbookBaseUrl));
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '## Health of gatewatch', width: 24, height: 1 }),
    );
    this.dashboard.addWidgets(...props.functions.map(functionHealth));
    this.dashboard.addWidgets(...queueHealth(props.queues));
  }
}

function summaryRow(alarms: readonly cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  const applied = total('applied', metricNames.remediationResult, 'Sum', DAY, ['applied']);
  const failed = total('failed', metricNames.remediationResult, 'Sum', DAY, ['failed']);
  return [
    new cloudwatch.SingleValueWidget({
      title: 'Open non-compliance by severity (latest scan or AWS Config run)',
      metrics: severities.map((severity) =>
        total(severity, metricNames.nonCompliantResources, 'Maximum', Duration.hours(1), [severity]),
      ),
      width: 8,
      height: 4,
    }),
    new cloudwatch.SingleValueWidget({
      title: 'Drift, last 24 h',
      metrics: [total('drift detected', metricNames.driftDetected, 'Sum', DAY)],
      width: 4,
      height: 4,
    }),
    new cloudwatch.SingleValueWidget({
      title: 'Remediation success rate, last 24 h (%)',
      metrics: [
        new cloudwatch.MathExpression({
          expression: '100 * applied / (applied + failed)',
          usingMetrics: { applied, failed },
          label: 'applied / (applied + failed)',
          period: DAY,
        }),
      ],
      width: 4,
      height: 4,
    }),
    new cloudwatch.SingleValueWidget({
      title: 'p99 detection latency (s)',
      metrics: [
        new cloudwatch.MathExpression({
          expression: 'latency / 1000',
          usingMetrics: { latency: detectionLatency('p99', Duration.hours(1)) },
          label: 'event time → verdict, p99',
          period: Duration.hours(1),
        }),
      ],
      width: 4,
      height: 4,
    }),
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms], width: 4, height: 4 }),
  ];
}

/** CloudTrail event time → verdict, as the drift function measures it. */
export const detectionLatency = (statistic: string, period: Duration) =>
  new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: metricNames.detectionLatency,
    dimensionsMap: { service: serviceNames.drift },
    statistic,
    period,
    unit: cloudwatch.Unit.MILLISECONDS,
  });

function activityRow(): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: 'Drift detected and resolved',
      left: [
        total('drift detected', metricNames.driftDetected, 'Sum', FIVE_MINUTES),
        total('resolved', metricNames.driftResolved, 'Sum', FIVE_MINUTES),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Remediations by result',
      left: [search('', metricNames.remediationResult, 'Sum', FIVE_MINUTES)],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Notifications sent, suppressed, failed',
      left: [
        search('sent', metricNames.notificationsSent, 'Sum', FIVE_MINUTES),
        total('suppressed (duplicates)', metricNames.notificationsSuppressed, 'Sum', FIVE_MINUTES),
        search('failed', metricNames.notificationsFailed, 'Sum', FIVE_MINUTES),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Detection latency (ms) and events that failed to parse',
      left: [detectionLatency('p50', FIVE_MINUTES), detectionLatency('p99', FIVE_MINUTES)],
      right: [
        total('input rejected', metricNames.inputRejected, 'Sum', FIVE_MINUTES),
        total('could not evaluate', metricNames.evaluationErrors, 'Sum', FIVE_MINUTES),
      ],
      width: 6,
    }),
  ];
}

function ruleRow(rule: AnyRule, runbookBaseUrl: string): cloudwatch.IWidget[] {
  return [
    new cloudwatch.TextWidget({
      markdown: `### ${rule.id}\n${rule.severity} · ${rule.title}\n\n[Runbook](${runbookBaseUrl}${runbookPath(rule.id)})`,
      width: 6,
      height: 5,
    }),
    new cloudwatch.GraphWidget({
      title: `${rule.id}: drift`,
      left: [
        total('drift detected', metricNames.driftDetected, 'Sum', FIVE_MINUTES, [rule.id]),
        total('resolved', metricNames.driftResolved, 'Sum', FIVE_MINUTES, [rule.id]),
      ],
      width: 9,
      height: 5,
    }),
    new cloudwatch.GraphWidget({
      title: `${rule.id}: non-compliant resources`,
      left: [
        total('non-compliant', metricNames.nonCompliantResources, 'Maximum', Duration.hours(1), [rule.id]),
      ],
      width: 9,
      height: 5,
    }),
  ];
}

function functionHealth({ label, function: fn }: OperatedFunction): cloudwatch.IWidget {
  return new cloudwatch.GraphWidget({
    title: `Function ${label}`,
    left: [
      fn.metricErrors({ period: FIVE_MINUTES, label: 'errors' }),
      fn.metricThrottles({ period: FIVE_MINUTES, label: 'throttles' }),
    ],
    right: [fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99', label: 'duration p99 (ms)' })],
    width: 8,
  });
}

function queueHealth(queues: readonly OperatedQueue[]): cloudwatch.IWidget[] {
  const work = queues.filter((queue) => !queue.deadLetter);
  const dead = queues.filter((queue) => queue.deadLetter);
  return [
    new cloudwatch.GraphWidget({
      title: 'Queues: messages waiting and oldest message age (s)',
      left: work.map(({ label, queue }) =>
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
      ),
      right: work.map(({ label, queue }) =>
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
      ),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Dead-letter queues: messages (should be 0)',
      left: dead.map(({ label, queue }) =>
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum', label }),
      ),
      width: 12,
    }),
  ];
}
