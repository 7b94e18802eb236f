import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";

const order = JSON.stringify({ amount: 3200, currency: "KRW" });

function post(key: string, body: string): Promise<Response> {
  return SELF.fetch("https://orders.example.com/orders", {
    method: "POST",
    headers: { "x-webhook-secret": env.WEBHOOK_SECRET, "idempotency-key": key },
    body,
  });
}

beforeAll(async () => {
  await env.IDEMPOTENCY_DB.exec(
    "CREATE TABLE IF NOT EXISTS idempotency_keys (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, response TEXT NOT NULL, created_at INTEGER NOT NULL)",
  );
});

describe("POST /orders", () => {
  it("requires the webhook secret", async () => {
    const res = await SELF.fetch("https://orders.example.com/orders", { method: "POST" });
    expect(res.status).toBe(401);
  });

  it("returns the stored order for a repeated key and body", async () => {
    expect((await post("k1", order)).status).toBe(202);
    const again = await post("k1", order);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ replay: true });
  });

  it("refuses a repeated key with a different body", async () => {
    await post("k2", order);
    const res = await post("k2", JSON.stringify({ amount: 1, currency: "KRW" }));
    expect(res.status).toBe(422);
  });
});
