// Helpers for rule parameters, so each one carries its description and default where it is
// declared; the docs, the Config rule parameters and the settings schema read them from there.
import * as z from 'zod/mini';

/** The parameters of a rule: unknown keys are an error, so a misspelt setting is not silently ignored. */
export const parameters = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape);

/** A parameter that falls back to `value` when not given. */
export function withDefault<T extends z.ZodMiniType>(
  schema: T,
  value: z.core.util.NoUndefined<z.output<T>>,
  description: string,
) {
  return z._default(schema, value).check(z.describe(description));
}

/** A parameter that may be left out. */
export function optional<T extends z.ZodMiniType>(schema: T, description: string) {
  return z.optional(schema).check(z.describe(description));
}

/** A rule without parameters. */
export const noParameters = z.strictObject({});

export interface ParameterDoc {
  readonly name: string;
  readonly description: string;
  /** The default as JSON, or undefined when the parameter is optional without one. */
  readonly defaultValue?: string;
}

/** Lists a rule's parameters from its schema. */
export function describeParameters(schema: z.ZodMiniType): ParameterDoc[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string; default?: unknown }>;
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    description: property.description ?? '',
    ...(property.default === undefined ? {} : { defaultValue: JSON.stringify(property.default) }),
  }));
}
