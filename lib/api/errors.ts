import { z } from "zod";
import { IllegalTransitionError } from "@/lib/billing/subscription-state";
import { ServiceError } from "@/lib/services/errors";

export const API_ERROR_TYPES = ["invalid_request_error", "authentication_error", "card_error", "idempotency_error", "rate_limit_error", "api_error"] as const;
export type ApiErrorType = (typeof API_ERROR_TYPES)[number];

/** An error as callers see it: {"error": {"type", "code", "message", "param"}} with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  body() {
    return { error: { type: this.type, code: this.code, message: this.message, param: this.param, ...this.extra } };
  }
}

/** Service fields are camelCase and name ids by what they point to; the API speaks snake_case nouns. */
const PARAM_NAMES: Record<string, string> = {
  productId: "product",
  planId: "plan",
  customerId: "customer",
  paymentMethodId: "payment_method",
  subscriptionId: "subscription",
  testClockId: "test_clock",
};

export function apiParamName(param: string | undefined | null): string | null {
  if (!param) return null;
  return param
    .split(".")
    .map((part) => PARAM_NAMES[part] ?? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .join(".");
}

export function invalidRequest(message: string, param: string | null = null, code = "parameter_invalid"): ApiError {
  return new ApiError(400, "invalid_request_error", code, message, param);
}

export function fromZod(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const name = [...issue.path.map(String), issue.keys[0]].join(".");
    return invalidRequest(`Received unknown parameter: ${name}`, name, "parameter_unknown");
  }
  const param = issue?.path.map(String).join(".") || null;
  const missing = issue?.code === "invalid_type" && issue.input === undefined;
  return invalidRequest(
    issue ? `${param ? `${param}: ` : ""}${missing ? "this parameter is required" : issue.message}` : "Invalid request",
    param,
    missing ? "parameter_missing" : "parameter_invalid",
  );
}

/** The one translation of every error into an HTTP answer; anything unexpected is a 500 without details. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return fromZod(error);
  if (error instanceof IllegalTransitionError) return new ApiError(409, "invalid_request_error", "illegal_state", error.message);
  if (error instanceof ServiceError) {
    const param = apiParamName(error.details.param);
    switch (error.code) {
      case "invalid":
        return invalidRequest(error.message, param, error.details.reason ?? "parameter_invalid");
      case "not_found":
        return new ApiError(404, "invalid_request_error", "resource_missing", error.message, param);
      case "conflict":
        return new ApiError(409, "invalid_request_error", error.details.reason ?? "conflict", error.message, param);
      case "payment_declined": {
        // The one shape of a declined card, whatever the verb: what was declined, how (hard: a new card is needed),
        // and the objects the caller follows up on.
        const { declineCode, declineKind, invoiceId, subscriptionId, reason } = error.details;
        const extra: Record<string, string> = {};
        if (declineCode) extra.decline_code = declineCode;
        if (declineKind) extra.decline_kind = declineKind;
        if (subscriptionId) extra.subscription = subscriptionId;
        if (invoiceId) extra.invoice = invoiceId;
        return new ApiError(402, "card_error", reason === "refund_failed" ? "refund_failed" : "card_declined", error.message, param, extra);
      }
      case "forbidden":
        return new ApiError(403, "invalid_request_error", "forbidden", error.message, param);
      case "unavailable":
        // A 5xx is not kept by the idempotency layer: the caller retries with the same key and the retry
        // replays the charge that is in flight instead of making another.
        return new ApiError(503, "api_error", error.details.reason ?? "unavailable", error.message, param);
    }
  }
  return new ApiError(500, "api_error", "internal_error", "Something went wrong on our side; the request may be retried with the same Idempotency-Key.");
}
