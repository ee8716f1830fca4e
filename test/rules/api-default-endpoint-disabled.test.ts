import rule from '../../rules/api-default-endpoint-disabled';
import { judge } from '../../rules/core/judge';
import { describeRuleCases } from '../support/rule-cases';
import { restApi } from '../support/snapshots';
import { cases } from './fixtures/api-default-endpoint-disabled';

describeRuleCases(rule, cases);

describe('api-default-endpoint-disabled', () => {
  it('names every custom domain and the tag that front the API', () => {
    const api = restApi({
      customDomainNames: ['api.example.com', 'orders.example.com'],
      tags: { 'gatewatch:fronted-by': 'cloudfront' },
    });

    const finding = judge(rule, api);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: {
        disableExecuteApiEndpoint: false,
        frontedBy: [
          'custom domain api.example.com',
          'custom domain orders.example.com',
          'tag gatewatch:fronted-by=cloudfront',
        ],
      },
      expected: { disableExecuteApiEndpoint: true },
    });
  });

  it('declares the deployment that makes the REST setting take effect', () => {
    // AWS: on REST APIs the setting takes effect at a deployment (or a stage update); gatewatch
    // deploys a stage whose working copy holds no other undeployed change, or notifies.
    const operations = rule.remediation?.calls.map((call) => `${call.service}:${call.operation}`);

    expect(operations).toEqual([
      'apigateway:UpdateRestApi',
      'apigateway:CreateDeployment',
      'apigatewayv2:UpdateApi',
    ]);
  });
});
