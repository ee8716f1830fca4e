// Table-driven rule tests. A case's name starts with the outcome it expects
// (`compliant:`, `non-compliant:`, `not-applicable:`), so a fixture says what it proves.
import { judge } from '../../rules/core/judge';
import type { Snapshot } from '../../rules/core/resources';
import { describeResource } from '../../rules/core/resources';
import type { AnyRule, Status } from '../../rules/core/rule';

export interface RuleCase {
  readonly name: `${'compliant' | 'non-compliant' | 'not-applicable'}: ${string}`;
  readonly snapshot: Snapshot;
  /** Rule parameters; the rule's defaults when absent. */
  readonly params?: Record<string, unknown>;
  /** Words the reason must contain, beyond the resource's own description. */
  readonly reasonIncludes?: readonly string[];
}

const statusOfName: Record<string, Status> = {
  compliant: 'COMPLIANT',
  'non-compliant': 'NON_COMPLIANT',
  'not-applicable': 'NOT_APPLICABLE',
};

export function expectedStatus(testCase: RuleCase): Status {
  const prefix = testCase.name.slice(0, testCase.name.indexOf(':'));
  const status = statusOfName[prefix];
  if (!status) throw new Error(`Case "${testCase.name}" does not start with an outcome.`);
  return status;
}

/** Runs every case of a rule through the same engine the pipeline uses. */
export function describeRuleCases(rule: AnyRule, cases: readonly RuleCase[]): void {
  describe(`${rule.id} (table)`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
      const finding = judge(rule, testCase.snapshot, testCase.params);

      expect(finding.status).toBe(expectedStatus(testCase));
      expect(finding.reason).toMatch(/[.!]$/);
      expect(finding.reason.toLowerCase()).toContain(describeResource(testCase.snapshot).toLowerCase());
      for (const words of testCase.reasonIncludes ?? []) expect(finding.reason).toContain(words);
    });
  });
}
