// A burst of drift makes one message per API and stage, never one per CloudTrail event; kinds
// of news and accounts never share a message; one event touching many stages makes one message.
import type { Verdict } from '../../../model/verdict';
import { groupNotices, MAX_PLACES_PER_EVENT, notice } from '../../../pipeline/notify/group';
import { another, type Recorded, recordedVerdicts, remediated } from '../../support/pipeline/notify-verdicts';

let recorded: Recorded;
beforeAll(async () => {
  recorded = await recordedVerdicts();
});

const routes = (count: number): Verdict[] =>
  Array.from({ length: count }, (_, index) =>
    another(recorded.routeOpen, {
      resourceArn: `arn:aws:apigateway:eu-west-1::/apis/h2t4r6k8m0/routes/route${index}`,
      resource: `route GET /r${index} of HTTP API tracking-http (h2t4r6k8m0)`,
      eventId: `terraform-apply-${index}`,
    }),
  );

const stage = (verdict: Verdict, name: string, eventId = verdict.eventId): Verdict =>
  another(verdict, {
    resourceArn: verdict.resourceArn.replace(/\/stages\/[^/]+$/, `/stages/${name}`),
    resource: verdict.resource.replace(/^stage \S+/, `stage ${name}`),
    eventId,
  });

describe('grouping', () => {
  it('puts the routes a terraform apply opened, one event each, into one message for their API', () => {
    const groups = groupNotices(routes(4).map((verdict) => notice(verdict)));

    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ eventType: 'drift', scope: { kind: 'api' } });
    expect(groups[0]?.notices).toHaveLength(4);
  });

  it('puts two rules broken on the same stage by one deployment into one message', () => {
    const tracingOff = another(recorded.loggingOff, {
      ruleId: 'rest-stage-xray-tracing',
      title: 'REST API stages have X-Ray tracing enabled',
      severity: 'LOW',
    });

    const groups = groupNotices([notice(tracingOff), notice(recorded.loggingOff)]);

    expect(groups).toHaveLength(1);
    expect(groups[0]?.notices.map((item) => item.verdict.ruleId)).toEqual([
      'rest-stage-execution-logging',
      'rest-stage-xray-tracing',
    ]);
  });

  it('keeps different stages, different kinds of news and different accounts apart', () => {
    const groups = groupNotices([
      notice(recorded.loggingOff),
      notice(stage(recorded.loggingOff, 'staging')),
      notice(
        remediated(recorded.loggingOff, 'failed', 'apigateway:UpdateStage failed (AccessDeniedException).'),
      ),
      notice(another(recorded.loggingOff, { accountId: '444455556666' })),
      notice(recorded.loggingBackOn),
    ]);

    expect(
      groups.map((group) => [
        group.eventType,
        group.accountId,
        group.scope.kind === 'stage' ? group.scope.location.stage : '',
      ]),
    ).toEqual([
      ['drift', '111122223333', 'prod'],
      ['drift', '111122223333', 'staging'],
      ['remediation-failed', '111122223333', 'prod'],
      ['drift', '444455556666', 'prod'],
      ['resolved', '111122223333', 'prod'],
    ]);
  });

  it('makes one message for one event that touched many stages (a web ACL detached from all of them)', () => {
    const stages = Array.from({ length: MAX_PLACES_PER_EVENT + 1 }, (_, index) =>
      stage(recorded.wafDetached, `stage${index}`, 'delete-web-acl-association'),
    );

    const groups = groupNotices(stages.map((verdict) => notice(verdict)));

    expect(groups).toHaveLength(1);
    expect(groups[0]?.scope).toEqual({
      kind: 'event',
      eventId: 'delete-web-acl-association',
      eventName: 'DisassociateWebACL',
      places: MAX_PLACES_PER_EVENT + 1,
    });
    expect(groups[0]?.notices).toHaveLength(MAX_PLACES_PER_EVENT + 1);
  });

  it(`keeps one message per stage while an event touches at most ${MAX_PLACES_PER_EVENT} stages`, () => {
    const stages = Array.from({ length: MAX_PLACES_PER_EVENT }, (_, index) =>
      stage(recorded.wafDetached, `stage${index}`, 'one-event'),
    );

    expect(groupNotices(stages.map((verdict) => notice(verdict)))).toHaveLength(MAX_PLACES_PER_EVENT);
  });

  it('orders messages by when their first change happened, most severe first within a message', () => {
    const groups = groupNotices([
      notice(recorded.routeOpen),
      notice(recorded.wafDetached),
      notice(recorded.loggingOff),
    ]);

    expect(groups.map((group) => group.notices[0]?.verdict.eventName)).toEqual([
      'DisassociateWebACL',
      'UpdateStage',
      'UpdateRoute',
    ]);
  });
});
