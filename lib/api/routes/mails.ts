import { z } from "zod";
import { MAIL_TEMPLATES } from "@/lib/billing/mail-template";
import { getMail, listMails } from "@/lib/services/queries/mails";
import { listOf, listQuery, toList } from "../list";
import { mailObject, toMail } from "../objects/mails";
import { route } from "../router";

export const mailRoutes = [
  route({
    method: "GET",
    path: "/mails",
    tag: "Mails",
    summary: "List the mails the engine decided to send, newest first",
    query: listQuery.extend({ customer: z.string().min(1).optional(), subscription: z.string().min(1).optional(), template: z.enum(MAIL_TEMPLATES).optional() }),
    response: listOf(mailObject),
    handler: async ({ ctx, query }) =>
      toList(
        await listMails(ctx, { limit: query.limit, startingAfter: query.starting_after, customerId: query.customer, subscriptionId: query.subscription, template: query.template }),
        toMail,
      ),
  }),
  route({
    method: "GET",
    path: "/mails/{id}",
    tag: "Mails",
    summary: "Retrieve a mail",
    response: mailObject,
    handler: async ({ ctx, params }) => toMail(await getMail(ctx, params.id!)),
  }),
];
