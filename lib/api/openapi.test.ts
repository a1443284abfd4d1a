import { describe, expect, it } from "vitest";
import { ServiceError } from "@/lib/services/errors";
import { ApiError, toApiError } from "./errors";
import { openApiDocument } from "./openapi";
import { API_ROUTES } from "./routes";

type Json = Record<string, unknown>;
type Operation = { operationId: string; summary: string; tags: string[]; parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[]; requestBody?: Json; responses: Record<string, { description?: string; content?: Json }> };

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const doc = openApiDocument(API_ROUTES);
const schemas = doc.components.schemas as Record<string, Json>;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, op]) => ({ path, method, op: op as Operation })),
);

/** Every `$ref` in a JSON value, with where it was found. */
function refsIn(value: unknown, at = "#"): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => (key === "$ref" && typeof v === "string" ? [{ ref: v, at }] : refsIn(v, `${at}/${key}`)));
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the required top-level fields and a declared security scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers.length).toBeGreaterThan(0);
    for (const requirement of doc.security) for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes, name).toHaveProperty(name);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc); // plain JSON: nothing lost when served
  });

  it("resolves every $ref to a component schema, and no component is only a reference to itself", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, at } of refs) {
      expect(ref, at).toMatch(/^#\/components\/schemas\/[A-Za-z0-9._-]+$/);
      expect(schemas, `${ref} at ${at}`).toHaveProperty(ref.slice("#/components/schemas/".length));
    }
    for (const [name, schema] of Object.entries(schemas)) {
      // Following the refs from a component reaches a real schema (no cycle of bare references).
      const seen = new Set<string>();
      let current: Json = schema;
      while (typeof current.$ref === "string" && Object.keys(current).length === 1) {
        const target = current.$ref.slice("#/components/schemas/".length);
        expect(seen.has(target), `${name} is a cycle of references`).toBe(false);
        seen.add(target);
        current = schemas[target]!;
      }
      expect(current.type ?? current.anyOf ?? current.oneOf, name).toBeDefined();
      expect(refsIn(schema).every((r) => !r.ref.startsWith("#/$defs"))).toBe(true);
    }
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("declares every path parameter of every path, and no path parameter that is not in the path", () => {
    for (const { path, method, op } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...inPath].sort());
      for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
      const keys = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(keys).size, `${method} ${path} repeats a parameter`).toBe(keys.length);
      for (const p of op.parameters ?? []) {
        expect(["path", "query", "header", "cookie"]).toContain(p.in);
        expect(p.schema, `${method} ${path} ${p.name}`).toBeDefined();
      }
    }
  });

  it("documents every route of API_ROUTES once, under its tag and summary, and nothing else", () => {
    for (const route of API_ROUTES) {
      const op = (doc.paths[route.path] as Record<string, Operation> | undefined)?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op!.tags).toEqual([route.tag]);
      expect(op!.summary).toBe(route.summary);
      expect(Boolean(op!.requestBody), `${route.method} ${route.path} body`).toBe(Boolean(route.body));
      if (route.method === "POST") expect(op!.parameters?.some((p) => p.in === "header" && p.name === "Idempotency-Key"), `${route.path} Idempotency-Key`).toBe(true);
    }
    expect(operations).toHaveLength(API_ROUTES.length);
    const routeKeys = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
  });

  it("gives every operation a unique operationId and described responses with one success answer", () => {
    const ids = operations.map(({ op }) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      for (const status of statuses) {
        expect(status, `${method} ${path}`).toMatch(/^[1-5](\d\d|XX)$/);
        expect(op.responses[status]!.description, `${method} ${path} ${status}`).toEqual(expect.any(String));
      }
      expect(statuses.filter((s) => s.startsWith("2")), `${method} ${path}`).toHaveLength(1);
      if (op.requestBody) expect(op.requestBody).toMatchObject({ content: { "application/json": { schema: expect.any(Object) } } });
    }
  });

  it("documents the error answers every caller can meet, 503 included, with the Error schema", () => {
    for (const { op } of operations) {
      for (const status of ["400", "401", "402", "404", "409", "413", "429", "503"]) {
        expect(op.responses[status]).toMatchObject({ description: expect.any(String), content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
      }
    }
  });

  it("lists the optional fields a 402 error carries, and every field a real error answer has", () => {
    const error = (schemas.Error!.properties as Record<string, Json>).error!;
    const properties = error.properties as Record<string, Json>;
    expect(Object.keys(properties)).toEqual(["type", "code", "message", "param", "decline_code", "subscription", "invoice"]);
    expect(error.required).toEqual(["type", "code", "message", "param"]);
    for (const name of ["decline_code", "subscription", "invoice"]) expect(properties[name]).toMatchObject({ type: "string", description: expect.stringContaining("402") });

    // Bodies as the handler makes them fit the schema: no field the document does not know.
    const bodies = [
      toApiError(new ServiceError("payment_declined", "declined", { declineCode: "insufficient_funds" })).body(),
      new ApiError(402, "card_error", "card_declined", "declined", null, { decline_code: "card_declined", subscription: "sub_1", invoice: "in_1" }).body(),
      toApiError(new ServiceError("unavailable", "gateway timeout")).body(),
      toApiError(new Error("boom")).body(),
    ];
    for (const body of bodies) {
      for (const key of Object.keys(body.error)) expect(properties, key).toHaveProperty(key);
      expect((properties.type!.enum as string[]).includes(body.error.type)).toBe(true);
    }
  });
});
