import { judge } from '../../rules/core/judge';
import rule from '../../rules/rest-api-endpoint-type';
import { describeRuleCases } from '../support/rule-cases';
import { restApi } from '../support/snapshots';
import { cases } from './fixtures/rest-api-endpoint-type';

describeRuleCases(rule, cases);

describe('rest-api-endpoint-type', () => {
  it('reports the endpoint types against the allowed list', () => {
    const finding = judge(rule, restApi({ endpointTypes: ['EDGE'] }));

    expect(finding).toMatchObject({
      status: 'NON_COMPLIANT',
      observed: ['EDGE'],
      expected: { oneOf: ['REGIONAL', 'PRIVATE'] },
    });
  });

  it('rejects an unknown endpoint type and an empty allowed list', () => {
    const unknownType = judge(rule, restApi(), { allowedEndpointTypes: ['GLOBAL'] });
    const emptyList = judge(rule, restApi(), { allowedEndpointTypes: [] });

    expect(unknownType.status).toBe('ERROR');
    expect(emptyList.status).toBe('ERROR');
    expect(emptyList.reason).toContain('allowedEndpointTypes');
  });

  it('cannot judge an API whose endpoint type was not read', () => {
    const finding = judge(rule, restApi({ endpointTypes: [] }));

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('could not evaluate');
  });
});
