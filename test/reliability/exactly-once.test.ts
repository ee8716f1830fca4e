// Two deliveries of one CloudTrail event reach the drift queue (EventBridge delivers at least
// once) and two environments of the deployed drift function take them at the same moment: the
// event is judged once, one verdict message goes to the remediator, and the remediator notifies
// once. AWS answered in-process (test/support/in-process-aws.ts), conditions honoured.
import {
  ACCOUNT,
  demoBaseline,
  driftEvent,
  loadHandlers,
  NOTIFICATIONS_QUEUE,
  REGION,
  sqsEvent,
  unpaced,
  VERDICTS_QUEUE,
  World,
} from '../support/reliability';

const DRIFT_QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/gatewatch-drift`;

unpaced();
const world = new World();
const handlers = loadHandlers();
const { queueHandler } = require('../../handlers/drift') as typeof import('../../handlers/drift');

afterAll(() => world.restore());

it('judges, remediates and notifies once when two environments take two deliveries of one event at once', async () => {
  // Prepare
  world.reset(demoBaseline());
  const body = JSON.stringify(driftEvent('02-update-stage-logging-off.json'));

  // Act
  const answers = await Promise.all([
    queueHandler(sqsEvent(DRIFT_QUEUE, [{ messageId: '0b6c1a52-0000-4000-8000-000000000001', body }])),
    queueHandler(sqsEvent(DRIFT_QUEUE, [{ messageId: '0b6c1a52-0000-4000-8000-000000000002', body }])),
  ]);
  const verdictMessages = world.queues.on(VERDICTS_QUEUE);
  for (const message of verdictMessages) {
    await handlers.remediate(sqsEvent(VERDICTS_QUEUE, [message]));
  }

  // Assess: both messages done (neither is retried), one judgement downstream.
  expect(answers).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
  expect(verdictMessages).toHaveLength(1);
  expect(world.queues.on(NOTIFICATIONS_QUEUE)).toHaveLength(1);
  expect(world.handled(JSON.parse(body).detail.eventID)).toBe(true);
});

it('fails only the message that does not parse, for the queue to retry and dead-letter', async () => {
  world.reset(demoBaseline());
  const good = JSON.stringify(driftEvent('01-disassociate-web-acl.json'));

  const answer = await queueHandler(
    sqsEvent(DRIFT_QUEUE, [
      { messageId: '0b6c1a52-0000-4000-8000-000000000003', body: '{"detail-type": 7' },
      { messageId: '0b6c1a52-0000-4000-8000-000000000004', body: good },
    ]),
  );

  expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '0b6c1a52-0000-4000-8000-000000000003' }] });
  expect(world.handled(JSON.parse(good).detail.eventID)).toBe(true);
});
