import { z } from "zod";
import { createCustomer, createCustomerInput } from "@/lib/services/create-customer";
import { getCustomer, listCustomers } from "@/lib/services/queries/customers";
import { listOf, listQuery, toList } from "../list";
import { customerObject, toCustomer } from "../objects/customers";
import { route } from "../router";

const customer = createCustomerInput.shape;

export const customerRoutes = [
  route({
    method: "POST",
    path: "/customers",
    tag: "Customers",
    summary: "Create a customer",
    body: z.strictObject({
      email: customer.email,
      name: customer.name,
      phone: customer.phone,
      locale: customer.locale,
      test_clock: customer.testClockId.describe("A test clock (clock_...) the customer lives on; its frozen time is the customer's now"),
    }),
    response: customerObject,
    handler: async ({ ctx, body }) =>
      toCustomer(await createCustomer(ctx, { email: body.email, name: body.name, phone: body.phone, locale: body.locale, testClockId: body.test_clock })),
  }),
  route({
    method: "GET",
    path: "/customers",
    tag: "Customers",
    summary: "List customers, newest first",
    query: listQuery.extend({
      email: z.string().trim().toLowerCase().max(320).optional().describe("Only customers with this email address"),
      test_clock: z.string().max(100).optional().describe("Only customers on this test clock"),
    }),
    response: listOf(customerObject),
    handler: async ({ ctx, query }) =>
      toList(await listCustomers(ctx, { limit: query.limit, startingAfter: query.starting_after, email: query.email, testClockId: query.test_clock }), toCustomer),
  }),
  route({
    method: "GET",
    path: "/customers/{id}",
    tag: "Customers",
    summary: "Retrieve a customer",
    response: customerObject,
    handler: async ({ ctx, params }) => toCustomer(await getCustomer(ctx, params.id!)),
  }),
];
