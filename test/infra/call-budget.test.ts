// The worst-case API Gateway request rate per account and region, computed from the synthesized
// templates (who may call API Gateway, how many environments of each may run, how each paces
// itself, whether each takes from the account's call budget) and held within gatewatch's share
// of the quota, for one account and for an organization's central account.

import { Template } from 'aws-cdk-lib/assertions';
import { accountBudget } from '../../aws/call-budget';
import {
  API_GATEWAY_QUOTA,
  budgetReport,
  deployedPacing,
  type TemplateJson,
  withinShare,
} from '../../infra/budget-analysis';
import type { GatewatchStack } from '../../infra/gatewatch-stack';
import type { GatewatchOrganizationStack } from '../../infra/organization-stack';
import { logicalIdOf, ORGANIZATION_SETTINGS, type Resource, synthesized } from '../support/infra';

const oneAccount = synthesized({ regions: ['eu-west-1', 'us-east-1'] }).node.findChild(
  'Gatewatch',
) as GatewatchStack;
const oneAccountTemplate = Template.fromStack(oneAccount).toJSON() as TemplateJson;

const organizationApp = synthesized(ORGANIZATION_SETTINGS);
const central = organizationApp.node.findChild('GatewatchOrganization') as GatewatchStack;
const centralTemplate = Template.fromStack(central).toJSON() as TemplateJson;

const without = (template: TemplateJson, id: string, variable: string): TemplateJson => {
  const copy = structuredClone(template) as { Resources: Record<string, Resource> };
  const environment = copy.Resources[id]?.Properties.Environment as { Variables: Record<string, unknown> };
  delete environment.Variables[variable];
  return copy;
};

describe.each([
  ['one account', oneAccount, oneAccountTemplate],
  ['an organization (per member account and region)', central, centralTemplate],
] as const)('the call budget of %s', (_name, stack, template) => {
  const report = budgetReport(template, deployedPacing);

  it('covers every function that may call API Gateway: drift, remediator, Config evaluator, sweep', () => {
    const expected = [
      stack.drift.function,
      stack.remediation.function,
      stack.configRules.evaluator,
      ...(stack.sweep ? [stack.sweep.function] : []),
    ].map(logicalIdOf);
    expect(report.functions.map((fn) => fn.logicalId).sort()).toEqual(expected.sort());
    expect(report.functions.every((fn) => fn.inBudget)).toBe(true);
  });

  it('bounds the real-time and queued paths by their event sources, not the Config evaluator', () => {
    const byId = new Map(report.functions.map((fn) => [fn.logicalId, fn]));
    expect(byId.get(logicalIdOf(stack.drift.function))?.concurrency).toBe(2);
    expect(byId.get(logicalIdOf(stack.remediation.function))?.concurrency).toBe(2);
    // AWS Config invokes its evaluator asynchronously: nothing in the template bounds it.
    expect(byId.get(logicalIdOf(stack.configRules.evaluator))?.concurrency).toBe(Number.POSITIVE_INFINITY);
    // Per-environment pacing alone would promise nothing.
    expect(report.perEnvironmentOnly).toBe(Number.POSITIVE_INFINITY);
  });

  it('stays within the share: 8 requests/s sustained, at most 24 in any second (quota 10/s, burst 40)', () => {
    expect(report.sustained).toBe(accountBudget.apigateway.perSecond);
    expect(report.sustained).toBeLessThanOrEqual(API_GATEWAY_QUOTA.perSecond);
    expect(report.worstSecond).toBe(24);
    expect(withinShare(report)).toBe(true);
  });

  it('fails above the share when one function paces only itself', () => {
    const evaluator = logicalIdOf(stack.configRules.evaluator);

    const missing = budgetReport(without(template, evaluator, deployedPacing.tableVariable), deployedPacing);

    expect(missing.functions.find((fn) => fn.logicalId === evaluator)?.inBudget).toBe(false);
    expect(missing.sustained).toBe(Number.POSITIVE_INFINITY);
    expect(withinShare(missing)).toBe(false);
  });

  it('fails above the share when the budget itself is set above the quota', () => {
    const greedy = { ...deployedPacing, budget: { perSecond: 12, burst: 8 } };
    expect(withinShare(budgetReport(template, greedy), greedy)).toBe(false);
  });
});

it('puts no function in member accounts: their quota is spent by the central functions only, under the budget', () => {
  const member = (central as GatewatchOrganizationStack).memberTemplate as unknown as TemplateJson;
  expect(
    Object.values(member.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function'),
  ).toEqual([]);
});
