// Step Functions task with a discriminated-union input and assertion functions.
import type { Context } from "aws-lambda";

type Payment =
  | { kind: "card"; last4: string; amountCents: number }
  | { kind: "iban"; iban: string; amountCents: number }
  | { kind: "voucher"; code: string };

interface TaskInput {
  orderId: string;
  payment: Payment;
  attempt?: number;
}

export class RetryableError extends Error {
  override name = "RetryableError";
}

export class PaymentRejected extends Error {
  override name = "PaymentRejected";
  constructor(readonly reason: string) {
    super(`payment rejected: ${reason}`);
  }
}

function assertInput(value: unknown): asserts value is TaskInput {
  if (typeof value !== "object" || value === null || !("orderId" in value) || !("payment" in value)) {
    throw new PaymentRejected("malformed task input");
  }
}

function describe(payment: Payment): string {
  switch (payment.kind) {
    case "card":
      return `card ending ${payment.last4}`;
    case "iban":
      return `IBAN ${payment.iban.slice(0, 4)}…${payment.iban.slice(-4)}`;
    case "voucher":
      return `voucher ${payment.code}`;
  }
}

export const handler = async (input: unknown, context: Context) => {
  assertInput(input);
  const attempt = (input.attempt ?? 0) + 1;
  if ("amountCents" in input.payment && input.payment.amountCents <= 0) {
    throw new PaymentRejected("amount must be positive");
  }
  if (context.getRemainingTimeInMillis() < 2_000) {
    throw new RetryableError("not enough time left");
  }
  return { ...input, attempt, description: describe(input.payment), authorisedAt: new Date().toISOString() } as const;
};
