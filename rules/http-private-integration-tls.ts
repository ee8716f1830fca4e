import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, sentence } from './core/text';

export default defineRule({
  id: 'http-private-integration-tls',
  title: 'HTTP API private integrations reach their backend over TLS',
  severity: 'MEDIUM',
  resource: 'v2-api',
  reads: ['v2-integrations'],
  rationale:
    'A VPC link makes the connection private but does not encrypt it: without a TLS configuration, API ' +
    'Gateway sends requests, tokens and responses to the load balancer or Cloud Map service in plain HTTP, ' +
    'readable by anything that can observe traffic inside the VPC.',
  parameters: parameters({
    requireServerNameToVerify: withDefault(
      z.boolean(),
      false,
      'Whether each TLS configuration must also name the server (serverNameToVerify) whose certificate hostname API Gateway verifies.',
    ),
  }),
  evaluate(api, { requireServerNameToVerify }) {
    const what = sentence(describeResource(api));
    if (api.protocol === 'WEBSOCKET') {
      return notApplicable(
        `${what} is not judged: a TLS configuration for private integrations is supported only for HTTP APIs.`,
      );
    }
    const privateIntegrations = api.integrations.filter(
      (integration) => integration.connectionType === 'VPC_LINK',
    );
    if (privateIntegrations.length === 0) {
      return notApplicable(`${what} has no private (VPC link) integrations.`);
    }
    const withoutTls = privateIntegrations
      .filter((integration) => integration.tlsConfig === null)
      .map((integration) => integration.integrationId);
    const withoutServerName = requireServerNameToVerify
      ? privateIntegrations
          .filter(
            (integration) => integration.tlsConfig !== null && !integration.tlsConfig.serverNameToVerify,
          )
          .map((integration) => integration.integrationId)
      : [];
    const observed = { privateIntegrations: privateIntegrations.length, withoutTls, withoutServerName };
    const expected = requireServerNameToVerify
      ? 'a TLS configuration with serverNameToVerify on every private integration'
      : 'a TLS configuration on every private integration';

    if (withoutTls.length > 0) {
      return nonCompliant(
        `${what} sends plain HTTP through its VPC link for integration ${listSome(withoutTls)} (${withoutTls.length} of ${privateIntegrations.length}); ${expected} is expected.`,
        { observed, expected },
      );
    }
    if (withoutServerName.length > 0) {
      return nonCompliant(
        `${what} uses TLS without a server name to verify for integration ${listSome(withoutServerName)}; ${expected} is expected.`,
        { observed, expected },
      );
    }
    const which =
      privateIntegrations.length === 1
        ? 'its private integration'
        : `all ${privateIntegrations.length} private integrations`;
    return compliant(`${what} uses TLS for ${which}.`, {
      observed,
      expected,
    });
  },
  references: {
    securityHub: ['APIGateway.10'],
    configManagedRule: 'apigatewayv2-integration-private-https-enabled',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
      'https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations-integrationid.html',
    ],
  },
});
