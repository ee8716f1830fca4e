import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runbookPath } from '../../rules/core/judge';
import { describeParameters } from '../../rules/core/params';
import { resourceKinds } from '../../rules/core/resources';
import { severities } from '../../rules/core/rule';
import { catalog } from '../../rules/index';
import { RUNBOOK_END, RUNBOOK_HEADINGS, RUNBOOK_START } from '../../scripts/docs';
import { expectedStatus, type RuleCase } from '../support/rule-cases';

const root = join(__dirname, '..', '..');

// Adding, removing or renaming a rule is a visible decision: ids are Config rule names,
// metric dimensions and SARIF ids that people filter and alarm on.
const PINNED_IDS = [
  'rest-stage-waf-attached',
  'rest-stage-waf-rules',
  'rest-method-authorization',
  'rest-stage-execution-logging',
  'rest-stage-access-logging',
  'rest-stage-data-trace-disabled',
  'rest-stage-xray-tracing',
  'rest-stage-cache-encrypted',
  'rest-stage-throttling',
  'rest-stage-client-certificate',
  'rest-method-request-validation',
  'v2-route-authorization',
  'v2-stage-access-logging',
  'websocket-stage-execution-logging',
  'v2-stage-data-trace-disabled',
  'v2-stage-throttling',
  'http-private-integration-tls',
  'rest-api-policy-not-public',
  'rest-api-private-policy',
  'rest-api-endpoint-type',
  'api-default-endpoint-disabled',
  'stage-no-secrets-in-variables',
  'api-unused',
  'domain-tls-policy',
  'domain-mutual-tls',
  'account-cloudwatch-role',
  'account-cloudtrail-logging',
  'account-http-access-log-policy',
];

const fixturesOf = (id: string): RuleCase[] => require(join(root, 'test/rules/fixtures', `${id}.ts`)).cases;

describe('the rule catalog', () => {
  it('holds exactly the pinned rule ids, each once', () => {
    const ids = catalog.map((rule) => rule.id);

    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...PINNED_IDS].sort());
  });

  it('has one rule file per rule, named by its id', () => {
    const files = readdirSync(join(root, 'rules')).filter(
      (file) => file.endsWith('.ts') && file !== 'index.ts',
    );

    expect(files.map((file) => file.replace(/\.ts$/, '')).sort()).toEqual(
      catalog.map((rule) => rule.id).sort(),
    );
  });

  describe.each(catalog.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    it('has a kebab-case id, a title stating the compliant state and a known severity and resource kind', () => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeLessThanOrEqual(80);
      expect(rule.title).not.toMatch(/^(Ensure|Check|Verify)\b/);
      expect(rule.title).not.toMatch(/\.$/);
      expect(severities).toContain(rule.severity);
      expect(Object.keys(resourceKinds)).toContain(rule.resource);
      expect(rule.rationale).toMatch(/\.$/);
    });

    it('has defaults for every parameter, or marks it optional', () => {
      expect(() => rule.parameters.parse({})).not.toThrow();
      for (const parameter of describeParameters(rule.parameters)) expect(parameter.description).not.toBe('');
    });

    it('cites AWS documentation', () => {
      expect(rule.references.docs.length).toBeGreaterThan(0);
      for (const url of rule.references.docs) expect(url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it('declares the IAM actions of every remediation call', () => {
      for (const call of rule.remediation?.calls ?? []) {
        expect(call.iamActions.length).toBeGreaterThan(0);
        for (const action of call.iamActions) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
      }
    });

    it('has a test file and fixtures that show it compliant and non-compliant', () => {
      expect(existsSync(join(root, 'test/rules', `${id}.test.ts`))).toBe(true);
      const outcomes = new Set(fixturesOf(id).map(expectedStatus));

      expect(outcomes).toContain('COMPLIANT');
      expect(outcomes).toContain('NON_COMPLIANT');
    });

    it('has a runbook with the generated header and every fixed heading, in order, without placeholders', () => {
      const file = join(root, runbookPath(id));
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');

      expect(text.startsWith(RUNBOOK_START)).toBe(true);
      expect(text).toContain(RUNBOOK_END);
      const positions = RUNBOOK_HEADINGS.map((heading) => text.search(new RegExp(`^${heading}$`, 'm')));
      expect(positions.every((position) => position > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(text).not.toMatch(/\b(TODO|TBD|FIXME|lorem|XXX)\b/i);
      for (const heading of RUNBOOK_HEADINGS) {
        const start = text.search(new RegExp(`^${heading}$`, 'm')) + heading.length;
        const body = text.slice(start).split(/^#{2,3} /m)[0] ?? '';
        if (heading !== '## Fix by hand') expect(body.trim().length).toBeGreaterThan(40);
      }
    });
  });
});
