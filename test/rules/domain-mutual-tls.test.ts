import { judge } from '../../rules/core/judge';
import rule from '../../rules/domain-mutual-tls';
import { describeRuleCases } from '../support/rule-cases';
import { domainName } from '../support/snapshots';
import { cases, TRUSTSTORE } from './fixtures/domain-mutual-tls';

describeRuleCases(rule, cases);

describe('domain-mutual-tls', () => {
  it('reports the endpoint type and truststore observed', () => {
    const domain = domainName({
      tags: { 'gatewatch:require-mtls': 'true' },
      mutualTls: { truststoreUri: TRUSTSTORE, truststoreVersion: null },
    });

    const finding = judge(rule, domain);

    expect(finding).toMatchObject({
      status: 'COMPLIANT',
      observed: { endpointType: 'REGIONAL', truststoreUri: TRUSTSTORE },
    });
  });
});
