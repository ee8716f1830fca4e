import rule from '../../rules/account-cloudtrail-logging';
import { judge } from '../../rules/core/judge';
import { describeRuleCases } from '../support/rule-cases';
import { account } from '../support/snapshots';
import { cases, trail } from './fixtures/account-cloudtrail-logging';

describeRuleCases(rule, cases);

describe('account-cloudtrail-logging', () => {
  it('says it could not check, rather than passing, when the trails could not be read', () => {
    const finding = judge(rule, account({ trails: null }), {});

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('cloudtrail:DescribeTrails');
  });

  it('says it could not check when the only trail that might log has unreadable selectors', () => {
    const finding = judge(rule, account({ trails: [trail({ selectors: null })] }), {});

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('management-events');
  });

  it('is not fooled by an unreadable trail when another trail is known to stop', () => {
    const finding = judge(
      rule,
      account({ trails: [trail({ logging: false }), trail({ name: 'b', logging: null })] }),
      {},
    );

    expect(finding.status).toBe('ERROR');
  });

  it('judges only the event sources it is given', () => {
    const onlyApiGateway = trail({
      selectors: {
        kind: 'basic',
        selectors: [
          {
            readWriteType: 'WriteOnly',
            includeManagementEvents: true,
            excludeManagementEventSources: ['logs.amazonaws.com'],
          },
        ],
      },
    });

    expect(judge(rule, account({ trails: [onlyApiGateway] }), {}).status).toBe('NON_COMPLIANT');
    expect(
      judge(rule, account({ trails: [onlyApiGateway] }), { eventSources: ['apigateway.amazonaws.com'] })
        .status,
    ).toBe('COMPLIANT');
  });
});
