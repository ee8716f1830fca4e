import * as z from 'zod/mini';
import { parameters, withDefault } from './core/params';
import { describeResource, type EndpointType } from './core/resources';
import { CannotJudge, compliant, defineRule, nonCompliant } from './core/rule';
import { joinWords, sentence } from './core/text';

const endpointTypeLabel: Record<EndpointType, string> = {
  EDGE: 'edge-optimized',
  REGIONAL: 'Regional',
  PRIVATE: 'private',
};

export default defineRule({
  id: 'rest-api-endpoint-type',
  title: 'REST APIs use an allowed endpoint type (Regional or private by default)',
  severity: 'MEDIUM',
  resource: 'rest-api',
  rationale:
    'An edge-optimized API is reached through a CloudFront distribution that API Gateway creates and manages: ' +
    'you cannot attach a CloudFront web ACL, logging, geo restriction or viewer TLS settings to it. A Regional API ' +
    'lets you put your own CloudFront distribution and its controls in front, and a private API is reachable ' +
    'only from VPC endpoints. A Regional web ACL on the stage works for every endpoint type.',
  parameters: parameters({
    allowedEndpointTypes: withDefault(
      z.array(z.enum(['EDGE', 'REGIONAL', 'PRIVATE'])).check(z.minLength(1)),
      ['REGIONAL', 'PRIVATE'],
      'The endpoint types a REST API may have: EDGE, REGIONAL, PRIVATE.',
    ),
  }),
  evaluate(api, { allowedEndpointTypes }) {
    if (api.endpointTypes.length === 0) {
      throw new CannotJudge('the snapshot does not name the endpoint type of the REST API');
    }
    const what = sentence(describeResource(api));
    const observed = api.endpointTypes;
    const expected = { oneOf: allowedEndpointTypes };
    const labels = joinWords(api.endpointTypes.map((type) => `${endpointTypeLabel[type]} (${type})`));
    const disallowed = api.endpointTypes.filter((type) => !allowedEndpointTypes.includes(type));
    if (disallowed.length > 0) {
      return nonCompliant(
        `${what} is ${labels}; ${allowedEndpointTypes.length === 1 ? 'the only allowed endpoint type is' : 'the allowed endpoint types are'} ${joinWords(allowedEndpointTypes)}.`,
        { observed, expected },
      );
    }
    return compliant(`${what} is ${labels}, an allowed endpoint type.`, { observed, expected });
  },
  references: {
    configManagedRule: 'api-gw-endpoint-type-check',
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-endpoint-types.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/api-gw-endpoint-type-check.html',
    ],
  },
});
