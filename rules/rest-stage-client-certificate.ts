import { noParameters } from './core/params';
import { describeResource, type RestMethod } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, methodLabel, sentence } from './core/text';

/** HTTP backends reached over the internet: the only integrations a stage client certificate is presented to. */
const reachesHttpBackend = (method: RestMethod) =>
  (method.integration?.type === 'HTTP' || method.integration?.type === 'HTTP_PROXY') &&
  method.integration.connectionType === 'INTERNET';

export default defineRule({
  id: 'rest-stage-client-certificate',
  title: 'REST API stages with HTTP backends present a client certificate to them',
  severity: 'MEDIUM',
  resource: 'rest-stage',
  reads: ['rest-methods'],
  rationale:
    'An HTTP backend reachable over the internet cannot tell requests from API Gateway from requests sent to it ' +
    'directly, so anyone who finds its address bypasses the authorizers, WAF and throttling of the stage. A ' +
    'client certificate lets the backend accept only API Gateway.',
  parameters: noParameters,
  evaluate(stage) {
    const what = sentence(describeResource(stage));
    const fromWorkingCopy =
      stage.methods.source === 'working-copy' ? " (methods from the API's working copy)" : '';
    const httpMethods = stage.methods.served.filter(reachesHttpBackend).map(methodLabel);
    const methods = listSome(httpMethods, 2);
    if (httpMethods.length === 0) {
      return notApplicable(
        `${what} serves no HTTP or HTTP_PROXY integration over the internet${fromWorkingCopy}, so no backend needs a client certificate.`,
      );
    }
    const observed = { clientCertificateId: stage.clientCertificateId, httpMethods };
    const expected = 'a client certificate on the stage';
    if (!stage.clientCertificateId) {
      return nonCompliant(
        `${what} has no client certificate for the HTTP backends of ${methods}${fromWorkingCopy}; one is expected.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} presents client certificate ${stage.clientCertificateId} to the HTTP backends of ${methods}${fromWorkingCopy}.`,
      { observed, expected },
    );
  },
  references: {
    securityHub: ['APIGateway.2'],
    configManagedRule: 'api-gw-ssl-enabled',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-client-side-ssl-authentication.html',
    ],
  },
});
