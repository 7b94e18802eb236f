// POST /orders: authenticate the webhook, rate-limit, and accept each idempotency key once.
export interface Env {
  WEBHOOK_SECRET: string;
  ALLOWED_ORIGIN: string;
  IDEMPOTENCY_KV: KVNamespace;
  ORDERS_LIMITER: RateLimit;
}

const DAY_SECONDS = 86400;
const encoder = new TextEncoder();

function json(body: unknown, status: number, env: Env): Response {
  return Response.json(body, { status, headers: { "access-control-allow-origin": env.ALLOWED_ORIGIN } });
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/orders") {
      return json({ error: "not_found" }, 404, env);
    }
    const given = request.headers.get("x-webhook-secret") ?? "";
    if (!(await sameSecret(given, env.WEBHOOK_SECRET))) {
      return json({ error: "unauthorized" }, 401, env);
    }
    const { success } = await env.ORDERS_LIMITER.limit({ key: url.pathname });
    if (!success) {
      return json({ error: "rate_limited" }, 429, env);
    }
    const key = request.headers.get("idempotency-key");
    if (!key) {
      return json({ error: "idempotency_key_required" }, 400, env);
    }
    const existing = await env.IDEMPOTENCY_KV.get(key, "json");
    if (existing) {
      return json({ ...(existing as object), replay: true }, 200, env);
    }
    let body: { amount?: unknown; currency?: unknown };
    try {
      body = await request.json();
    } catch {
      return json({ error: "invalid_json" }, 400, env);
    }
    if (typeof body.amount !== "number" || body.amount <= 0 || typeof body.currency !== "string") {
      return json({ error: "invalid_order" }, 400, env);
    }
    const accepted = { orderId: key, status: "accepted", amount: body.amount, currency: body.currency };
    await env.IDEMPOTENCY_KV.put(key, JSON.stringify(accepted), { expirationTtl: DAY_SECONDS });
    console.log(JSON.stringify({ message: "order.accepted", orderId: key }));
    return json(accepted, 202, env);
  },
};
