// "METHOD /path" patterns that name REST methods in rule parameters (`GET /health`, `* /public/*`).
import * as z from 'zod/mini';
import type { RestMethod } from './resources';

/** An HTTP method (or `*`) and a resource path in which `*` matches anything. */
export const methodPattern = z
  .string()
  .check(z.regex(/^(\*|[A-Za-z]+) \/\S*$/, 'expected "METHOD /path", for example "GET /health"'));

export function matchesPattern(pattern: string, method: RestMethod): boolean {
  const [verb = '', path = ''] = pattern.split(' ');
  if (verb !== '*' && verb.toUpperCase() !== method.httpMethod.toUpperCase()) return false;
  const glob = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${glob}$`).test(method.resourcePath);
}

/**
 * "serves X", or for a working copy judged as if deployed, "would serve X at its next deployment".
 */
export const serves = (stage: { methods: { source: string } }, what: string) =>
  stage.methods.source === 'undeployed' ? `would serve ${what} at its next deployment` : `serves ${what}`;
