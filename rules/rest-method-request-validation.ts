import * as z from 'zod/mini';
import { matchesPattern, methodPattern } from './core/methods';
import { parameters, withDefault } from './core/params';
import { describeResource } from './core/resources';
import { compliant, defineRule, nonCompliant, notApplicable } from './core/rule';
import { listSome, methodLabel, plural, sentence } from './core/text';

export default defineRule({
  id: 'rest-method-request-validation',
  title: 'REST API methods that take a body have a request validator for it',
  severity: 'LOW',
  resource: 'rest-stage',
  reads: ['rest-methods'],
  rationale:
    'A request validator makes API Gateway reject a malformed body with 400 before the integration runs, so ' +
    'malformed or oversized input never reaches the backend and costs nothing. It is defence in depth: the ' +
    'backend must still validate what it receives.',
  parameters: parameters({
    bodyMethods: withDefault(
      z.array(z.string()),
      ['POST', 'PUT', 'PATCH'],
      'The HTTP methods that take a body; add ANY to also judge catch-all methods.',
    ),
    ignoreMethods: withDefault(
      z.array(methodPattern),
      [],
      'Methods not to judge, as "METHOD /path" ("POST /webhooks"); "*" matches any method or any part of a path.',
    ),
  }),
  evaluate(stage, { bodyMethods, ignoreMethods }) {
    const what = sentence(describeResource(stage));
    const workingCopy =
      stage.methods.source === 'working-copy'
        ? ' (judged on the working copy: the deployment could not be read)'
        : '';
    const takingBody = stage.methods.served.filter((method) =>
      bodyMethods.some((verb) => verb.toUpperCase() === method.httpMethod.toUpperCase()),
    );
    if (takingBody.length === 0) {
      return notApplicable(
        `${what} serves no ${bodyMethods.join(', ')} method, so it has no request body to validate${workingCopy}.`,
      );
    }

    const judged = takingBody.filter(
      (method) => !ignoreMethods.some((pattern) => matchesPattern(pattern, method)),
    );
    const unvalidated = judged
      .filter((method) => !method.requestValidator?.validateRequestBody)
      .map(methodLabel);
    const observed = { source: stage.methods.source, unvalidated };
    const expected = 'a request validator with validateRequestBody on every method that takes a body';

    if (unvalidated.length > 0) {
      return nonCompliant(
        `${what} does not validate the body of ${listSome(unvalidated)}${workingCopy}; a request validator that validates the body is expected, as defence in depth.`,
        { observed, expected },
      );
    }
    const ignored = takingBody.length - judged.length;
    if (judged.length === 0) {
      return compliant(
        `${what} takes a body only on methods ignored by configuration (${listSome(takingBody.map(methodLabel))})${workingCopy}.`,
        { observed, expected },
      );
    }
    return compliant(
      `${what} validates the body of every method that takes one (${plural(judged.length, 'method')}` +
        `${ignored > 0 ? `, ${ignored} more ignored by configuration` : ''})${workingCopy}.`,
      { observed, expected },
    );
  },
  references: {
    docs: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html',
    ],
  },
});
