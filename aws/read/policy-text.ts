import type { PolicyDocument } from '../../rules/core/resources';

/**
 * API Gateway returns a REST API's resource policy as a JSON string whose quotes are
 * backslash-escaped (`{\"Version\":…}`); both forms are accepted.
 */
export function parsePolicy(policy: string | undefined): PolicyDocument | null {
  if (!policy) return null;
  for (const text of [policy, policy.replace(/\\"/g, '"').replace(/\\\//g, '/')]) {
    try {
      const parsed = JSON.parse(text) as PolicyDocument;
      if (parsed && typeof parsed === 'object') {
        const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
        return { ...parsed, Statement: statements.filter(Boolean) };
      }
    } catch {
      // try the unescaped form next
    }
  }
  return null;
}
