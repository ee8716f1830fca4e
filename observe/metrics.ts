// Metrics, defined once: the functions emit them (CloudWatch embedded metric format) and the
// CDK dashboard and alarms graph them by the same names.

export const METRIC_NAMESPACE = 'gatewatch';

export const metricNames = {
  /** A rule's verdict on a resource became non-compliant (dimension: ruleId, severity). */
  driftDetected: 'DriftDetected',
  /** A resource became compliant again (dimension: ruleId). */
  driftResolved: 'DriftResolved',
  /** CloudTrail event time to verdict, milliseconds. */
  detectionLatency: 'DetectionLatency',
  /** Events that concern nothing gatewatch judges, or failed calls (dimension: reason). */
  eventsIgnored: 'EventsIgnored',
  /** Events already handled (redelivered). */
  eventsDuplicate: 'EventsDuplicate',
  /** Input that did not parse (dimension: input). */
  inputRejected: 'InputRejected',
  /** Resources that could not be read or judged. */
  evaluationErrors: 'EvaluationErrors',
  /** Resources a scan or an AWS Config run found non-compliant, per rule (a gauge; dimension: ruleId, severity). */
  nonCompliantResources: 'NonCompliantResources',
  /** Remediations by outcome (dimension: result — applied, planned, skipped, escalated, failed). */
  remediationResult: 'RemediationResult',
  /** Messages published (dimension: channel — sns, chatbot, slack-webhook). */
  notificationsSent: 'NotificationsSent',
  /** Verdicts not announced because the same state was announced within the window (dimension: reason). */
  notificationsSuppressed: 'NotificationsSuppressed',
  /** Messages that could not be published after retries (dimension: channel). */
  notificationsFailed: 'NotificationsFailed',
  /** Drift announced without a successful remediation (dimension: severity). */
  driftNotRemediated: 'DriftNotRemediated',
  /** Evaluations delivered to AWS Config (dimension: ruleId, complianceType). */
  configEvaluations: 'ConfigEvaluations',
  /** Requests for AWS Config to re-evaluate rules after drift (dimension: outcome — requested, deferred, failed). */
  configReevaluations: 'ConfigReevaluations',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

/**
 * The dimensions each metric is emitted with, besides `service`: the dashboard's and alarms'
 * queries are built from this, so a metric graphed is a metric emitted.
 */
export const metricDimensions: Readonly<Record<MetricName, readonly string[]>> = {
  DriftDetected: ['ruleId', 'severity'],
  DriftResolved: ['ruleId'],
  DetectionLatency: [],
  EventsIgnored: ['reason'],
  EventsDuplicate: [],
  InputRejected: ['input'],
  EvaluationErrors: ['ruleId'],
  NonCompliantResources: ['ruleId', 'severity'],
  RemediationResult: ['result'],
  NotificationsSent: ['channel'],
  NotificationsSuppressed: ['reason'],
  NotificationsFailed: ['channel'],
  DriftNotRemediated: ['severity'],
  ConfigEvaluations: ['ruleId', 'complianceType'],
  ConfigReevaluations: ['outcome'],
};

/** The `service` dimension of each function's metrics (and its log lines). */
export const serviceNames = {
  drift: 'gatewatch-drift',
  remediate: 'gatewatch-remediate',
  notify: 'gatewatch-notify',
  slackWebhook: 'gatewatch-slack-webhook',
  config: 'gatewatch-config',
  sweep: 'gatewatch-sweep',
} as const;
export type Unit = 'Count' | 'Milliseconds';

export interface Metrics {
  add(name: MetricName, value: number, unit?: Unit, dimensions?: Readonly<Record<string, string>>): void;
}

/** Writes one EMF line per data point to stdout, where Lambda's log group picks it up. */
export class EmfMetrics implements Metrics {
  constructor(
    private readonly service: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  add(
    name: MetricName,
    value: number,
    unit: Unit = 'Count',
    dimensions: Readonly<Record<string, string>> = {},
  ): void {
    const keys = ['service', ...Object.keys(dimensions)];
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: METRIC_NAMESPACE, Dimensions: [keys], Metrics: [{ Name: name, Unit: unit }] },
          ],
        },
        service: this.service,
        ...dimensions,
        [name]: value,
      }),
    );
  }
}

/** Keeps data points in memory: for tests and for `gatewatch replay`'s summary. */
export class MemoryMetrics implements Metrics {
  readonly points: { name: MetricName; value: number; unit: Unit; dimensions: Record<string, string> }[] = [];

  add(
    name: MetricName,
    value: number,
    unit: Unit = 'Count',
    dimensions: Readonly<Record<string, string>> = {},
  ): void {
    this.points.push({ name, value, unit, dimensions: { ...dimensions } });
  }

  total(name: MetricName): number {
    return this.points.filter((point) => point.name === name).reduce((sum, point) => sum + point.value, 0);
  }
}
