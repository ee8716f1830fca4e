import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-api-private-policy';
import { describeRuleCases } from '../support/rule-cases';
import { cases, privateApi, VPCE } from './fixtures/rest-api-private-policy';

describeRuleCases(rule, cases);

describe('rest-api-private-policy', () => {
  it('lists the VPC endpoints the policy admits as observed', () => {
    const api = privateApi([
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringEquals: { 'aws:SourceVpce': VPCE } },
      },
    ]);

    const finding = judge(rule, api);

    expect(finding).toMatchObject({ status: 'COMPLIANT', observed: { admitted: [VPCE] } });
  });

  it('names the unrestricted Allow statements by Sid', () => {
    const api = privateApi([
      { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: 'execute-api:/*' },
    ]);

    const finding = judge(rule, api);

    expect(finding.observed).toEqual({ unrestrictedAllows: ['Everyone'] });
  });
});
