// Small wording helpers shared by rules, so every reason reads the same way.

/**
 * API Gateway keys method settings as `{resource path}/{HTTP method}` with `/` in the path
 * written `~1`: `*\/*` is the stage default, `~1pets~1{id}/GET` is GET /pets/{id}.
 */
export function methodSettingLabel(key: string): string {
  if (key === '*/*') return 'all methods (stage default)';
  const slash = key.lastIndexOf('/');
  const path = key.slice(0, slash).replace(/~1/g, '/').replace(/~0/g, '~');
  const method = key.slice(slash + 1);
  return `${method === '*' ? 'all methods' : method} ${path === '*' ? '(all resources)' : path}`;
}

/** `GET /pets` */
export const methodLabel = (method: { httpMethod: string; resourcePath: string }) =>
  `${method.httpMethod} ${method.resourcePath}`;

/** "a, b and 3 more" — keeps reasons within Config's 256-character annotation when lists are long. */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return joinWords(items);
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** "a", "a and b", "a, b and c". */
export function joinWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Capitalises the first letter, for reasons that begin with a resource description. */
/** "1 method", "3 methods". */
export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
