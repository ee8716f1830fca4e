import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { sentence } from './core/text';

export default defineRule({
  id: 'domain-mutual-tls',
  title: 'Custom domains tagged as requiring mutual TLS have a truststore configured',
  severity: 'MEDIUM',
  resource: 'domain-name',
  rationale:
    'With mutual TLS, API Gateway admits only clients that present a certificate signed by a CA in the ' +
    "domain's truststore, a common requirement for business-to-business and IoT APIs. Removing the truststore " +
    'quietly turns the domain back into one any client can connect to.',
  parameters: parameters({
    requireTagKey: withDefault(
      z.string().check(z.minLength(1)),
      'gatewatch:require-mtls',
      'The tag on a custom domain that, with the value true, says it must require mutual TLS.',
    ),
  }),
  evaluate(domain, { requireTagKey }) {
    const what = sentence(describeResource(domain));
    if (domain.tags[requireTagKey]?.trim().toLowerCase() !== 'true') {
      return notApplicable(
        `${what} is not tagged ${requireTagKey}=true, so mutual TLS is not required of it.`,
      );
    }
    const truststoreUri = domain.mutualTls?.truststoreUri || null;
    const observed = { endpointType: domain.endpointType, truststoreUri };
    const expected = { endpointType: 'REGIONAL', truststoreUri: 'an s3:// truststore' };
    if (domain.endpointType !== 'REGIONAL') {
      return nonCompliant(
        `${what} is tagged ${requireTagKey}=true but is ${domain.endpointType}; mutual TLS needs a Regional custom domain.`,
        { observed, expected },
      );
    }
    if (!truststoreUri) {
      return nonCompliant(`${what} is tagged ${requireTagKey}=true but has no mutual TLS truststore.`, {
        observed,
        expected,
      });
    }
    return compliant(`${what} requires mutual TLS against truststore ${truststoreUri}.`, {
      observed,
      expected,
    });
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html',
    ],
  },
});
