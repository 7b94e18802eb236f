// corpus: tree-sitter-gap
// Circuit breaker around a partner API, using TC39 auto-accessor fields (TypeScript 4.9+),
// which tree-sitter-typescript 0.23 does not fully parse.
import type { SQSEvent, SQSBatchResponse } from "aws-lambda";

class CircuitBreaker {
  static accessor openCircuits: number = 0;
  private failures = 0;
  private openedAt = 0;

  constructor(private readonly threshold: number, private readonly coolDownMs: number) {}

  get isOpen(): boolean {
    return this.openedAt > 0 && Date.now() - this.openedAt < this.coolDownMs;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.isOpen) throw new Error("circuit open");
    try {
      const value = await task();
      this.failures = 0;
      this.openedAt = 0;
      return value;
    } catch (err) {
      if (++this.failures >= this.threshold) {
        this.openedAt = Date.now();
        CircuitBreaker.openCircuits++;
      }
      throw err;
    }
  }
}

const breaker = new CircuitBreaker(3, 30_000);
const PARTNER_URL = process.env.PARTNER_URL ?? "https://partner.example.com/events";

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failed: string[] = [];
  for (const record of event.Records) {
    try {
      await breaker.run(async () => {
        const res = await fetch(PARTNER_URL, {
          method: "POST",
          body: record.body,
          headers: { "content-type": "application/json" },
          signal: AbortSignal.timeout(2_500),
        });
        if (res.status >= 500) throw new Error(`partner ${res.status}`);
      });
    } catch {
      failed.push(record.messageId);
    }
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
