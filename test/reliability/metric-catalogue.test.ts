// A metric graphed is a metric emitted: the dashboard's and alarms' metrics (from the synthesized
// template) name a metric of the catalogue with exactly the dimensions it is emitted with, and the
// EMF documents the deployed handlers write on a drift → remediate → notify run carry exactly
// those dimensions too. A dimension added, dropped or renamed on either side fails here.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GatewatchStack } from '../../infra/gatewatch-stack';
import { METRIC_NAMESPACE, type MetricName, metricDimensions, serviceNames } from '../../observe/metrics';
import { newApp, settingsFile } from '../support/infra';
import {
  captureOutput,
  demoBaseline,
  driftEvent,
  loadHandlers,
  NOTIFICATIONS_QUEUE,
  sqsEvent,
  unpaced,
  VERDICTS_QUEUE,
  World,
} from '../support/reliability';

type Graphed = { readonly where: string; readonly name: string; readonly dimensions: readonly string[] };

const catalogued = (name: string): readonly string[] | undefined =>
  (metricDimensions as Readonly<Record<string, readonly string[]>>)[name];
const expectedDimensions = (name: string) =>
  ['service', ...(catalogued(name) ?? ['(not in the catalogue)'])].sort();

function graphed(): Graphed[] {
  const stack = new GatewatchStack(
    newApp({ settings: settingsFile({ notifications: { operationsEmails: ['oncall@tidewater.example'] } }) }),
    'Gatewatch',
  );
  const template = Template.fromStack(stack);
  const found: Graphed[] = [];
  const searches = (where: string, text: string) => {
    for (const match of text.replace(/\\+"/g, '"').matchAll(/SEARCH\('\{([^}]*)\} MetricName="(\w+)"/g)) {
      const [namespace, ...dimensions] = (match[1] as string).split(',');
      expect(namespace).toBe(METRIC_NAMESPACE);
      found.push({ where, name: match[2] as string, dimensions: dimensions.sort() });
    }
  };
  for (const dashboard of Object.values(template.findResources('AWS::CloudWatch::Dashboard'))) {
    const body = JSON.stringify(Stack.of(stack).resolve(dashboard.Properties.DashboardBody));
    searches('dashboard', body);
    // A metric widget's metric: [namespace, name, dimension, value, dimension, value, …, options].
    const plain = new RegExp(`\\["${METRIC_NAMESPACE}","(\\w+)"((?:,"[^"]*")*)`, 'g');
    for (const match of body.replace(/\\+"/g, '"').matchAll(plain)) {
      const rest = [...(match[2] as string).matchAll(/"([^"]*)"/g)].map((part) => part[1] as string);
      const dimensions = rest.filter((_, index) => index % 2 === 0);
      expect(Object.values(serviceNames)).toContain(rest[dimensions.indexOf('service') * 2 + 1]);
      found.push({ where: 'dashboard', name: match[1] as string, dimensions: dimensions.sort() });
    }
  }
  type Dimension = { Name: string; Value: unknown };
  type MetricRef = { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
  for (const [id, alarm] of Object.entries(template.findResources('AWS::CloudWatch::Alarm'))) {
    const properties = alarm.Properties as MetricRef & {
      Metrics?: { Expression?: string; MetricStat?: { Metric: MetricRef } }[];
    };
    const refs: MetricRef[] = [
      properties,
      ...(properties.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric ?? []),
    ];
    for (const ref of refs.filter((ref) => ref.Namespace === METRIC_NAMESPACE)) {
      found.push({
        where: `alarm ${id}`,
        name: ref.MetricName as string,
        dimensions: (ref.Dimensions ?? []).map((d) => d.Name).sort(),
      });
      const service = ref.Dimensions?.find((d) => d.Name === 'service')?.Value;
      expect(Object.values(serviceNames)).toContain(service);
    }
    for (const metric of properties.Metrics ?? [])
      if (metric.Expression) searches(`alarm ${id}`, metric.Expression);
  }
  // One case per place and metric (the dashboard has a row per rule).
  return [...new Map(found.map((one) => [`${one.where} ${one.name} ${one.dimensions}`, one])).values()];
}

describe('the dashboard and the alarms', () => {
  const all = graphed();

  it('graph gatewatch metrics, several of them through alarms', () => {
    expect(all.filter((one) => one.where === 'dashboard').map((one) => one.name)).toEqual(
      expect.arrayContaining([
        'DriftDetected',
        'DetectionLatency',
        'NonCompliantResources',
        'RemediationResult',
      ]),
    );
    expect(all.some((one) => one.where.startsWith('alarm'))).toBe(true);
  });

  it.each(all.map((one) => [one.where, one.name, one] as const))(
    '%s: %s is queried by the dimensions it is emitted with',
    (_where, name, one) => {
      expect(one.dimensions).toEqual(expectedDimensions(name));
    },
  );
});

describe('the EMF documents the handlers write', () => {
  unpaced();
  const world = new World();
  const handlers = loadHandlers();
  afterAll(() => world.restore());

  it('carry each metric with the catalogue dimensions, in the gatewatch namespace, per service', async () => {
    world.reset(demoBaseline());
    const output = captureOutput();
    try {
      const body = JSON.stringify(driftEvent('02-update-stage-logging-off.json'));
      await handlers.drift(JSON.parse(body));
      for (const message of world.queues.on(VERDICTS_QUEUE))
        await handlers.remediate(sqsEvent(VERDICTS_QUEUE, [message]));
      for (const message of world.queues.on(NOTIFICATIONS_QUEUE)) {
        await handlers.notify(sqsEvent(NOTIFICATIONS_QUEUE, [message]) as never);
      }
    } finally {
      output.restore();
    }
    type Emf = {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: MetricName }[] }[];
      };
    } & Record<string, unknown>;
    const documents = output
      .text()
      .split('\n')
      .filter((line) => line.trim().startsWith('{') && line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Emf);
    const emitted = new Set<string>();
    for (const document of documents) {
      const [directive] = document._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe(METRIC_NAMESPACE);
      expect(Object.values(serviceNames)).toContain(document.service);
      for (const metric of directive?.Metrics ?? []) {
        emitted.add(metric.Name);
        expect(directive?.Dimensions.map((set) => [...set].sort())).toEqual([
          expectedDimensions(metric.Name),
        ]);
      }
    }
    // The run emits what the drift path, the remediator and the notifier graph most.
    expect([...emitted]).toEqual(
      expect.arrayContaining(['DriftDetected', 'DetectionLatency', 'RemediationResult', 'NotificationsSent']),
    );
  });
});
