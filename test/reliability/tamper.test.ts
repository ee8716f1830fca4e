// Turning the real-time and logging paths off is itself watched, end to end through the deployed
// handlers with the real SDK clients answered in-process: the CloudWatch Logs role deleted (IAM's
// event, from us-east-1) and the trail stopped each become news on the verdicts queue, naming
// who did it, and the notifier publishes them; what the rules cannot remediate is only notified.
import type { Verdict } from '../../model/verdict';
import {
  cloudTrailEvent,
  demoBaseline,
  deployedHandlers,
  detailOf,
  NOTIFICATIONS_QUEUE,
  REGION,
  sqsEvent,
  VERDICTS_QUEUE,
} from '../support/reliability';

const { world, handlers } = deployedHandlers();

const path = () => {
  const loggingPath = world.account.region.loggingPath;
  if (!loggingPath) throw new Error('the drifted demo region has no logging path');
  return loggingPath;
};

/** An event recorded in another region than the demo's (IAM's are recorded in us-east-1). */
function inRegion(event: Record<string, unknown>, region: string): Record<string, unknown> {
  return { ...event, region, detail: { ...detailOf(event), awsRegion: region } };
}

async function driftNews(event: Record<string, unknown>, ruleId: string): Promise<Verdict | undefined> {
  world.reset(demoBaseline());
  const result = await handlers.drift(event);
  expect(result.judged).toBe(1);
  return world
    .verdictsOn(VERDICTS_QUEUE)
    .flat()
    .find((verdict) => verdict.ruleId === ruleId);
}

describe('tampering with the logging path', () => {
  const saved = structuredClone(path());
  afterEach(() => Object.assign(path(), structuredClone(saved)));

  it('a deleted CloudWatch Logs role is news, from IAM’s us-east-1 event, and is notified', async () => {
    // Prepare
    path().cloudwatchRole = { state: 'missing' };
    const event = inRegion(
      cloudTrailEvent({
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeleteRole',
        eventId: 'f0000000-0000-4000-8000-0000000de1e7',
        requestParameters: { roleName: 'apigateway-cloudwatch-logs' },
      }),
      'us-east-1',
    );

    // Act
    const verdict = await driftNews(event, 'account-cloudwatch-role');

    // Assess
    expect(verdict).toMatchObject({
      change: 'new',
      status: 'NON_COMPLIANT',
      region: REGION,
      eventName: 'DeleteRole',
      eventSource: 'iam.amazonaws.com',
      actor: (detailOf(event).userIdentity as { arn: string }).arn,
    });
    expect(verdict?.reason).toContain('no longer exists');

    const [message] = world.queues.on(VERDICTS_QUEUE);
    if (!message) throw new Error('no verdicts message');
    await handlers.remediate(sqsEvent(VERDICTS_QUEUE, [message]));
    const [notification] = world.queues.on(NOTIFICATIONS_QUEUE);
    if (!notification) throw new Error('no notifications message');
    await handlers.notify(sqsEvent(NOTIFICATIONS_QUEUE, [notification]) as never);
    expect(world.topics.published.map((published) => published.Message).join('\n')).toContain(
      'apigateway-cloudwatch-logs, which no longer exists',
    );
  });

  it('a stopped trail is news on the account settings of the watched region, with who stopped it', async () => {
    // Prepare
    const trails = path().trails ?? [];
    for (const entry of trails) entry.status = { IsLogging: false };
    const event = cloudTrailEvent({
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      eventId: 'f0000000-0000-4000-8000-00000000570b',
      requestParameters: { name: trails[0]?.trail.TrailARN },
    });

    // Act
    const verdict = await driftNews(event, 'account-cloudtrail-logging');

    // Assess
    expect(verdict).toMatchObject({
      change: 'new',
      status: 'NON_COMPLIANT',
      severity: 'HIGH',
      eventName: 'StopLogging',
    });
    expect(verdict?.reason).toContain('stopped logging');
  });

  it('a deleted log delivery policy is news when HTTP API stages log to CloudWatch Logs', async () => {
    // Prepare
    path().logResourcePolicies = [];
    const event = cloudTrailEvent({
      eventSource: 'logs.amazonaws.com',
      eventName: 'DeleteResourcePolicy',
      eventId: 'f0000000-0000-4000-8000-00000000d0cc',
      requestParameters: { policyName: 'AWSLogDeliveryWrite20150319' },
    });

    // Act
    const verdict = await driftNews(event, 'account-http-access-log-policy');

    // Assess
    expect(verdict).toMatchObject({
      change: 'new',
      status: 'NON_COMPLIANT',
      eventName: 'DeleteResourcePolicy',
    });
    expect(verdict?.reason).toContain('/aws/apigateway/tracking-http');
  });
});
