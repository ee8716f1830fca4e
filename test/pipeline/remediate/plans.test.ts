// The remediations and their declarations agree: every rule that declares a remediation has a
// plan beside its evaluate; every declared call has an SDK command; and a plan issues only the
// operations its rule declares (tsc checks it, plan-types.test.ts shows it, and the remediator
// checks again before acting).
import { registeredCalls } from '../../../aws/write/commands';
import { remediationGrants } from '../../../pipeline/remediate/permissions';
import { isJsonFormat, jsonAccessLogFormat } from '../../../rules/core/access-log';
import { catalog } from '../../../rules/index';

const declaredCalls = (ruleId: string) =>
  (catalog.find((rule) => rule.id === ruleId)?.remediation?.calls ?? []).map(
    (call) => `${call.service}:${call.operation}`,
  );

describe('plans and declarations', () => {
  it('has a plan for every rule that declares a remediation, and for no other', () => {
    const declared = catalog
      .filter((rule) => rule.remediation)
      .map((rule) => rule.id)
      .sort();
    const planned = catalog
      .filter((rule) => typeof rule.remediation?.plan === 'function')
      .map((rule) => rule.id);
    expect(planned.sort()).toEqual(declared);
  });

  it('has an SDK command for every declared call, and none undeclared', () => {
    const all = new Set(catalog.flatMap((rule) => declaredCalls(rule.id)));
    expect([...registeredCalls].sort()).toEqual([...all].sort());
  });

  it('declares the IAM actions of every call, and the write verbs API Gateway authorises by', () => {
    for (const rule of catalog.filter((candidate) => candidate.remediation)) {
      for (const call of rule.remediation?.calls ?? []) {
        expect({ rule: rule.id, call: call.operation, empty: call.iamActions.length === 0 }).toEqual({
          rule: rule.id,
          call: call.operation,
          empty: false,
        });
        if (call.service !== 'wafv2') {
          expect(call.iamActions.some((action) => /^apigateway:(PATCH|POST|PUT|DELETE)$/.test(action))).toBe(
            true,
          );
        }
      }
    }
  });
});

describe('the remediator IAM grants derived from the declarations', () => {
  const grants = remediationGrants(catalog, { passableRoles: ['arn:aws:iam::123456789012:role/logs'] });

  it('grant exactly the declared actions', () => {
    const declared = new Set(
      catalog.flatMap((rule) => (rule.remediation?.calls ?? []).flatMap((call) => call.iamActions)),
    );
    expect([...new Set(grants.flatMap((grant) => grant.actions))].sort()).toEqual([...declared].sort());
  });

  it('grant each call exactly its own declared actions, in statements named after it', () => {
    for (const rule of catalog) {
      for (const call of rule.remediation?.calls ?? []) {
        const sid = `${call.service.charAt(0).toUpperCase()}${call.service.slice(1)}${call.operation}`;
        const granted = grants
          .filter(
            (grant) =>
              grant.sid === sid || (grant.sid.startsWith(sid) && !/^[a-z]/.test(grant.sid.slice(sid.length))),
          )
          .flatMap((grant) => grant.actions);
        expect({ call: sid, missing: call.iamActions.filter((action) => !granted.includes(action)) }).toEqual(
          {
            call: sid,
            missing: [],
          },
        );
      }
    }
  });

  it('scope API Gateway writes to resource paths, never to every resource, one statement per call', () => {
    const writes = grants.filter((grant) => grant.actions.some((action) => action.startsWith('apigateway:')));
    for (const grant of writes)
      expect({ sid: grant.sid, resources: grant.resources }).not.toMatchObject({ resources: ['*'] });
    expect(grants.find((grant) => grant.sid === 'ApigatewayUpdateStage')?.resources).toEqual([
      `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/??????????/stages/*`,
    ]);
    expect(new Set(grants.map((grant) => grant.sid)).size).toBe(grants.length);
    const passRole = grants.find((grant) => grant.actions.includes('iam:PassRole'));
    expect(passRole).toMatchObject({
      resources: ['arn:aws:iam::123456789012:role/logs'],
      conditions: { StringEquals: { 'iam:PassedToService': 'apigateway.amazonaws.com' } },
    });
  });
});

describe('access log formats', () => {
  it('are JSON and carry every required variable', () => {
    const format = jsonAccessLogFormat({ requestId: '$context.requestId' }, [
      '$context.requestId',
      '$context.identity.userAgent',
    ]);
    expect(isJsonFormat(format)).toBe(true);
    expect(JSON.parse(format)).toEqual({
      requestId: '$context.requestId',
      identity_userAgent: '$context.identity.userAgent',
    });
  });
});
