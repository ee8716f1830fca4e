// The catalog: every rule gatewatch knows, in the order they are listed to people.
// Adding or removing a rule here is a visible decision: test/rules/catalog.test.ts pins the ids.
import type { AnyRule } from './core/rule';
import restStageExecutionLogging from './rest-stage-execution-logging';
import restStageWafAttached from './rest-stage-waf-attached';

export const catalog: readonly AnyRule[] = [restStageWafAttached, restStageExecutionLogging];

const byId = new Map(catalog.map((rule) => [rule.id, rule]));

export function findRule(id: string): AnyRule | undefined {
  return byId.get(id);
}
