import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-stage-client-certificate';
import { describeRuleCases } from '../support/rule-cases';
import { restMethod, restStage } from '../support/snapshots';
import { cases } from './fixtures/rest-stage-client-certificate';

describeRuleCases(rule, cases);

describe('rest-stage-client-certificate', () => {
  it('names only the methods with internet HTTP backends in the observed value', () => {
    const stage = restStage({
      methods: {
        source: 'deployment',
        served: [
          restMethod(),
          restMethod({
            resourcePath: '/orders/{id}',
            httpMethod: 'DELETE',
            integration: {
              type: 'HTTP_PROXY',
              connectionType: 'INTERNET',
              uri: 'https://orders.example.com/{id}',
            },
          }),
        ],
      },
    });

    const finding = judge(rule, stage);

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: { clientCertificateId: null, httpMethods: ['DELETE /orders/{id}'] },
    });
  });
});
