import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-api-policy-not-public';
import { describeRuleCases } from '../support/rule-cases';
import { allowEveryone, apiWithPolicy, cases } from './fixtures/rest-api-policy-not-public';

describeRuleCases(rule, cases);

describe('rest-api-policy-not-public', () => {
  it('names every public Allow statement in the observed value', () => {
    const api = apiWithPolicy([
      { ...allowEveryone, Sid: 'Public' },
      { ...allowEveryone, Sid: 'Office', Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } },
      {
        ...allowEveryone,
        Sid: 'AllButPartner',
        Principal: undefined,
        NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
      },
    ]);

    const finding = judge(rule, api);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { publicAllows: ['Public', 'AllButPartner'] },
    });
  });
});
