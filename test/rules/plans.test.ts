// Each rule's remediation plan sits in the rule's own file, typed by the rule's snapshot kind, its
// parameter schema and the calls its declaration lists: tsc refuses a plan typed against another
// snapshot, or one returning a call the rule does not declare (the @ts-expect-error lines below;
// `npm test` runs tsc over the tests). At run time, over the demo estate, every plan of a rule
// declaring a remediation returns only declared calls.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { normalise } from '../../aws/read/normalise';
import { inventorySchema } from '../../aws/read/schema';
import { judge, parseParameters } from '../../rules/core/judge';
import { noParameters, parameters, withDefault } from '../../rules/core/params';
import { planCalls, refuse, restStageUpdate } from '../../rules/core/plans';
import { callName, plannedCall } from '../../rules/core/remediation-calls';
import {
  type AccountSnapshot,
  kindCovers,
  type Snapshot,
  snapshotsOf,
  type V2StageSnapshot,
} from '../../rules/core/resources';
import { compliant, defineRule, type Plan } from '../../rules/core/rule';
import { catalog } from '../../rules/index';
import {
  ACCESS_LOG_GROUP_ARN,
  domainName,
  restApi,
  restMethod,
  restStage,
  v2Api,
  v2Route,
  v2Stage,
  webSocketStage,
} from '../support/snapshots';

const updateStage = {
  service: 'apigateway',
  operation: 'UpdateStage',
  iamActions: ['apigateway:PATCH'],
  effect: 'replace /tracingEnabled with true.',
} as const;

const base = {
  id: 'example',
  title: 'An example',
  severity: 'LOW',
  rationale: 'For the type checks.',
  references: { docs: [] },
} as const;

describe('the plan contract, as tsc checks it', () => {
  it('types a plan by the rule snapshot, parameters and declared calls', async () => {
    const rule = defineRule({
      ...base,
      resource: 'rest-stage',
      parameters: parameters({ level: withDefault(z.enum(['ERROR', 'INFO']), 'ERROR', 'A level.') }),
      evaluate: (stage) => compliant(stage.stageName),
      remediation: {
        kind: 'safe',
        summary: 'Turns tracing on.',
        calls: [updateStage],
        canBreakClients: false,
        async plan(stage, { level }) {
          const ops = [{ path: '/tracingEnabled', value: level === 'ERROR' ? 'true' : 'true' }];
          return planCalls([restStageUpdate(stage, ops, 'tracing on')]);
        },
      },
    });
    expect(rule.remediation?.calls.map((call) => callName(call))).toEqual(['apigateway:UpdateStage']);
  });

  it('refuses a plan typed against another snapshot', () => {
    const rule = defineRule({
      ...base,
      resource: 'rest-stage',
      parameters: noParameters,
      evaluate: (stage) => compliant(stage.stageName),
      remediation: {
        kind: 'safe',
        summary: 'Turns tracing on.',
        calls: [updateStage],
        canBreakClients: false,
        // @ts-expect-error a REST stage rule's plan is given a REST stage, not an HTTP API stage
        plan: async (stage: V2StageSnapshot): Promise<Plan<never>> => refuse(stage.stageName),
      },
    });
    expect(rule.resource).toBe('rest-stage');
  });

  it('refuses a plan of another resource kind', () => {
    const rule = defineRule({
      ...base,
      resource: 'domain-name',
      parameters: noParameters,
      evaluate: (domain) => compliant(domain.domainName),
      remediation: {
        kind: 'safe',
        summary: 'Sets the account role.',
        calls: [updateStage],
        canBreakClients: false,
        // @ts-expect-error a custom domain rule's plan is not given the account settings
        plan: async (account: AccountSnapshot): Promise<Plan<never>> => refuse(account.region),
      },
    });
    expect(rule.resource).toBe('domain-name');
  });

  it('refuses a plan returning a call its rule does not declare', () => {
    const rule = defineRule({
      ...base,
      resource: 'rest-stage',
      parameters: noParameters,
      evaluate: (stage) => compliant(stage.stageName),
      remediation: {
        kind: 'restore',
        summary: 'Turns tracing on.',
        calls: [updateStage],
        canBreakClients: false,
        // @ts-expect-error AssociateWebACL is not among the declared calls
        async plan(stage) {
          return planCalls([
            plannedCall('wafv2:AssociateWebACL', { WebACLArn: 'acl', ResourceArn: stage.arn }, 'associate'),
          ]);
        },
      },
    });
    expect(rule.remediation?.kind).toBe('restore');
  });

  it("types the parameters by the rule's schema", () => {
    const rule = defineRule({
      ...base,
      resource: 'rest-stage',
      parameters: parameters({ level: withDefault(z.enum(['ERROR', 'INFO']), 'ERROR', 'A level.') }),
      evaluate: (stage) => compliant(stage.stageName),
      remediation: {
        kind: 'safe',
        summary: 'Turns tracing on.',
        calls: [updateStage],
        canBreakClients: false,
        async plan(stage, params) {
          // @ts-expect-error the level is 'ERROR' or 'INFO', not a number
          const level: number = params.level;
          return refuse(`${stage.stageName} ${level}`);
        },
      },
    });
    expect(parseParameters(rule, {})).toEqual({ level: 'ERROR' });
  });
});

/** Drifted resources, with what they were before: every remediation has something to fix here. */
const drifted: readonly (readonly [Snapshot, Snapshot])[] = [
  [
    restStage({
      webAclArn: null,
      webAcl: null,
      methodSettings: {
        '*/*': {
          loggingLevel: 'OFF',
          dataTraceEnabled: true,
          cachingEnabled: true,
          cacheDataEncrypted: false,
        },
      },
      accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN, format: '$context.requestId' },
      tracingEnabled: false,
      cacheClusterEnabled: true,
      methods: {
        source: 'deployment',
        served: [restMethod({ authorizationType: 'NONE', authorizer: null })],
      },
    }),
    restStage(),
  ],
  [
    v2Stage({
      accessLog: { destinationArn: ACCESS_LOG_GROUP_ARN, format: '$context.requestId' },
      defaultRouteSettings: { dataTraceEnabled: true },
    }),
    v2Stage(),
  ],
  [
    webSocketStage({ defaultRouteSettings: { loggingLevel: 'OFF', dataTraceEnabled: true } }),
    webSocketStage(),
  ],
  [v2Route({ authorizationType: 'NONE', authorizer: null }), v2Route()],
  [restApi({ customDomainNames: ['api.example.com'] }), restApi()],
  [v2Api({ customDomainNames: ['api.example.com'] }), v2Api()],
  [domainName({ securityPolicy: 'TLS_1_0' }), domainName()],
];

describe('every plan, over these and the demo estate', () => {
  const inventory = inventorySchema.parse(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'inventory', 'demo.json'), 'utf8')),
  );
  const { estate } = normalise(inventory);
  const withRemediation = catalog.filter((rule) => rule.remediation);

  it('belongs to a rule declaring a remediation, beside its evaluate', () => {
    expect(withRemediation.length).toBeGreaterThan(0);
    for (const rule of withRemediation) {
      expect({ rule: rule.id, plan: typeof rule.remediation?.plan }).toEqual({
        rule: rule.id,
        plan: 'function',
      });
    }
  });

  it('returns only calls its rule declares', async () => {
    const planned = new Set<string>();
    for (const rule of withRemediation) {
      const declared = (rule.remediation?.calls ?? []).map((call) => callName(call));
      const params = parseParameters(rule, {
        ...(rule.id === 'rest-stage-waf-attached' ? { defaultWebAclArn: 'web-acl' } : {}),
      });
      const cases = [
        ...drifted.filter(([snapshot]) => kindCovers(rule.resource, snapshot)),
        ...snapshotsOf(rule.resource, estate).map((snapshot) => [snapshot, snapshot] as const),
      ];
      for (const [snapshot, before] of cases) {
        const finding = judge(rule, snapshot);
        if (finding.status !== 'NON_COMPLIANT') continue;
        const plan = await rule.remediation?.plan(snapshot, params, {
          finding,
          knownGood: before,
          account: { ...(estate.accounts[0] as AccountSnapshot), cloudwatchRoleArn: null },
          stages: estate.restStages,
          undeployed: [],
          cloudwatchRoleArn: 'logs-role',
          resourceIds: { resourceId: async () => 'r3s0urce' },
        });
        if (plan?.kind !== 'calls') continue;
        planned.add(rule.id);
        for (const call of plan.calls) {
          expect({
            rule: rule.id,
            call: callName(call),
            declared: declared.includes(callName(call)),
          }).toEqual({
            rule: rule.id,
            call: callName(call),
            declared: true,
          });
        }
      }
    }
    expect([...planned].sort()).toEqual(withRemediation.map((rule) => rule.id).sort());
  });
});
