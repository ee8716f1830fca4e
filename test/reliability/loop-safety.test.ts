// Remediation must never become the outage: it never acts on a change gatewatch's own role made
// (nor a trusted principal's, nor CloudFormation's), never past the rate limit, never in a dry
// run, and never twice for one event. Proven two ways: random sequences of verdicts (seeded
// fast-check) through the remediator with the real SDK clients answered in-process, checking
// every write the account received; and end to end through the deployed handlers, where
// gatewatch's own fix comes back as a CloudTrail event.
import * as fc from 'fast-check';
import type { Verdict } from '../../model/verdict';
import { MemoryKnownGoodStore } from '../../pipeline/remediate/known-good';
import type { Snapshot } from '../../rules/core/resources';
import { resetSettingsCache } from '../../settings/load';
import {
  ALICE,
  OWN_ROLE as HARNESS_ROLE,
  harness,
  knownGood,
  NOW,
  recordOf,
  remediateAll,
  verdictOn,
} from '../support/pipeline/remediation';
import {
  captureOutput,
  cloudTrailEvent,
  demoBaseline,
  detailOf,
  driftEvent,
  loadHandlers,
  NOTIFICATIONS_QUEUE,
  OWN_ROLE,
  REGION,
  remediateAllSettings,
  sqsEvent,
  unpaced,
  VERDICTS_QUEUE,
  World,
  withEventId,
} from '../support/reliability';
import { domainName, restStage, v2Route, webSocketStage } from '../support/snapshots';

unpaced();
const world = new World();
const handlers = loadHandlers();
let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  useSettings(remediateAllSettings());
});
afterAll(() => world.restore());

const SEED = 7_1123;

/** The handlers read GATEWATCH_SETTINGS on their next invocation. */
function useSettings(settings: Record<string, unknown>): void {
  process.env.GATEWATCH_SETTINGS = JSON.stringify(settings);
  resetSettingsCache();
}

// ─── Random sequences through the remediator ────────────────────────────────────────────

const ACCOUNT_ID = '123456789012';
const TRUSTED = `arn:aws:iam::${ACCOUNT_ID}:role/platform-deployer`;
const ownRoleName = HARNESS_ROLE.split('/').pop() as string;

/** Who made the change, and whether gatewatch may act on it. */
const actors = [
  { actor: ALICE, invokedBy: null, userAgent: 'console.amazonaws.com', mayAct: true },
  {
    actor: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ownRoleName}/gatewatch-remediate`,
    invokedBy: null,
    userAgent: 'aws-sdk-js/3.1142.0 ua/2.1 os/linux lang/js md/nodejs#24.11.0 api/api-gateway#3.1142.0',
    mayAct: false,
  },
  {
    actor: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ownRoleName}/another-session-name`,
    invokedBy: null,
    userAgent: 'aws-sdk-js/3.1142.0',
    mayAct: false,
  },
  { actor: HARNESS_ROLE, invokedBy: null, userAgent: 'aws-sdk-js/3.1142.0', mayAct: false },
  {
    actor: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/platform-deployer/ci-run-42`,
    invokedBy: null,
    userAgent: 'aws-cli/2.22.4',
    mayAct: false,
  },
  {
    actor: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/cdk-hnb659fds-cfn-exec-role/AWSCloudFormation`,
    invokedBy: 'cloudformation.amazonaws.com',
    userAgent: 'cloudformation.amazonaws.com',
    mayAct: false,
  },
  // A look-alike role is someone else: gatewatch acts.
  {
    actor: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ownRoleName}-copy/gatewatch-remediate`,
    invokedBy: null,
    userAgent: 'aws-sdk-js/3.1142.0',
    mayAct: true,
  },
] as const;

/** Non-compliant resources with a fix each, one write call or more. */
const stage = restStage({ tracingEnabled: false, webAclArn: null, webAcl: null });
const route = v2Route({ authorizationType: 'NONE', authorizer: null });
const domain = domainName({ securityPolicy: 'TLS_1_0' });
const socket = webSocketStage({
  defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: true, detailedMetricsEnabled: true },
});
const snapshots: Snapshot[] = [stage, route, domain, socket];
const findings: readonly ((overrides: Partial<Verdict>) => Verdict)[] = [
  (o) => verdictOn('rest-stage-xray-tracing', stage, o),
  (o) => verdictOn('rest-stage-waf-attached', stage, { knownGood: knownGood(restStage()), ...o }),
  (o) => verdictOn('v2-route-authorization', route, { knownGood: knownGood(v2Route()), ...o }),
  (o) => verdictOn('domain-tls-policy', domain, o),
  (o) => verdictOn('v2-stage-data-trace-disabled', socket, o),
];

const scenario = fc.record({
  dryRun: fc.boolean(),
  maxPerWindow: fc.integer({ min: 1, max: 4 }),
  windowMinutes: fc.integer({ min: 10, max: 120 }),
  steps: fc.array(
    fc.record({
      finding: fc.nat({ max: findings.length - 1 }),
      actor: fc.nat({ max: actors.length - 1 }),
      minutesLater: fc.nat({ max: 45 }),
      /** The previous step's event delivered again. */
      redelivery: fc.boolean(),
    }),
    { minLength: 1, maxLength: 16 },
  ),
});

describe('the remediator, over random sequences of verdicts', () => {
  it('never acts on its own or trusted changes, past the rate limit, twice for one event, or in a dry run', async () => {
    const seen = { applied: 0, escalated: 0, own: 0, dryRun: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async ({ dryRun, maxPerWindow, windowMinutes, steps }) => {
        // Prepare
        world.reset();
        let now = NOW.getTime();
        const settings = remediateAll({
          dryRun,
          remediation: { maxPerWindow, windowMinutes, trustedPrincipals: [TRUSTED] },
        });
        const kept = new MemoryKnownGoodStore();
        const run = harness(snapshots, { settings, now: () => new Date(now), knownGood: kept });
        const decided: { verdict: Verdict; at: number; mayAct: boolean }[] = [];

        // Act
        for (const [index, step] of steps.entries()) {
          now += step.minutesLater * 60_000;
          const previous = decided.at(-1);
          const who = actors[step.actor] as (typeof actors)[number];
          const verdict =
            step.redelivery && previous
              ? previous.verdict
              : (findings[step.finding] as (typeof findings)[number])({
                  eventId: `e${index}`,
                  actor: who.actor,
                  invokedBy: who.invokedBy,
                  userAgent: who.userAgent,
                });
          const mayAct = step.redelivery && previous ? previous.mayAct : who.mayAct;
          decided.push({ verdict, at: now, mayAct });
          // The drift path keeps the known good state in the table before it sends the verdict.
          if (verdict.knownGood) await kept.keep(recordOf(verdict));
          await run.remediator.handle([verdict]);
        }

        // Assess: every write the account received is an audited, allowed change.
        const lines = run.audit.filter((line) => line.message === 'remediation');
        expect(lines).toHaveLength(decided.length);
        const applied = lines.flatMap((line, i) =>
          line.fields.action === 'applied' ? [{ ...(decided[i] as (typeof decided)[number]), line }] : [],
        );
        expect(world.aws.writes.length).toBe(
          applied.reduce((sum, { line }) => sum + (line.fields.calls as string[]).length, 0),
        );
        if (dryRun) expect(world.aws.writes).toEqual([]);
        for (const change of applied) expect(change.mayAct).toBe(true);
        const once = new Set(applied.map(({ verdict }) => `${verdict.eventId}#${verdict.ruleId}`));
        expect(once.size).toBe(applied.length);
        for (const change of applied) {
          const inWindow = applied.filter(
            (other) =>
              other.verdict.ruleId === change.verdict.ruleId &&
              other.verdict.resourceArn === change.verdict.resourceArn &&
              other.at <= change.at &&
              other.at >= change.at - windowMinutes * 60_000,
          );
          expect(inWindow.length).toBeLessThanOrEqual(maxPerWindow);
        }
        seen.applied += applied.length;
        seen.escalated += lines.filter((line) => line.fields.action === 'escalated').length;
        seen.own += lines.filter((line) => /gatewatch's own role/.test(String(line.fields.result))).length;
        seen.dryRun += lines.filter((line) => line.fields.action === 'planned').length;
      }),
      { seed: SEED, numRuns: 80 },
    );
    // Every guard was exercised, and gatewatch did act where it may.
    expect(seen.applied).toBeGreaterThan(20);
    expect(seen.escalated).toBeGreaterThan(0);
    expect(seen.own).toBeGreaterThan(0);
    expect(seen.dryRun).toBeGreaterThan(0);
  });
});

// ─── End to end: gatewatch's own fix comes back as a CloudTrail event ───────────────────

/** The session the remediator's calls are made with, as CloudTrail records it. */
const OWN_SESSION = `arn:aws:sts::111122223333:assumed-role/${OWN_ROLE.split('/').pop()}/gatewatch-remediate`;

/** Applies the UpdateStage log-level patches gatewatch made to the account, as API Gateway would. */
function applyWrites(): void {
  for (const write of world.aws.writes) {
    if (write.name !== 'apigateway:UpdateStage') continue;
    const input = write.input as {
      restApiId: string;
      stageName: string;
      patchOperations: { path: string; value: string }[];
    };
    const target = world.account.restStage(input.restApiId, input.stageName);
    for (const { path, value } of input.patchOperations) {
      const match = /^\/(.+)\/([^/]+)\/logging\/loglevel$/.exec(path);
      if (!match) continue;
      const key = `${match[1]}/${match[2]}`;
      target.methodSettings = {
        ...target.methodSettings,
        [key]: { ...target.methodSettings?.[key], loggingLevel: value },
      };
    }
  }
}

/** The CloudTrail event of gatewatch's own UpdateStage call. */
function ownChange(eventId: string, patchOperations: unknown): Record<string, unknown> {
  const event = cloudTrailEvent({
    eventName: 'UpdateStage',
    eventId,
    requestParameters: {
      restApiId: 'a9d3f5g7h1',
      stageName: 'prod',
      updateStageInput: { patchOperations },
      template: false,
    },
    userAgent: 'aws-sdk-js/3.1142.0 ua/2.1 os/linux lang/js md/nodejs#24.11.0 api/api-gateway#3.1142.0',
  });
  const detail = detailOf(event);
  detail.userIdentity = {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEGATEWATCH01:gatewatch-remediate',
    arn: OWN_SESSION,
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLEGATEWATCH',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEGATEWATCH01',
        arn: OWN_ROLE,
        accountId: '111122223333',
        userName: OWN_ROLE.split('/').pop(),
      },
      attributes: { creationDate: '2026-11-23T09:15:00Z', mfaAuthenticated: 'false' },
    },
  };
  detail.sourceIPAddress = '3.248.0.10';
  delete detail.sessionCredentialFromConsole;
  return event;
}

/** Drift → remediator → notifier, for one event; returns the subjects published. */
async function chain(event: Record<string, unknown>): Promise<string[]> {
  const before = {
    verdicts: world.queues.on(VERDICTS_QUEUE).length,
    notifications: world.queues.on(NOTIFICATIONS_QUEUE).length,
    published: world.topics.published.length,
  };
  await handlers.drift(event);
  const verdicts = world.queues.on(VERDICTS_QUEUE).slice(before.verdicts);
  if (verdicts.length > 0) await handlers.remediate(sqsEvent(VERDICTS_QUEUE, verdicts));
  const notifications = world.queues.on(NOTIFICATIONS_QUEUE).slice(before.notifications);
  if (notifications.length > 0) await handlers.notify(sqsEvent(NOTIFICATIONS_QUEUE, notifications) as never);
  return world.topics.published.slice(before.published).map((message) => message.Subject ?? '');
}

describe("gatewatch's own change, back through CloudTrail", () => {
  const original = structuredClone(world.account.restStage('a9d3f5g7h1', 'prod'));
  afterEach(() => {
    Object.assign(world.account.restStage('a9d3f5g7h1', 'prod'), structuredClone(original));
  });

  it('resolves the drift it fixed, and changes nothing more', async () => {
    // Prepare: alice turns execution logging off on backoffice-admin prod; gatewatch fixes it.
    world.reset(demoBaseline());
    const first = await chain(driftEvent('02-update-stage-logging-off.json'));
    const [fix] = world.aws.writes;
    if (!fix) throw new Error('gatewatch made no fix');
    const { patchOperations } = fix.input as { patchOperations: unknown };
    applyWrites();

    // Act: the fix's own CloudTrail event arrives.
    const back = await chain(ownChange('0d0e0f00-0000-4000-8000-00000000100b', patchOperations));

    // Assess
    expect(first).toEqual([expect.stringMatching(/^\[MEDIUM\] Remediated: rest-stage-execution-logging/)]);
    expect(world.aws.writes).toHaveLength(1);
    expect(back).toEqual([expect.stringMatching(/^\[MEDIUM\] Resolved: rest-stage-execution-logging/)]);
  });

  it('does not act on what its own change left non-compliant', async () => {
    // Prepare: nothing known about the stage, so every finding on it is news, made by gatewatch.
    world.reset(demoBaseline().filter((entry) => !entry.arn.includes('/restapis/a9d3f5g7h1')));

    // Act
    await chain(ownChange('0d0e0f00-0000-4000-8000-00000000100c', []));

    // Assess
    const forwarded = world.verdictsOn(NOTIFICATIONS_QUEUE).flat();
    const remediable = forwarded.filter(
      (verdict) => verdict.status === 'NON_COMPLIANT' && verdict.remediation,
    );
    expect(remediable.length).toBeGreaterThan(0);
    for (const verdict of remediable) {
      expect(verdict.remediation).toMatchObject({
        action: 'skipped',
        result: expect.stringContaining("gatewatch's own role"),
      });
    }
    expect(world.aws.writes).toEqual([]);
  });
});

describe('the rate limit, end to end', () => {
  it('escalates instead of fixing the same stage a fourth time within the hour', async () => {
    // Prepare: someone turns logging off six times in a row; gatewatch fixes it each time.
    world.reset(demoBaseline());
    const subjects: string[] = [];

    // Act
    for (let i = 0; i < 6; i++) {
      // The account shows logging off again each time (the fix is undone).
      subjects.push(
        ...(await chain(
          withEventId(
            driftEvent('02-update-stage-logging-off.json'),
            `0d0e0f00-0000-4000-8000-0000000011${i}0`,
          ),
        )),
      );
      // Between events the baseline is told the stage was fixed (the fix's own event).
      world.table.items.delete(`arn:aws:apigateway:${REGION}::/restapis/a9d3f5g7h1/stages/prod|state`);
    }

    // Assess: three fixes, then three escalations; people hear of the first of each (the same
    // state again within the notifications' window is not announced again).
    expect(world.aws.writes.map((call) => call.name)).toEqual([
      'apigateway:UpdateStage',
      'apigateway:UpdateStage',
      'apigateway:UpdateStage',
    ]);
    const actions = world
      .verdictsOn(NOTIFICATIONS_QUEUE)
      .flat()
      .filter((verdict) => verdict.ruleId === 'rest-stage-execution-logging')
      .map((verdict) => verdict.remediation?.action);
    expect(actions).toEqual(['applied', 'applied', 'applied', 'escalated', 'escalated', 'escalated']);
    expect(subjects.filter((subject) => subject.includes('rest-stage-execution-logging'))).toEqual([
      expect.stringMatching(/^\[MEDIUM\] Remediated: rest-stage-execution-logging/),
      expect.stringMatching(/^\[MEDIUM\] Escalated: rest-stage-execution-logging/),
    ]);
  });
});

describe('dry run, end to end', () => {
  it('plans every fix for the bundled drift events and changes nothing', async () => {
    // Prepare: the settings a new deployment gets (dryRun: true), every remediation switched on.
    useSettings({ ...remediateAllSettings(), dryRun: true });
    world.reset(demoBaseline());

    // Act
    for (const file of [
      '01-disassociate-web-acl.json',
      '02-update-stage-logging-off.json',
      '03-update-method-authorization-none.json',
      '04-create-deployment-prod.json',
      '05-update-route-authorization-none.json',
    ]) {
      await chain(driftEvent(file));
    }

    // Assess
    expect(world.aws.writes).toEqual([]);
    const planned = world
      .verdictsOn(NOTIFICATIONS_QUEUE)
      .flat()
      .filter((verdict) => verdict.remediation?.action === 'planned');
    expect(planned.map((verdict) => verdict.ruleId).sort()).toEqual([
      'rest-method-authorization',
      'rest-stage-execution-logging',
      'rest-stage-waf-attached',
      'v2-route-authorization',
    ]);
    for (const verdict of planned) {
      expect(verdict.remediation?.result).toMatch(
        /^Planned, not applied: dry-run \(settings\.dryRun is true\)/,
      );
    }
  });
});
