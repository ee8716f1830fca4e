// The deployed handlers end to end, AWS answered in-process (test/support/reliability.ts): the
// drift function handles "the web ACL of payments-api prod was detached", keeps the known good
// state in the baseline table and sends its verdict; the remediator function then receives
// either that message or a forged copy naming the sender's web ACL. Only the genuine one is
// restored; the forged one reaches the notifications saying why nothing was changed.
import type { Verdict } from '../../../model/verdict';
import { verdictMessage } from '../../../model/verdict-message';
import {
  demoBaseline,
  deployedHandlers,
  driftEvent,
  NOTIFICATIONS_QUEUE,
  REGION,
  sqsEvent,
  VERDICTS_QUEUE,
} from '../../support/reliability';

const { world, handlers, captured } = deployedHandlers();

const ATTACKER_WEB_ACL = `arn:aws:wafv2:${REGION}:444455556666:regional/webacl/allow-everything/0f0f0f0f-1111-2222-3333-444455556666`;

/** drift/01 handled by the drift function: its message on the verdicts queue, and the verdict in it. */
async function driftMessage() {
  world.reset(demoBaseline());
  await handlers.drift(driftEvent('01-disassociate-web-acl.json'));
  const [message] = world.queues.on(VERDICTS_QUEUE);
  const [verdicts] = world.verdictsOn(VERDICTS_QUEUE);
  const verdict = verdicts?.find((candidate) => candidate.ruleId === 'rest-stage-waf-attached');
  if (!message || !verdict?.knownGood)
    throw new Error('drift/01 sent no web ACL verdict with its known good state');
  return { message, verdict };
}

const notified = () => world.verdictsOn(NOTIFICATIONS_QUEUE).flat();

describe('a verdict message through the deployed functions', () => {
  it('the drift function keeps the known good state in the table, beside the stage', async () => {
    const { verdict } = await driftMessage();
    const item = world.table.items.get(`${verdict.resourceArn}|known-good#rest-stage-waf-attached`);
    expect(JSON.parse(item?.record as string)).toEqual({
      arn: verdict.resourceArn,
      ruleId: 'rest-stage-waf-attached',
      eventId: verdict.eventId,
      actor: verdict.actor,
      ...verdict.knownGood,
    });
  });

  it('the genuine message re-attaches the web ACL the baseline holds', async () => {
    const { message, verdict } = await driftMessage();
    const good = verdict.knownGood?.snapshot as Extract<
      NonNullable<Verdict['knownGood']>['snapshot'],
      { kind: 'rest-stage' }
    >;
    expect(good.webAclArn).toMatch(/^arn:aws:wafv2:eu-west-1:\d{12}:regional\/webacl\//);
    await handlers.remediate(sqsEvent(VERDICTS_QUEUE, [message]));
    expect(world.aws.writes).toEqual([
      {
        name: 'wafv2:AssociateWebACL',
        input: { WebACLArn: good.webAclArn, ResourceArn: verdict.resourceArn },
      },
    ]);
    expect(notified().find((v) => v.ruleId === 'rest-stage-waf-attached')?.remediation?.action).toBe(
      'applied',
    );
  });

  it('a forged copy naming another web ACL writes nothing, and the notification says why', async () => {
    const { message, verdict } = await driftMessage();
    const good = verdict.knownGood?.snapshot as Extract<
      NonNullable<Verdict['knownGood']>['snapshot'],
      { kind: 'rest-stage' }
    >;
    const forged: Verdict = {
      ...verdict,
      knownGood: {
        ...verdict.knownGood,
        snapshot: { ...good, webAclArn: ATTACKER_WEB_ACL },
      } as Verdict['knownGood'],
    };
    const response = await handlers.remediate(
      sqsEvent(VERDICTS_QUEUE, [{ messageId: message.messageId, body: verdictMessage([forged]) }]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(world.aws.writes).toEqual([]);
    expect(notified().find((v) => v.ruleId === 'rest-stage-waf-attached')?.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('the message is not trusted and nothing was changed'),
    });
    expect(captured().metric('InputRejected')).toEqual([
      expect.objectContaining({ input: 'verdict message: known-good-hint' }),
    ]);
  });
});
