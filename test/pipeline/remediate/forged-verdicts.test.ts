// A verdict message is input from outside: whoever can put one on the verdicts queue must not
// be able to make the remediator write a value of their choosing. The remediator restores only
// what the baseline table holds for the verdict's rule, resource and event; a known good state
// (web ACL, authorizer, access log destination) or an actor in the message that disagrees with
// the table changes nothing, says why, and is counted. Writes go through the real SDK clients,
// mocked by aws-sdk-client-mock: "nothing written" means no command reached any client.
import { APIGatewayClient, UpdateMethodCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, UpdateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { AssociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import 'aws-sdk-client-mock-jest';
import { MemoryBaselineStore } from '../../../aws/stores/baseline-memory';
import type { BaselineEntry } from '../../../model/stores';
import type { Verdict } from '../../../model/verdict';
import { parseVerdictMessage, verdictMessage } from '../../../model/verdict-message';
import { metricNames } from '../../../observe/metrics';
import { MemoryKnownGoodStore, withKnownGood } from '../../../pipeline/remediate/known-good';
import type { Snapshot } from '../../../rules/core/resources';
import {
  $metadata,
  ALICE,
  harness,
  keptFor,
  knownGood,
  remediateAll,
  resourceIds,
  verdictOn,
} from '../../support/pipeline/remediation';
import { mockClient } from '../../support/sdk';
import {
  ACCESS_LOG_GROUP_ARN,
  account,
  REGION,
  restMethod,
  restStage,
  v2Route,
  WEB_ACL_ARN,
  webAcl,
} from '../../support/snapshots';

const apigateway = mockClient(APIGatewayClient);
const apigatewayv2 = mockClient(ApiGatewayV2Client);
const wafv2 = mockClient(WAFV2Client);

beforeEach(() => {
  apigateway.reset();
  apigatewayv2.reset();
  wafv2.reset();
});

/** The name of every command any client received. */
const writes = (): string[] =>
  [apigateway.calls(), apigatewayv2.calls(), wafv2.calls()].flatMap((calls) =>
    calls.map((call) => (call.args[0] as object).constructor.name),
  );

const ATTACKER_WEB_ACL = `arn:aws:wafv2:${REGION}:444455556666:regional/webacl/allow-everything/0f0f0f0f-1111-2222-3333-444455556666`;
const ATTACKER_LOG_GROUP = `arn:aws:logs:${REGION}:444455556666:log-group:exfiltration`;

/** The message as the remediator's handler receives it: serialized, then parsed with the schema. */
const throughQueue = (verdict: Verdict): Verdict => {
  const [parsed] = parseVerdictMessage(verdictMessage([verdict]), 'the test message');
  return parsed as Verdict;
};

async function remediate(
  verdict: Verdict,
  snapshots: readonly Snapshot[],
  table: MemoryKnownGoodStore,
  options = {},
) {
  const run = harness(snapshots, { knownGood: table, ...options });
  await run.remediator.handle([throughQueue(verdict)]);
  const [forwarded] = run.forwarded.verdicts;
  const rejected = run.metrics.points.filter((entry) => entry.name === metricNames.inputRejected);
  return { forwarded: forwarded as Verdict, rejected, audit: run.audit };
}

describe('a forged known good web ACL (rest-stage-waf-attached)', () => {
  const detached = restStage({ webAclArn: null, webAcl: null });
  const good = knownGood(restStage());
  const genuine = verdictOn('rest-stage-waf-attached', detached, { knownGood: good });
  const forgedState = knownGood(
    restStage({
      webAclArn: ATTACKER_WEB_ACL,
      webAcl: webAcl({ arn: ATTACKER_WEB_ACL, name: 'allow-everything' }),
    }),
  );

  it('the same event, another web ACL than the baseline holds: nothing is written, the verdict says why', async () => {
    // Prepare: the table holds the genuine record for this event; the message names the attacker's web ACL.
    wafv2.on(AssociateWebACLCommand).resolves({ $metadata });
    const forged = { ...genuine, knownGood: forgedState };
    // Act
    const { forwarded, rejected } = await remediate(forged, [detached], keptFor(genuine));
    // Assess
    expect(writes()).toEqual([]);
    expect(wafv2).not.toHaveReceivedCommand(AssociateWebACLCommand);
    expect(forwarded.remediation).toEqual({
      action: 'skipped',
      calls: [],
      result: expect.stringContaining(
        `The message's known good state of stage prod of REST API orders-api (a1b2c3d4e5) is not the one gatewatch's baseline holds for event ${genuine.eventId}`,
      ),
    });
    expect(forwarded.remediation?.result).toContain('nothing was changed');
    expect(forwarded).not.toHaveProperty('knownGood');
    expect(rejected).toEqual([
      expect.objectContaining({ value: 1, dimensions: { input: 'verdict message: known-good-hint' } }),
    ]);
  });

  it('an event gatewatch never recorded, with a web ACL of the sender’s choosing: nothing is written', async () => {
    const forged = { ...genuine, eventId: 'ffffffff-0000-4000-8000-000000000000', knownGood: forgedState };
    const { forwarded, rejected } = await remediate(forged, [detached], keptFor(genuine));
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.action).toBe('skipped');
    expect(forwarded.remediation?.result).toContain(
      "that gatewatch's baseline does not hold for event ffffffff-0000-4000-8000-000000000000",
    );
    expect(rejected).toHaveLength(1);
  });

  it('a message that agrees with the table restores the web ACL the baseline holds', async () => {
    wafv2.on(AssociateWebACLCommand).resolves({ $metadata });
    const { forwarded, rejected } = await remediate(genuine, [detached], keptFor(genuine));
    expect(wafv2).toHaveReceivedCommandTimes(AssociateWebACLCommand, 1);
    expect(wafv2).toHaveReceivedCommandWith(AssociateWebACLCommand, {
      WebACLArn: WEB_ACL_ARN,
      ResourceArn: detached.arn,
    });
    expect(forwarded.remediation?.action).toBe('applied');
    expect(rejected).toEqual([]);
  });

  it('a message without a hint still restores what the table holds for its event', async () => {
    wafv2.on(AssociateWebACLCommand).resolves({ $metadata });
    const { knownGood: _hint, ...bare } = genuine;
    const { forwarded } = await remediate(bare, [detached], keptFor(genuine));
    expect(wafv2).toHaveReceivedCommandWith(AssociateWebACLCommand, { WebACLArn: WEB_ACL_ARN });
    expect(forwarded.remediation?.action).toBe('applied');
  });

  it('a record left by another event is not this message’s to use: nothing is restored', async () => {
    const earlier = { ...genuine, eventId: '0a0a0a0a-1111-4222-8333-444444444444' };
    const { forwarded } = await remediate(genuine, [detached], keptFor(earlier));
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.action).toBe('skipped');
    expect(forwarded.remediation?.result).toContain(`does not hold for event ${genuine.eventId}`);
  });

  it('another actor than the one gatewatch recorded for the event (to slip past a trusted principal): nothing is written', async () => {
    const trusted = 'arn:aws:iam::123456789012:role/break-glass';
    const settings = remediateAll({ remediation: { trustedPrincipals: [trusted] } });
    const byTrusted = { ...genuine, actor: trusted };
    const relabelled = { ...byTrusted, actor: ALICE };
    const { forwarded, rejected } = await remediate(relabelled, [detached], keptFor(byTrusted), { settings });
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.result).toContain(
      `gatewatch recorded ${trusted} for event ${genuine.eventId}`,
    );
    expect(rejected).toEqual([expect.objectContaining({ dimensions: { input: 'verdict message: actor' } })]);
  });
});

describe('a forged known good authorizer', () => {
  it('REST (rest-method-authorization): an authorizer the baseline never held is not put back', async () => {
    const open = restStage({
      deploymentId: 'dep456',
      methods: {
        source: 'deployment',
        served: [restMethod({ authorizationType: 'NONE', authorizer: null })],
      },
    });
    const genuine = verdictOn('rest-method-authorization', open, { knownGood: knownGood(restStage()) });
    const forgedState = knownGood(
      restStage({
        methods: {
          source: 'deployment',
          served: [
            restMethod({
              authorizationType: 'CUSTOM',
              authorizer: { authorizerId: 'evil01', name: 'always-allow', type: 'TOKEN' },
            }),
          ],
        },
      }),
    );
    const { forwarded } = await remediate({ ...genuine, knownGood: forgedState }, [open], keptFor(genuine), {
      resourceIds: resourceIds({ '/orders': 'ord01x' }),
    });
    expect(apigateway).not.toHaveReceivedCommand(UpdateMethodCommand);
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.action).toBe('skipped');
    expect(forwarded.remediation?.result).toContain("is not the one gatewatch's baseline holds");
  });

  it('HTTP (v2-route-authorization): a JWT authorizer of the sender’s choosing is not put back', async () => {
    const route = v2Route({ authorizationType: 'NONE', authorizer: null });
    const genuine = verdictOn('v2-route-authorization', route, { knownGood: knownGood(v2Route()) });
    const forgedState = knownGood(
      v2Route({ authorizer: { authorizerId: 'evil02', name: 'attacker-issuer', type: 'JWT' } }),
    );
    const { forwarded } = await remediate({ ...genuine, knownGood: forgedState }, [route], keptFor(genuine));
    expect(apigatewayv2).not.toHaveReceivedCommand(UpdateRouteCommand);
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.action).toBe('skipped');
    expect(forwarded.remediation?.result).toContain("is not the one gatewatch's baseline holds");
  });
});

describe('a forged access log destination (rest-stage-access-logging, a safe remediation)', () => {
  it('a message carrying a known good state for a rule that restores nothing is refused', async () => {
    const stage = restStage({ accessLog: null });
    const forged = verdictOn('rest-stage-access-logging', stage, {
      knownGood: knownGood(
        restStage({ accessLog: { destinationArn: ATTACKER_LOG_GROUP, format: '$context.requestId' } }),
      ),
    });
    const settings = remediateAll({
      rules: {
        'rest-stage-access-logging': {
          mode: 'remediate',
          parameters: { defaultDestinationArn: ACCESS_LOG_GROUP_ARN },
        },
      },
    });
    const { forwarded } = await remediate(forged, [stage, account()], new MemoryKnownGoodStore(), {
      settings,
    });
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.action).toBe('skipped');
    expect(forwarded.remediation?.result).toContain("that gatewatch's baseline does not hold");
    // Without the forged hint, the same verdict writes the configured log group, never the sender's.
    apigateway.on(UpdateStageCommand).resolves({ stageName: 'prod', deploymentId: 'dep123', $metadata });
    const { knownGood: _hint, ...bare } = forged;
    const plain = await remediate(bare, [stage, account()], new MemoryKnownGoodStore(), { settings });
    expect(plain.forwarded.remediation?.action).toBe('applied');
    expect(JSON.stringify(apigateway.calls().map((call) => call.args[0].input))).not.toContain(
      ATTACKER_LOG_GROUP,
    );
    expect(apigateway).toHaveReceivedCommandWith(UpdateStageCommand, {
      patchOperations: expect.arrayContaining([
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: ACCESS_LOG_GROUP_ARN },
      ]),
    });
  });
});

describe('a region that is not the resource’s', () => {
  it('is refused before anything is read', async () => {
    const detached = restStage({ webAclArn: null, webAcl: null });
    const genuine = verdictOn('rest-stage-waf-attached', detached, { knownGood: knownGood(restStage()) });
    const { forwarded, rejected } = await remediate(
      { ...genuine, region: 'us-east-1' },
      [detached],
      keptFor(genuine),
    );
    expect(writes()).toEqual([]);
    expect(forwarded.remediation?.result).toContain(
      `names region us-east-1 for ${detached.arn}, which is in ${REGION}`,
    );
    expect(rejected).toEqual([expect.objectContaining({ dimensions: { input: 'verdict message: region' } })]);
  });
});

describe('the drift path keeps what the remediator reads', () => {
  it('withKnownGood keeps the compliant state of the baseline as this event’s record, before the drift is stored', async () => {
    // Prepare: the baseline still holds the stage as it was when the rule judged it compliant.
    const before = restStage();
    const entry: BaselineEntry = {
      arn: before.arn,
      snapshot: before,
      observedAt: '2026-11-23T08:00:00Z',
      rules: {
        'rest-stage-waf-attached': { status: 'COMPLIANT', reason: 'attached', since: '2026-11-01T00:00:00Z' },
      },
    };
    const baseline = new MemoryBaselineStore();
    await baseline.put(entry);
    const records = new MemoryKnownGoodStore();
    const verdict = verdictOn('rest-stage-waf-attached', restStage({ webAclArn: null, webAcl: null }));
    // Act
    const [sent] = await withKnownGood([verdict], baseline, records);
    // Assess
    expect(await records.get(before.arn, 'rest-stage-waf-attached')).toEqual({
      arn: before.arn,
      ruleId: 'rest-stage-waf-attached',
      eventId: verdict.eventId,
      actor: verdict.actor,
      snapshot: before,
      observedAt: '2026-11-23T08:00:00Z',
    });
    expect(sent?.knownGood).toEqual({ snapshot: before, observedAt: '2026-11-23T08:00:00Z' });
  });
});
