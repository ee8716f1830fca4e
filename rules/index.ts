// The catalog: every rule gatewatch knows, in the order they are listed to people.
// Adding or removing a rule here is a visible decision: test/rules/catalog.test.ts pins the ids.

import accountCloudtrailLogging from './account-cloudtrail-logging';
import accountCloudwatchRole from './account-cloudwatch-role';
import accountHttpAccessLogPolicy from './account-http-access-log-policy';
import apiDefaultEndpointDisabled from './api-default-endpoint-disabled';
import apiUnused from './api-unused';
import type { AnyRule } from './core/rule';
import domainMutualTls from './domain-mutual-tls';
import domainTlsPolicy from './domain-tls-policy';
import httpPrivateIntegrationTls from './http-private-integration-tls';
import restApiEndpointType from './rest-api-endpoint-type';
import restApiPolicyNotPublic from './rest-api-policy-not-public';
import restApiPrivatePolicy from './rest-api-private-policy';
import restMethodAuthorization from './rest-method-authorization';
import restMethodRequestValidation from './rest-method-request-validation';
import restStageAccessLogging from './rest-stage-access-logging';
import restStageCacheEncrypted from './rest-stage-cache-encrypted';
import restStageClientCertificate from './rest-stage-client-certificate';
import restStageDataTraceDisabled from './rest-stage-data-trace-disabled';
import restStageExecutionLogging from './rest-stage-execution-logging';
import restStageThrottling from './rest-stage-throttling';
import restStageWafAttached from './rest-stage-waf-attached';
import restStageWafRules from './rest-stage-waf-rules';
import restStageXrayTracing from './rest-stage-xray-tracing';
import stageNoSecretsInVariables from './stage-no-secrets-in-variables';
import v2RouteAuthorization from './v2-route-authorization';
import v2StageAccessLogging from './v2-stage-access-logging';
import v2StageDataTraceDisabled from './v2-stage-data-trace-disabled';
import v2StageThrottling from './v2-stage-throttling';
import websocketStageExecutionLogging from './websocket-stage-execution-logging';

export const catalog: readonly AnyRule[] = [
  restStageWafAttached,
  restStageWafRules,
  restMethodAuthorization,
  restStageExecutionLogging,
  restStageAccessLogging,
  restStageDataTraceDisabled,
  restStageXrayTracing,
  restStageCacheEncrypted,
  restStageThrottling,
  restStageClientCertificate,
  restMethodRequestValidation,
  // HTTP and WebSocket APIs
  v2RouteAuthorization,
  v2StageAccessLogging,
  websocketStageExecutionLogging,
  v2StageDataTraceDisabled,
  v2StageThrottling,
  httpPrivateIntegrationTls,
  // APIs, custom domains and the account settings
  restApiPolicyNotPublic,
  restApiPrivatePolicy,
  restApiEndpointType,
  apiDefaultEndpointDisabled,
  stageNoSecretsInVariables,
  apiUnused,
  domainTlsPolicy,
  domainMutualTls,
  accountCloudwatchRole,
  // The real-time path and the logging path themselves
  accountCloudtrailLogging,
  accountHttpAccessLogPolicy,
];

const byId = new Map(catalog.map((rule) => [rule.id, rule]));

export function findRule(id: string): AnyRule | undefined {
  return byId.get(id);
}
