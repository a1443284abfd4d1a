import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { ServiceError } from "@/lib/services/errors";
import { asStep } from "./errors";

describe("asStep", () => {
  it("ends the run on a service verdict, lets Inngest retry an unavailable gateway or anything else", async () => {
    await expect(asStep(async () => 1)).resolves.toBe(1);
    await expect(asStep(() => Promise.reject(new ServiceError("conflict", "no")))).rejects.toBeInstanceOf(NonRetriableError);
    await expect(asStep(() => Promise.reject(new ServiceError("unavailable", "later")))).rejects.toBeInstanceOf(ServiceError);
    await expect(asStep(() => Promise.reject(new Error("boom")))).rejects.not.toBeInstanceOf(NonRetriableError);
  });
});
