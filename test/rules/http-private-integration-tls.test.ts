import { judge } from '../../rules/core/judge';
import rule from '../../rules/http-private-integration-tls';
import { describeRuleCases } from '../support/rule-cases';
import { v2Api, v2Integration } from '../support/snapshots';
import { cases } from './fixtures/http-private-integration-tls';

describeRuleCases(rule, cases);

describe('http-private-integration-tls', () => {
  it('counts private integrations and names those without TLS in the observed value', () => {
    const privateIntegration = v2Integration({ connectionType: 'VPC_LINK', integrationType: 'HTTP_PROXY' });
    const api = v2Api({
      integrations: [
        v2Integration({ integrationId: 'lambda1' }),
        { ...privateIntegration, integrationId: 'alb1' },
        { ...privateIntegration, integrationId: 'alb2', tlsConfig: { serverNameToVerify: null } },
        { ...privateIntegration, integrationId: 'nlb1' },
      ],
    });

    const finding = judge(rule, api);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { privateIntegrations: 3, withoutTls: ['alb1', 'nlb1'], withoutServerName: [] },
      expected: 'a TLS configuration on every private integration',
    });
  });
});
