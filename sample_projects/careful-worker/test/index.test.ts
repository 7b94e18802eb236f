import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("POST /orders", () => {
  it("requires the webhook secret", async () => {
    const res = await SELF.fetch("https://orders.example.com/orders", { method: "POST" });
    expect(res.status).toBe(401);
  });

  it("returns the stored order for a repeated key", async () => {
    await env.IDEMPOTENCY_KV.put("k1", JSON.stringify({ orderId: "k1", status: "accepted" }));
    const res = await SELF.fetch("https://orders.example.com/orders", {
      method: "POST",
      headers: { "x-webhook-secret": env.WEBHOOK_SECRET, "idempotency-key": "k1" },
    });
    expect(await res.json()).toMatchObject({ replay: true });
  });
});
