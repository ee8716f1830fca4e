// Metrics, defined once: the functions emit them (CloudWatch embedded metric format) and the
// CDK dashboard and alarms graph them by the same names.
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';

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
 * queries are built from this, and every emit site is typed by it (`Metrics.add`), so a metric
 * graphed is a metric emitted (test/infra/metric-catalogue.test.ts checks the synthesized template).
 */
export const metricDimensions = {
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
} as const satisfies Readonly<Record<MetricName, readonly string[]>>;

/** The dimension values a metric is emitted with: exactly its catalogue's keys. */
export type Dimensions<N extends MetricName> = [(typeof metricDimensions)[N][number]] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [K in (typeof metricDimensions)[N][number]]: string };

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
  add<N extends MetricName>(name: N, value: number, unit?: Unit, dimensions?: Dimensions<N>): void;
}

/** One data point, its dimensions checked against the catalogue (both implementations below). */
export interface MetricPoint {
  readonly name: MetricName;
  readonly value: number;
  readonly unit: Unit;
  readonly dimensions: Readonly<Record<string, string>>;
}

function point(name: MetricName, value: number, unit: Unit, dimensions: Readonly<Record<string, string>>) {
  const expected = [...metricDimensions[name]].sort().join(',');
  const given = Object.keys(dimensions).sort().join(',');
  if (given !== expected) {
    throw new TypeError(`metric ${name} is emitted with dimensions [${expected}], not [${given}]`);
  }
  return { name, value, unit, dimensions: { ...dimensions } };
}

/**
 * Buffers data points and publishes them with Powertools (CloudWatch embedded metric format),
 * one EMF document per set of dimension values — the values of one metric aggregated in it —,
 * when the handler calls `publish()` at the end of an invocation.
 */
export class EmfMetrics implements Metrics {
  private readonly buffered = new Map<string, MetricPoint[]>();
  private readonly powertools: PowertoolsMetrics;

  constructor(
    readonly service: string,
    /** Where each EMF document goes: stdout (Lambda's log group) unless given (tests). */
    private readonly write?: (line: string) => void,
  ) {
    this.powertools = new PowertoolsMetrics({ namespace: METRIC_NAMESPACE, serviceName: service });
  }

  add<N extends MetricName>(name: N, value: number, unit: Unit = 'Count', dimensions?: Dimensions<N>): void {
    const checked = point(name, value, unit, (dimensions ?? {}) as Readonly<Record<string, string>>);
    const key = JSON.stringify(Object.entries(checked.dimensions).sort(([a], [b]) => a.localeCompare(b)));
    const group = this.buffered.get(key);
    if (group) group.push(checked);
    else this.buffered.set(key, [checked]);
  }

  /** Writes what was buffered; call it in a `finally` at the end of each invocation. */
  publish(): void {
    const groups = [...this.buffered.values()];
    this.buffered.clear();
    for (const group of groups) {
      for (const [name, value] of Object.entries(group[0]?.dimensions ?? {})) {
        this.powertools.addDimension(name, value);
      }
      for (const { name, value, unit } of group) this.powertools.addMetric(name, unit, value);
      if (this.write) {
        this.write(JSON.stringify(this.powertools.serializeMetrics()));
        this.powertools.clearMetrics();
        this.powertools.clearDimensions();
      } else {
        this.powertools.publishStoredMetrics();
      }
    }
  }
}

/** Keeps data points in memory, checked as the deployed metrics check them: for tests and `gatewatch replay`'s summary. */
export class MemoryMetrics implements Metrics {
  readonly points: MetricPoint[] = [];

  add<N extends MetricName>(name: N, value: number, unit: Unit = 'Count', dimensions?: Dimensions<N>): void {
    this.points.push(point(name, value, unit, (dimensions ?? {}) as Readonly<Record<string, string>>));
  }

  total(name: MetricName): number {
    return this.points.filter((point) => point.name === name).reduce((sum, point) => sum + point.value, 0);
  }
}
