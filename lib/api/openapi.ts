import { z } from "zod";
import { API_ERROR_TYPES } from "./errors";
import { API_PREFIX } from "./handle-request";
import type { ApiRoute } from "./router";

/** The body of every error answer. 402 card errors add the decline code and the objects to follow up on. */
const errorObject = z
  .object({
    error: z.object({
      type: z.enum(API_ERROR_TYPES),
      code: z.string().describe("Machine-readable reason, e.g. parameter_missing, resource_missing, card_declined, idempotency_key_reused"),
      message: z.string().describe("For the developer, in English"),
      param: z.string().nullable().describe("The request field at fault (400), dotted for nested fields; otherwise null"),
      decline_code: z.string().optional().describe("402 only: the gateway's reason, e.g. card_declined, insufficient_funds"),
      subscription: z.string().optional().describe("402 only: the subscription whose charge was declined (an incomplete one after a declined first charge)"),
      invoice: z.string().optional().describe("402 only: the invoice left unpaid by the declined charge (void for a declined additional charge)"),
    }),
  })
  .meta({ id: "Error" });

const ERROR_RESPONSES: Record<string, string> = {
  "400": "Invalid request (the `param` names the field)",
  "401": "Missing or invalid API key",
  "402": "The card was declined (`decline_code`, and the `subscription` and `invoice` concerned)",
  "404": "No such object (also another merchant's object)",
  "409": "Illegal state change, or an Idempotency-Key conflict",
  "413": "Body over 1 MB",
  "429": "Rate limited; see Retry-After",
  "503": "The payment gateway did not answer; retry with the same Idempotency-Key (the charge in flight is replayed, not repeated)",
};

/** OpenAPI 3.1 made from the same zod schemas that validate the requests: one source of truth. */
export function openApiDocument(routes: readonly ApiRoute[], serverUrl = API_PREFIX) {
  const schemas: Record<string, unknown> = {};
  // Objects with a `.meta({ id })` become shared components; their $defs refs are pointed there.
  const toSchema = (schema: z.ZodType, io: "input" | "output") => {
    const generated = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
    const json = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
    Object.assign(schemas, json.$defs ?? {});
    delete json.$defs;
    delete json.$schema;
    return json;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [
      ...[...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...(r.query ? queryParameters(toSchema(r.query, "input")) : []),
    ];
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, "By_$1").replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.method === "POST" ? { parameters: [...parameters, { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 } }] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.body, "input") } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: "OK", content: { "application/json": { schema: toSchema(r.response, "output") } } },
        ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, description]) => [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }])),
      },
    };
  }
  // Registered as a component through its meta id, like the resource objects.
  toSchema(errorObject, "output");
  return {
    openapi: "3.1.0",
    info: { title: "Keizoku API", version: "v1", description: "Recurring billing for Japanese merchants. Authenticate with `Authorization: Bearer sk_...`. Amounts are integers in minor units; times are ISO 8601 UTC." },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
    paths,
  };
}

function queryParameters(schema: Record<string, unknown>) {
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({ name, in: "query", required: required.has(name), schema: s }));
}
