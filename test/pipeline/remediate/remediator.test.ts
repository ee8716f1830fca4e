// The guards as the remediator runs them: for each, a case it stops (no call reaches AWS, the
// verdict says why) and a case it lets through; plus the audit line, and a failed remediation
// reported as a verdict of its own.
import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import 'aws-sdk-client-mock-jest';
import type { Verdict } from '../../../model/verdict';
import { knownGoodOf, withKnownGood } from '../../../pipeline/remediate/known-good';
import { targetOf } from '../../../pipeline/remediate/remediator';
import { defaultSettings } from '../../../settings/schema';
import {
  $metadata,
  FakeReader,
  harness,
  NOW,
  OWN_ROLE,
  remediateAll,
  verdictOn,
} from '../../support/pipeline/remediation';
import { mockClient } from '../../support/sdk';
import { account, restApi, restStage } from '../../support/snapshots';

const apigateway = mockClient(APIGatewayClient);
beforeEach(() => {
  apigateway.reset();
  apigateway.on(UpdateStageCommand).resolves({ stageName: 'prod', tracingEnabled: true, $metadata });
});

const untraced = restStage({ tracingEnabled: false });
const xray = (overrides: Partial<Verdict> = {}) => verdictOn('rest-stage-xray-tracing', untraced, overrides);

async function run(
  verdicts: readonly Verdict[],
  options: Parameters<typeof harness>[1] = {},
  snapshots = [untraced, restApi()],
) {
  const h = harness(snapshots, options);
  await h.remediator.handle(verdicts);
  return { ...h, results: h.forwarded.verdicts.map((verdict) => verdict.remediation) };
}

describe('dry-run', () => {
  it('plans and reports, and changes nothing', async () => {
    const { results } = await run([xray()], { settings: remediateAll({ dryRun: true }) });
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results).toEqual([
      {
        action: 'planned',
        calls: ['apigateway:UpdateStage stage prod of API a1b2c3d4e5: /tracingEnabled → true'],
        result: 'Planned, not applied: dry-run (settings.dryRun is true). 1 call would be made.',
      },
    ]);
  });

  it('is what a new deployment runs with (examples/settings/default.json)', async () => {
    const { results } = await run([xray()], { settings: defaultSettings });
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]?.action).toBe('planned');
  });
});

describe('mode per rule', () => {
  it('does nothing for a rule in notify mode, and says so', async () => {
    const settings = remediateAll({ rules: { 'rest-stage-xray-tracing': { mode: 'notify' } } });
    const { results } = await run([xray()], { settings });
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('not switched on'),
    });
  });

  it('passes on verdicts of rules without remediation untouched', async () => {
    const { forwarded } = await run([verdictOn('rest-stage-throttling', restStage({ methodSettings: {} }))]);
    expect(forwarded.verdicts[0]?.remediation).toBeUndefined();
  });
});

describe('opt-out tag and exemptions', () => {
  it('leaves alone a stage whose API is tagged to opt out', async () => {
    const api = restApi({ tags: { 'gatewatch:opt-out': 'rest-stage-xray-tracing' } });
    const { results } = await run([xray()], {}, [untraced, api]);
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('gatewatch:opt-out'),
    });
  });

  it('leaves alone an exempt stage until the exemption expires, then acts and reports the expiry', async () => {
    const exemptions = [
      {
        rule: 'rest-stage-xray-tracing',
        resource: untraced.arn,
        reason: 'Tracing costs',
        expires: '2026-11-23',
      },
    ];
    const exempt = await run([xray()], { settings: remediateAll({ exemptions }) });
    expect(exempt.results[0]).toMatchObject({ action: 'skipped', result: expect.stringContaining('exempt') });
    expect(apigateway).not.toHaveReceivedAnyCommand();

    const expired = await run([xray()], {
      settings: remediateAll({ exemptions }),
      now: () => new Date('2026-11-24T08:00:00Z'),
    });
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
    expect(expired.results[0]).toMatchObject({
      action: 'applied',
      result: expect.stringContaining('expired on 2026-11-23'),
    });
  });
  it('reports an expired exemption even when the rule only notifies', async () => {
    const exemptions = [{ rule: '*', resource: untraced.arn, reason: 'Migration', expires: '2026-11-01' }];
    const settings = remediateAll({ exemptions, rules: { 'rest-stage-xray-tracing': { mode: 'notify' } } });
    const { results } = await run([xray()], { settings });
    expect(results[0]).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('expired on 2026-11-01'),
    });
  });
});

describe('no loops', () => {
  it("never remediates a change gatewatch's own role made", async () => {
    const own =
      'arn:aws:sts::123456789012:assumed-role/Gatewatch-RemediationHandlerRole-1A2B3C/Gatewatch-Remediation';
    const { results } = await run([xray({ actor: own })], { ownRoleArn: OWN_ROLE });
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining("gatewatch's own role"),
    });
  });

  it('reports a CloudFormation change as IaC drift instead of fighting it', async () => {
    const { results } = await run([
      xray({
        actor: 'arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role/AWSCloudFormation',
        invokedBy: 'cloudformation.amazonaws.com',
        userAgent: 'cloudformation.amazonaws.com',
      }),
    ]);
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]).toMatchObject({ action: 'skipped', result: expect.stringMatching(/^IaC drift/) });
  });
});

describe('rate limit', () => {
  it('acts three times an hour on the same stage and rule, then escalates instead of flapping', async () => {
    const h = harness([untraced, restApi()]);
    for (const eventId of ['e1', 'e2', 'e3', 'e4']) await h.remediator.handle([xray({ eventId })]);
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 3);
    expect(h.forwarded.verdicts.map((verdict) => verdict.remediation?.action)).toEqual([
      'applied',
      'applied',
      'applied',
      'escalated',
    ]);
    expect(h.forwarded.verdicts[3]?.remediation?.result).toContain('a person must look');
  });

  it('counts only the window: an hour later it acts again', async () => {
    let now = NOW;
    const h = harness([untraced, restApi()], { now: () => now });
    for (const eventId of ['e1', 'e2', 'e3']) await h.remediator.handle([xray({ eventId })]);
    now = new Date(NOW.getTime() + 61 * 60_000);
    await h.remediator.handle([xray({ eventId: 'e4' })]);
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 4);
  });
});

describe('idempotency', () => {
  it('acts once on an event delivered twice, and tells what the first delivery did', async () => {
    const h = harness([untraced, restApi()]);
    await h.remediator.handle([xray()]);
    await h.remediator.handle([xray()]);
    expect(apigateway).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
    expect(h.forwarded.verdicts[1]?.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringMatching(/delivered twice.*The first delivery was applied/),
    });
  });
});

describe('re-read and re-judge before acting', () => {
  it('does nothing when the stage complies again by the time it is read', async () => {
    const { results } = await run([xray()], {}, [restStage({ tracingEnabled: true }), restApi()]);
    expect(apigateway).not.toHaveReceivedAnyCommand();
    expect(results[0]).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('no longer non-compliant'),
    });
  });

  it('reads the stage itself, and every stage of the API when the fix deploys', () => {
    expect(
      targetOf({ resourceArn: untraced.arn, resourceType: 'rest-stage', region: 'eu-west-1' }, false),
    ).toEqual({
      kind: 'rest-stage',
      region: 'eu-west-1',
      apiId: 'a1b2c3d4e5',
      stageName: 'prod',
    });
    expect(
      targetOf({ resourceArn: untraced.arn, resourceType: 'rest-stage', region: 'eu-west-1' }, true),
    ).toEqual({
      kind: 'rest-stages',
      region: 'eu-west-1',
      apiId: 'a1b2c3d4e5',
    });
  });

  it('reports a resource deleted meanwhile, and one it cannot read, without changing anything', async () => {
    const gone = harness([], { reader: new FakeReader([], { gone: [untraced.arn] }) });
    await gone.remediator.handle([xray()]);
    expect(gone.forwarded.verdicts[0]?.remediation).toMatchObject({
      action: 'skipped',
      result: expect.stringContaining('no longer exists'),
    });

    const denied = harness([], {
      reader: new FakeReader([], {
        problems: [
          {
            operation: 'GetStage',
            resource: untraced.arn,
            kind: 'denied',
            code: 'AccessDeniedException',
            message: 'no',
          },
        ],
      }),
    });
    await denied.remediator.handle([xray()]);
    expect(denied.forwarded.verdicts[0]?.remediation).toMatchObject({
      action: 'failed',
      result: expect.stringContaining('GetStage: AccessDeniedException'),
    });
    expect(apigateway).not.toHaveReceivedAnyCommand();
  });
});

describe('every action is recorded, a failure included', () => {
  it('writes one audit line per decision: rule, resource, actor, before, after, action, calls, result', async () => {
    const { audit, metrics } = await run([xray({ before: true, after: false })]);
    expect(audit).toEqual([
      {
        level: 'info',
        message: 'remediation',
        fields: {
          ruleId: 'rest-stage-xray-tracing',
          resourceArn: untraced.arn,
          resource: 'stage prod of REST API orders-api (a1b2c3d4e5)',
          eventId: 'c2f1a7d4-6b0e-4f5a-9d3c-8e7b6a5f4d3c',
          eventName: 'UpdateStage',
          actor: expect.stringContaining('alice@example.com'),
          before: true,
          after: false,
          action: 'applied',
          calls: ['apigateway:UpdateStage stage prod of API a1b2c3d4e5: /tracingEnabled → true'],
          result: expect.stringMatching(/^Applied: 1 call made/),
          dryRun: false,
        },
      },
    ]);
    expect(metrics.points).toEqual([
      { name: 'RemediationResult', value: 1, unit: 'Count', dimensions: { result: 'applied' } },
    ]);
  });

  it('hands a failed remediation on as a verdict of its own, and logs it as an error', async () => {
    // Prepare
    apigateway.on(UpdateStageCommand).rejects(
      Object.assign(new Error('Invalid patch path /tracingEnabled'), {
        name: 'BadRequestException',
        $fault: 'client',
        $metadata: { ...$metadata, httpStatusCode: 400 },
      }),
    );
    // Act
    const { forwarded, audit } = await run([xray()]);
    // Assess
    expect(forwarded.verdicts).toHaveLength(1);
    expect(forwarded.verdicts[0]?.remediation).toEqual({
      action: 'failed',
      calls: ['apigateway:UpdateStage stage prod of API a1b2c3d4e5: /tracingEnabled → true'],
      result:
        'apigateway:UpdateStage failed (BadRequestException: Invalid patch path /tracingEnabled) after 0 of 1 call succeeded; Stage prod of REST API orders-api (a1b2c3d4e5) is still non-compliant and needs a person.',
    });
    expect(audit[0]?.level).toBe('error');
  });
});

describe('the known good state a restore puts back', () => {
  it('is the baseline snapshot only while the rule judged it compliant', async () => {
    const good = { arn: untraced.arn, snapshot: restStage(), observedAt: '2026-11-23T08:00:00Z', rules: {} };
    expect(
      knownGoodOf(
        { ...good, rules: { 'rest-stage-waf-attached': { status: 'COMPLIANT', reason: '', since: '' } } },
        'rest-stage-waf-attached',
      ),
    ).toEqual({ snapshot: good.snapshot, observedAt: good.observedAt });
    expect(
      knownGoodOf(
        { ...good, rules: { 'rest-stage-waf-attached': { status: 'NON_COMPLIANT', reason: '', since: '' } } },
        'rest-stage-waf-attached',
      ),
    ).toBeUndefined();
    expect(knownGoodOf(undefined, 'rest-stage-waf-attached')).toBeUndefined();
  });

  it('is attached by the drift side to restore verdicts only', async () => {
    const detached = restStage({ webAclArn: null, webAcl: null });
    const entry = {
      arn: detached.arn,
      snapshot: restStage(),
      observedAt: '2026-11-23T08:00:00Z',
      rules: { 'rest-stage-waf-attached': { status: 'COMPLIANT' as const, reason: '', since: '' } },
    };
    const [waf, tracing] = await withKnownGood(
      [verdictOn('rest-stage-waf-attached', detached), verdictOn('rest-stage-xray-tracing', untraced)],
      { get: async () => entry },
    );
    expect(waf?.knownGood?.snapshot).toEqual(restStage());
    expect(tracing?.knownGood).toBeUndefined();
  });

  it('reads the API too (its opt-out tag) and, for logging fixes, the account settings', async () => {
    const reader = new FakeReader([restStage({ methodSettings: {} }), account()]);
    const h = harness([], { reader });
    await h.remediator.handle([verdictOn('rest-stage-execution-logging', restStage({ methodSettings: {} }))]);
    expect(reader.targets.map((target) => target.kind)).toEqual(['rest-stage', 'rest-api', 'account']);
  });
});
