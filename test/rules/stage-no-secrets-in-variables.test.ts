import { judge } from '../../rules/core/judge';
import rule from '../../rules/stage-no-secrets-in-variables';
import { describeRuleCases } from '../support/rule-cases';
import { restStage } from '../support/snapshots';
import { cases, EXAMPLE_SECRETS } from './fixtures/stage-no-secrets-in-variables';

describeRuleCases(rule, cases);

describe('stage-no-secrets-in-variables', () => {
  it.each(cases.filter((c) => c.name.startsWith('non-compliant')).map((c) => [c.name, c] as const))(
    'never repeats a variable value in its finding: %s',
    (_name, testCase) => {
      const values = 'variables' in testCase.snapshot ? Object.values(testCase.snapshot.variables) : [];

      const { reason, observed } = judge(rule, testCase.snapshot, testCase.params);

      for (const value of values) expect(JSON.stringify({ reason, observed })).not.toContain(value);
    },
  );

  it('names the variables and what they look like in observed', () => {
    const stage = restStage({
      variables: {
        dbPassword: EXAMPLE_SECRETS.password,
        legacyUser: EXAMPLE_SECRETS.accessKeyId,
        stage: 'prod',
      },
    });

    const finding = judge(rule, stage);

    expect(finding.observed).toEqual([
      { variable: 'dbPassword', looksLike: 'named like a credential' },
      { variable: 'legacyUser', looksLike: 'an AWS access key ID' },
    ]);
  });

  it('rejects a negative minimum entropy length', () => {
    const finding = judge(rule, restStage(), { minimumEntropyLength: -1 });

    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toContain('minimumEntropyLength');
  });
});
