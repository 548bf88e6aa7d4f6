/**
 * Small helpers of the OpenAPI document (shared/http/openapi.ts): JSON Schema from zod
 * (`z.toJSONSchema`), references, labelled lists, and response schemas checked against
 * the TypeScript view they describe, so a field added to a view and not documented (or
 * documented and not there) fails `npm run typecheck`.
 */
import * as z from "zod";

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of a zod schema as a component (without `$schema`: OpenAPI 3.1 sets the dialect). */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `a 甲；b 乙` from a label map. */
export const labelList = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k} ${v}`)
    .join("；");

export const isoDate = (description: string): JsonSchema => ({ type: "string", format: "date", description: `${description}（YYYY-MM-DD，北京时间的日期）` });
export const isoInstant = (description: string): JsonSchema => ({ type: "string", format: "date-time", description: `${description}（ISO 8601 时刻，UTC）` });
export const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: "string", description, ...extra });
export const bool = (description: string): JsonSchema => ({ type: "boolean", description });
export const int = (description: string): JsonSchema => ({ type: "integer", description });
export const list = (items: JsonSchema, description: string): JsonSchema => ({ type: "array", items, description });

/** The same schema, also allowing `null`. */
export function nullable(schema: JsonSchema): JsonSchema {
  if ("$ref" in schema || !("type" in schema)) {
    const { description, ...rest } = schema;
    return { ...(description ? { description } : {}), oneOf: [rest, { type: "null" }] };
  }
  const type = schema.type;
  return { ...schema, type: [...(Array.isArray(type) ? type : [type]), "null"] };
}

/** Keys of T that may be absent. */
export type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * An object schema whose properties are exactly the keys of the TypeScript type T, and
 * whose `required` list is every key not marked optional (the optional ones are exactly
 * T's optional keys).
 */
export function objectOf<T>(
  description: string,
  properties: { [K in keyof T]-?: JsonSchema },
  optional: { [K in OptionalKeys<T>]: true },
  extra: JsonSchema = {},
): JsonSchema {
  const absent = new Set(Object.keys(optional));
  return {
    type: "object",
    description,
    required: Object.keys(properties).filter((k) => !absent.has(k)),
    properties,
    ...extra,
  };
}
