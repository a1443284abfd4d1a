import { INVOICE_LINE_KINDS } from "@/lib/billing/invoice";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { API_ROUTES } from "@/lib/api/routes";
import { errorStatuses, groupOperations, OBJECT_LABELS, type OpenApiDocument, TAG_LABELS } from "./model";
import { describeType, fieldRows, operationAnchor, responseShape } from "./schema";

const doc = openApiDocument(API_ROUTES) as OpenApiDocument;
const components = doc.components!.schemas!;

describe("API reference: reading the schemas", () => {
  it("describes types with nullability, allowed values, ranges and defaults, hiding the safe-integer range", () => {
    expect(describeType({ anyOf: [{ type: "integer", minimum: 1, maximum: 730 }, { type: "null" }] })).toEqual({ type: "integer", nullable: true, values: [], constraints: ["1–730"] });
    expect(describeType({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 })).toMatchObject({ type: "integer", constraints: [] });
    expect(describeType({ anyOf: [{ type: "number", const: 10 }, { type: "number", const: 8 }] })).toMatchObject({ type: "number", values: ["10", "8"] });
    expect(describeType({ anyOf: [{ type: "integer", minimum: 0, maximum: 31 }, { type: "string", const: "signup" }] })).toMatchObject({ type: "integer | string", values: ['"signup"'], constraints: ["integer: 0–31"] });
    expect(describeType({ type: ["string", "null"] })).toMatchObject({ type: "string", nullable: true });
    expect(describeType({ type: "string", format: "date-time", pattern: "^(?:a very long regular expression that nobody wants to read in a table)$" })).toMatchObject({ type: "string (ISO 8601)", constraints: [] });
    expect(describeType({ type: "array", maxItems: 10, items: { type: "integer", minimum: 1, maximum: 365 } })).toMatchObject({ type: "integer[]", constraints: ["要素数 ≤ 10 件", "各要素 1–365"] });
    expect(describeType({ $ref: "#/components/schemas/Plan" })).toMatchObject({ type: "Plan", ref: "Plan" });
  });

  it("flattens nested objects and arrays of objects under their parent", () => {
    const invoice = fieldRows(components.Invoice, components);
    expect(invoice.map((r) => r.name)).toEqual(expect.arrayContaining(["lines", "lines[].kind", "lines[].amount", "attempts[].status", "paid_at"]));
    expect(invoice.find((r) => r.name === "lines[].kind")).toMatchObject({ depth: 1, values: INVOICE_LINE_KINDS.map((k) => `"${k}"`) });
    const subscription = fieldRows({ $ref: "#/components/schemas/Subscription" }, components);
    expect(subscription.find((r) => r.name === "next_action")).toMatchObject({ type: "object", nullable: true });
    expect(subscription.find((r) => r.name === "next_action.due_at")).toMatchObject({ type: "string (ISO 8601)", depth: 1 });
    const createPlan = fieldRows(groupOperations(doc).flatMap((g) => g.operations).find((o) => o.method === "POST" && o.path === "/plans")!.requestBody, components);
    expect(createPlan.find((r) => r.name === "amount")).toMatchObject({ required: true, type: "integer" });
    expect(createPlan.find((r) => r.name === "first_period")).toMatchObject({ required: false, defaultValue: '"full"' });
  });

  it("tells an object answer from a list answer", () => {
    expect(responseShape({ $ref: "#/components/schemas/Subscription" })).toEqual({ kind: "object", name: "Subscription" });
    expect(responseShape({ type: "object", properties: { object: { type: "string", const: "list" }, data: { type: "array", items: { $ref: "#/components/schemas/Mail" } }, has_more: { type: "boolean" } } })).toEqual({ kind: "list", name: "Mail" });
    expect(responseShape({ type: "object" })).toMatchObject({ kind: "other" });
  });
});

describe("API reference: the document as the page shows it", () => {
  const groups = groupOperations(doc);
  const operations = groups.flatMap((g) => g.operations);

  it("shows every route once, under a Japanese tag name and a Japanese title, with a unique anchor", () => {
    expect(operations).toHaveLength(API_ROUTES.length);
    for (const group of groups) expect(TAG_LABELS[group.tag], group.tag).toBeDefined();
    for (const op of operations) expect(op.title, `${op.method} ${op.path} needs a title in components/api-docs/model.ts`).not.toBe(op.summary);
    const anchors = operations.map((o) => o.anchor);
    expect(new Set(anchors).size).toBe(anchors.length);
    expect(operationAnchor("POST", "/subscriptions/{id}/cancel")).toBe("post-subscriptions-id-cancel");
    for (const name of Object.keys(components)) expect(OBJECT_LABELS[name], name).toBeDefined();
  });

  it("keeps path and query parameters, marks POSTs as taking an Idempotency-Key, and finds the success answer", () => {
    const list = operations.find((o) => o.method === "GET" && o.path === "/subscriptions")!;
    expect(list.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:limit", "query:starting_after", "query:status", "query:customer", "query:plan"]);
    const cancel = operations.find((o) => o.method === "POST" && o.path === "/subscriptions/{id}/cancel")!;
    expect(cancel.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["path:id"]);
    expect(cancel.idempotent).toBe(true);
    expect(cancel.success.status).toBe("200");
    expect(responseShape(cancel.success.schema)).toEqual({ kind: "object", name: "Subscription" });
  });

  it("lists the error statuses in order, 503 included", () => {
    expect(errorStatuses(doc).map((e) => e.status)).toEqual(["400", "401", "402", "404", "409", "413", "429", "503"]);
  });
});
