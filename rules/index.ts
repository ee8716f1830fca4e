// The catalog: every rule gatewatch knows, in the order they are listed to people.
// Adding or removing a rule here is a visible decision: test/rules/catalog.test.ts pins the ids.
import type { AnyRule } from './core/rule';
import httpPrivateIntegrationTls from './http-private-integration-tls';
import restStageExecutionLogging from './rest-stage-execution-logging';
import restStageWafAttached from './rest-stage-waf-attached';
import v2RouteAuthorization from './v2-route-authorization';
import v2StageAccessLogging from './v2-stage-access-logging';
import v2StageDataTraceDisabled from './v2-stage-data-trace-disabled';
import v2StageThrottling from './v2-stage-throttling';
import websocketStageExecutionLogging from './websocket-stage-execution-logging';

export const catalog: readonly AnyRule[] = [
  restStageWafAttached,
  restStageExecutionLogging,
  // HTTP and WebSocket APIs
  v2RouteAuthorization,
  v2StageAccessLogging,
  websocketStageExecutionLogging,
  v2StageDataTraceDisabled,
  v2StageThrottling,
  httpPrivateIntegrationTls,
];

const byId = new Map(catalog.map((rule) => [rule.id, rule]));

export function findRule(id: string): AnyRule | undefined {
  return byId.get(id);
}
