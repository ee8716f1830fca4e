// The saved-inventory reader behind `gatewatch replay --inventory`, over the embedded demo
// estate (examples/inventory/demo.json): each target returns what the saved account holds.
import { join } from 'node:path';
import { InventoryReader } from '../../../aws/read/from-inventory';
import { readInventory } from '../../../aws/read/inventory-file';
import type { PreviousState } from '../../../aws/read/reader';
import {
  accountArn,
  domainNameArn,
  restApiArn,
  restStageArn,
  v2ApiArn,
  v2RouteArn,
  v2StageArn,
} from '../../../model/identity';
import { judge } from '../../../rules/core/judge';
import type { RestStageSnapshot, Snapshot } from '../../../rules/core/resources';
import { findRule } from '../../../rules/index';

const DEMO = join(__dirname, '..', '..', '..', 'examples', 'inventory', 'demo.json');
const EU = 'eu-west-1';
const US = 'us-east-1';
const ACCOUNT = '111122223333';
const ORDERS = 'k3x9p2a7qd';
const PAYMENTS = 'p7m2v8c4rt';
const TRACKING = 'h2t4r6k8m0';
const DRIVERS = 'd8s6w4q2z0';
const BASELINE_ACL = `arn:aws:wafv2:${EU}:${ACCOUNT}:regional/webacl/tidewater-api-baseline/5c0d7f2e-3a41-4b8e-9f6d-1e2a3b4c5d6e`;

const reader = new InventoryReader(readInventory(DEMO));

function previousOf(...snapshots: Snapshot[]): PreviousState {
  return {
    snapshot: (arn) => snapshots.find((s) => s.arn === arn),
    stagesWithWebAcl: (arn) =>
      snapshots.filter((s): s is RestStageSnapshot => s.kind === 'rest-stage' && s.webAclArn === arn),
    stagesLoggingTo: (arn) =>
      snapshots.filter(
        (s) => (s.kind === 'rest-stage' || s.kind === 'v2-stage') && s.accessLog?.destinationArn === arn,
      ),
  };
}
const nothingKnown = previousOf();
const arns = (snapshots: readonly Snapshot[]) => snapshots.map((s) => s.arn);

describe('InventoryReader', () => {
  it('rest-stage: the stage and its API, with the pending working copy normalise found', async () => {
    const read = await reader.read(
      { kind: 'rest-stage', region: EU, apiId: ORDERS, stageName: 'prod' },
      nothingKnown,
    );

    expect(arns(read.snapshots)).toEqual([restStageArn(EU, ORDERS, 'prod'), restApiArn(EU, ORDERS)]);
    expect(read.pending).toEqual([
      expect.objectContaining({
        arn: restStageArn(EU, ORDERS, 'prod'),
        methods: expect.objectContaining({ source: 'undeployed' }),
      }),
    ]);
    expect(read).toMatchObject({ gone: [], problems: [] });
    const rule = findRule('rest-method-authorization') as NonNullable<ReturnType<typeof findRule>>;
    expect(judge(rule, read.snapshots[0] as Snapshot).status).toBe('COMPLIANT');
    expect(judge(rule, read.pending[0] as Snapshot).status).toBe('NON_COMPLIANT');
  });

  it('rest-stages: the API and every stage', async () => {
    const read = await reader.read({ kind: 'rest-stages', region: EU, apiId: ORDERS }, nothingKnown);

    expect(arns(read.snapshots)).toEqual([
      restApiArn(EU, ORDERS),
      restStageArn(EU, ORDERS, 'prod'),
      restStageArn(EU, ORDERS, 'staging'),
    ]);
    expect(arns(read.pending)).toEqual([restStageArn(EU, ORDERS, 'prod')]);
  });

  it('rest-api, v2-api, v2-stage, v2-route, v2-routes, domain-name and account: what the saved account holds', async () => {
    const cases = [
      [{ kind: 'rest-api', region: EU, apiId: PAYMENTS }, [restApiArn(EU, PAYMENTS)]],
      [{ kind: 'v2-api', region: EU, apiId: TRACKING }, [v2ApiArn(EU, TRACKING)]],
      [
        { kind: 'v2-stage', region: EU, apiId: DRIVERS, stageName: 'production' },
        [v2StageArn(EU, DRIVERS, 'production')],
      ],
      [
        { kind: 'v2-route', region: EU, apiId: DRIVERS, routeId: 'ws1cnx' },
        [v2RouteArn(EU, DRIVERS, 'ws1cnx')],
      ],
      [
        { kind: 'v2-routes', region: EU, apiId: TRACKING },
        ['tr1get', 'tr2eta', 'tr3evt', 'tr4opt'].map((id) => v2RouteArn(EU, TRACKING, id)),
      ],
      [
        { kind: 'domain-name', region: EU, domainName: 'quotes.tidewater.example' },
        [domainNameArn(EU, 'quotes.tidewater.example')],
      ],
      [{ kind: 'account', region: US }, [accountArn(US)]],
    ] as const;

    for (const [target, expected] of cases) {
      const read = await reader.read(target, nothingKnown);

      expect([target.kind, arns(read.snapshots)]).toEqual([target.kind, expected]);
      expect(read).toMatchObject({ pending: [], gone: [], problems: [] });
    }
  });

  it('reports what the inventory lacks as gone', async () => {
    const missing = [
      [{ kind: 'rest-stage', region: EU, apiId: ORDERS, stageName: 'dev' }, restStageArn(EU, ORDERS, 'dev')],
      [{ kind: 'rest-stages', region: US, apiId: ORDERS }, restApiArn(US, ORDERS)],
      [{ kind: 'v2-routes', region: EU, apiId: 'n0s8ch4p1' }, v2ApiArn(EU, 'n0s8ch4p1')],
      [
        { kind: 'domain-name', region: EU, domainName: 'old.tidewater.example' },
        domainNameArn(EU, 'old.tidewater.example'),
      ],
    ] as const;

    for (const [target, arn] of missing) {
      const read = await reader.read(target, nothingKnown);

      expect(read).toEqual({
        snapshots: [],
        pending: [],
        workingCopyCompared: [],
        gone: [arn],
        problems: [],
      });
    }
  });

  it('web-acl: the saved stages with the web ACL, and a stage the baseline saw with it that is gone', async () => {
    const orphan = {
      ...((
        await reader.read(
          { kind: 'rest-stage', region: EU, apiId: PAYMENTS, stageName: 'prod' },
          nothingKnown,
        )
      ).snapshots[0] as RestStageSnapshot),
    };
    const before: RestStageSnapshot = {
      ...orphan,
      arn: restStageArn(EU, PAYMENTS, 'canary'),
      stageName: 'canary',
    };

    const read = await reader.read(
      { kind: 'web-acl', region: EU, webAclArn: BASELINE_ACL },
      previousOf(before),
    );

    expect(arns(read.snapshots)).toEqual([
      restStageArn(EU, ORDERS, 'prod'),
      restStageArn(EU, PAYMENTS, 'prod'),
    ]);
    expect(read.gone).toEqual([restStageArn(EU, PAYMENTS, 'canary')]);
    expect(arns(read.pending)).toEqual([restStageArn(EU, ORDERS, 'prod')]);
  });

  it('log-group: the saved stages logging to the group, unmarked (a saved inventory cannot tell it was deleted)', async () => {
    const group = `arn:aws:logs:${EU}:${ACCOUNT}:log-group:/aws/apigateway/tracking-http:*`;

    const read = await reader.read({ kind: 'log-group', region: EU, logGroupArn: group }, nothingKnown);

    expect(arns(read.snapshots)).toEqual([v2StageArn(EU, TRACKING, '$default')]);
    expect(read.snapshots[0]).not.toHaveProperty('accessLog.destinationMissing');
  });
});
