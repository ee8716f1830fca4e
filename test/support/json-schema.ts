// A small JSON Schema (draft-04) validator: the keywords the SARIF 2.1.0 schema uses, no more.
// It exists so the SARIF test checks gatewatch's output against the standard's own schema
// (test/fixtures/sarif-schema-2.1.0.json) without a new dependency. An unknown keyword throws,
// so a schema that needs more than this is noticed, never half-checked.

type Schema = { readonly [keyword: string]: unknown };

const KNOWN = new Set([
  '$schema',
  'id',
  'title',
  'description',
  'default',
  'definitions',
  '$ref',
  'type',
  'properties',
  'additionalProperties',
  'required',
  'items',
  'minItems',
  'uniqueItems',
  'enum',
  'minimum',
  'maximum',
  'pattern',
  'format',
  'anyOf',
  'oneOf',
]);

/** RFC 3339 date-time, as JSON Schema's `date-time` format. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/** RFC 3986: an absolute URI has a scheme; a reference may be relative; neither has spaces or these characters. */
const URI_CHARS = /^[^\s<>"{}|\\^`]*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const formats: Record<string, (value: string) => boolean> = {
  'date-time': (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
  uri: (value) => SCHEME.test(value) && URI_CHARS.test(value),
  'uri-reference': (value) => URI_CHARS.test(value),
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const matchesType = (value: unknown, type: string) =>
  typeOf(value) === type || (type === 'number' && typeOf(value) === 'integer');

/** Every way `value` breaks `root` (empty when it is valid), each as "path: problem". */
export function validateJsonSchema(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const match = /^#\/definitions\/(.+)$/.exec(ref);
    const definitions = root.definitions as Record<string, Schema> | undefined;
    const target = match ? definitions?.[match[1] as string] : undefined;
    if (!target) throw new Error(`json-schema: cannot resolve ${ref}`);
    return target;
  };
  const check = (schema: Schema, data: unknown, path: string, out: string[]): void => {
    for (const keyword of Object.keys(schema)) {
      if (!KNOWN.has(keyword)) throw new Error(`json-schema: keyword "${keyword}" is not supported`);
    }
    if (typeof schema.$ref === 'string') check(resolve(schema.$ref), data, path, out);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((type) => matchesType(data, type))) {
        out.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(data)}`);
        return;
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === data)) {
      out.push(`${path}: ${JSON.stringify(data)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof data === 'number') {
      if (typeof schema.minimum === 'number' && data < schema.minimum)
        out.push(`${path}: below ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && data > schema.maximum)
        out.push(`${path}: above ${schema.maximum}`);
    }
    if (typeof data === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(data)) {
        out.push(`${path}: ${JSON.stringify(data)} does not match ${schema.pattern}`);
      }
      const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
      if (typeof schema.format === 'string' && !format)
        throw new Error(`json-schema: format ${schema.format}`);
      if (format && !format(data)) out.push(`${path}: ${JSON.stringify(data)} is not a ${schema.format}`);
    }
    if (Array.isArray(data)) {
      if (typeof schema.minItems === 'number' && data.length < schema.minItems) {
        out.push(`${path}: fewer than ${schema.minItems} items`);
      }
      if (schema.uniqueItems === true) {
        const seen = new Set(data.map((item) => JSON.stringify(item)));
        if (seen.size !== data.length) out.push(`${path}: items are not unique`);
      }
      if (schema.items && typeof schema.items === 'object') {
        data.forEach((item, index) => {
          check(schema.items as Schema, item, `${path}[${index}]`, out);
        });
      }
    }
    if (typeOf(data) === 'object') {
      const object = data as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const name of (schema.required as string[] | undefined) ?? []) {
        if (!(name in object)) out.push(`${path}: missing required property ${name}`);
      }
      for (const [name, item] of Object.entries(object)) {
        const own = Object.hasOwn(properties, name) ? properties[name] : undefined;
        if (own) check(own, item, `${path}.${name}`, out);
        else if (schema.additionalProperties === false) out.push(`${path}: property ${name} is not allowed`);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          check(schema.additionalProperties as Schema, item, `${path}.${name}`, out);
        }
      }
    }
    for (const [keyword, exactlyOne] of [
      ['anyOf', false],
      ['oneOf', true],
    ] as const) {
      const options = schema[keyword] as Schema[] | undefined;
      if (!options) continue;
      const passing = options.filter((option) => {
        const inner: string[] = [];
        check(option, data, path, inner);
        return inner.length === 0;
      }).length;
      if (exactlyOne ? passing !== 1 : passing === 0) {
        out.push(`${path}: matches ${passing} of the ${keyword} alternatives`);
      }
    }
  };
  check(root, value, '$', errors);
  return errors;
}
