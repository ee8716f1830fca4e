// The `configuration` of the configuration items gatewatch turns into snapshots, as AWS Config
// records them (the resource types' properties in AWS Config's resource schema; camelCase, dates
// the Java way, a missing value often null). Only the fields gatewatch reads are checked; the rest
// is kept as it came. A REST stage's and a REST API's fields go on to the raw inventory schemas
// (aws/read/schema.ts), which check them as the collectors' reads are checked. Routes and custom
// domain names are not in that resource schema; their fields are taken to be the API's own, in
// camelCase, as for the other types.
import * as z from 'zod/mini';

const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));
const str = maybe(z.string());
const bool = maybe(z.boolean());
const num = maybe(z.number());
/** `Feb 21, 2019 8:10:53 AM`, an ISO string or epoch seconds (history.ts `isoDate`). */
const date = maybe(z.union([z.string(), z.number()]));
const strings = maybe(z.array(z.string()));

const accessLogSettings = maybe(z.looseObject({ destinationArn: str, format: str }));

export const restStageConfigurationSchema = z.looseObject({
  stageName: str,
  deploymentId: str,
  methodSettings: maybe(z.record(z.string(), z.looseObject({}))),
  tracingEnabled: bool,
  cacheClusterEnabled: bool,
  webAclArn: str,
  clientCertificateId: str,
  accessLogSettings,
});

export const restApiConfigurationSchema = z.looseObject({
  id: str,
  name: str,
  createdDate: date,
  endpointConfiguration: maybe(z.looseObject({ types: strings, vpcEndpointIds: strings })),
  policy: str,
  disableExecuteApiEndpoint: bool,
});

const v2RouteSettings = z.looseObject({
  dataTraceEnabled: bool,
  detailedMetricsEnabled: bool,
  loggingLevel: str,
  throttlingBurstLimit: num,
  throttlingRateLimit: num,
});
export type V2RouteSettings = z.output<typeof v2RouteSettings>;

export const v2StageConfigurationSchema = z.looseObject({
  stageName: str,
  accessLogSettings,
  autoDeploy: bool,
  defaultRouteSettings: maybe(v2RouteSettings),
  routeSettings: maybe(z.record(z.string(), v2RouteSettings)),
  stageVariables: maybe(z.record(z.string(), z.string())),
});

export const v2ApiConfigurationSchema = z.looseObject({
  apiId: str,
  name: str,
  protocolType: str,
  createdDate: date,
  disableExecuteApiEndpoint: bool,
});

export const v2RouteConfigurationSchema = z.looseObject({
  routeId: str,
  routeKey: str,
  authorizationType: str,
  authorizerId: str,
  apiKeyRequired: bool,
});

export const domainNameConfigurationSchema = z.looseObject({
  domainName: str,
  endpointConfiguration: maybe(z.looseObject({ types: strings })),
  securityPolicy: str,
  mutualTlsAuthentication: maybe(z.looseObject({ truststoreUri: str, truststoreVersion: str })),
});
