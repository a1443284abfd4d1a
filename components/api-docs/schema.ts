/**
 * Reading the OpenAPI document's JSON Schemas for the reference page: each schema becomes rows of a field
 * table (name, type, required, allowed values, constraints, default, description), nested objects flattened
 * as `parent.child` and arrays of objects as `parent[].child`.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  description?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

export type Components = Record<string, JsonSchema>;

export type FieldRow = {
  /** Dotted path: `next_action.kind`, `lines[].amount`. */
  name: string;
  depth: number;
  /** e.g. "string", "integer", "object[]", "Subscription[]". */
  type: string;
  /** The component a `$ref` type points to, for a link. */
  ref?: string;
  required: boolean;
  nullable: boolean;
  /** Allowed values (enum / const), JSON-formatted. */
  values: string[];
  constraints: string[];
  defaultValue?: string;
  description?: string;
};

const REF_PREFIX = "#/components/schemas/";
/** zod writes JavaScript's safe-integer range for plain `.int()`: no constraint worth showing. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const numberFormat = new Intl.NumberFormat("ja-JP");

export function refName(schema: JsonSchema | undefined): string | undefined {
  return schema?.$ref?.startsWith(REF_PREFIX) ? schema.$ref.slice(REF_PREFIX.length) : undefined;
}

const isNull = (s: JsonSchema) => s.type === "null";

/** The schema without its `null` alternative, and whether null is allowed. */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const rest = variants.filter((v) => !isNull(v));
    const nullable = rest.length < variants.length;
    if (rest.length === 1) {
      // Keep the outer description and default (zod puts them beside anyOf).
      return { schema: { ...rest[0], description: schema.description ?? rest[0]!.description, default: schema.default ?? rest[0]!.default }, nullable };
    }
    return { schema: { ...schema, anyOf: rest, oneOf: undefined }, nullable };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

const json = (value: unknown) => JSON.stringify(value);

function rangeText(min: number | undefined, max: number | undefined, unit = ""): string | undefined {
  const lo = min !== undefined && Math.abs(min) < SAFE_INTEGER ? numberFormat.format(min) : undefined;
  const hi = max !== undefined && Math.abs(max) < SAFE_INTEGER ? numberFormat.format(max) : undefined;
  if (lo !== undefined && hi !== undefined) return lo === hi ? `${lo}${unit}` : `${lo}–${hi}${unit}`;
  if (lo !== undefined) return `≥ ${lo}${unit}`;
  if (hi !== undefined) return `≤ ${hi}${unit}`;
  return undefined;
}

/** What a schema accepts, in one line each: type label, allowed values and constraints. */
export function describeType(input: JsonSchema): { type: string; ref?: string; nullable: boolean; values: string[]; constraints: string[] } {
  const { schema, nullable } = unwrapNullable(input);
  const ref = refName(schema);
  if (ref) return { type: ref, ref, nullable, values: [], constraints: [] };

  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const parts = variants.map((v) => describeType(v));
    // All literals ("signup", 10 | 8): one list of values.
    if (variants.every((v) => v.const !== undefined || v.enum !== undefined)) {
      const types = [...new Set(parts.map((p) => p.type))];
      return { type: types.join(" | "), nullable, values: parts.flatMap((p) => p.values), constraints: [] };
    }
    return {
      type: [...new Set(parts.map((p) => p.type))].join(" | "),
      nullable,
      values: parts.flatMap((p) => p.values),
      constraints: parts.flatMap((p) => p.constraints.map((c) => (parts.length > 1 ? `${p.type}: ${c}` : c))),
    };
  }

  const constraints: string[] = [];
  const values = schema.const !== undefined ? [json(schema.const)] : (schema.enum ?? []).map(json);
  const baseType = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");

  if (baseType === "array") {
    const items = schema.items ? describeType(schema.items) : { type: "any", values: [], constraints: [] as string[], ref: undefined };
    const count = rangeText(schema.minItems, schema.maxItems, " 件");
    if (count) constraints.push(`要素数 ${count}`);
    for (const c of items.constraints) constraints.push(`各要素 ${c}`);
    return { type: `${items.type}[]`, ref: items.ref, nullable, values: items.values, constraints };
  }
  if (baseType === "integer" || baseType === "number") {
    const range = rangeText(schema.minimum, schema.maximum);
    if (range) constraints.push(range);
  }
  if (baseType === "string") {
    const length = rangeText(schema.minLength, schema.maxLength, " 文字");
    if (length) constraints.push(length);
    // A date-time's regex says what "ISO 8601" says; other (short) patterns are shown.
    if (schema.pattern && schema.format !== "date-time" && schema.pattern.length <= 60) constraints.push(`pattern ${schema.pattern}`);
  }
  const type = schema.format === "date-time" ? "string (ISO 8601)" : schema.format ? `string (${schema.format})` : baseType;
  return { type, nullable, values, constraints };
}

/**
 * Field rows of an object schema, nested objects (and arrays of objects) flattened under their parent.
 * `$ref` fields are not expanded: their row links to the component.
 */
export function fieldRows(schema: JsonSchema | undefined, components: Components, prefix = "", depth = 0): FieldRow[] {
  if (!schema) return [];
  const ref = refName(schema);
  if (ref && depth === 0) return fieldRows(components[ref], components, prefix, depth);
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const described = describeType(property);
    const { schema: inner } = unwrapNullable(property);
    const fullName = `${prefix}${name}`;
    const defaultValue = property.default ?? inner.default;
    rows.push({
      name: fullName,
      depth,
      ...described,
      required: required.has(name),
      defaultValue: defaultValue === undefined ? undefined : json(defaultValue),
      description: property.description ?? inner.description,
    });
    if (inner.properties) rows.push(...fieldRows(inner, components, `${fullName}.`, depth + 1));
    else if (inner.type === "array" && inner.items) {
      const { schema: item } = unwrapNullable(inner.items);
      if (item.properties) rows.push(...fieldRows(item, components, `${fullName}[].`, depth + 1));
    }
  }
  return rows;
}

/** What a success answer holds: one object (`$ref`), a list of one object, or another shape. */
export type ResponseShape = { kind: "object"; name: string } | { kind: "list"; name: string } | { kind: "other"; schema: JsonSchema | undefined };

export function responseShape(schema: JsonSchema | undefined): ResponseShape {
  const name = refName(schema);
  if (name) return { kind: "object", name };
  const data = schema?.properties?.data;
  const item = data?.type === "array" ? refName(data.items) : undefined;
  if (schema?.properties?.object?.const === "list" && item) return { kind: "list", name: item };
  return { kind: "other", schema };
}

/** A readable, unique anchor for an operation: "post-subscriptions-id-cancel". */
export function operationAnchor(method: string, path: string): string {
  return `${method.toLowerCase()}-${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`.toLowerCase();
}

export const objectAnchor = (name: string) => `object-${name.toLowerCase()}`;
export const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
