// POST /orders: authenticate the webhook, rate-limit, and accept each idempotency key once.
export interface Env {
  WEBHOOK_SECRET: string;
  ALLOWED_ORIGIN: string;
  IDEMPOTENCY_DB: D1Database;
  ORDERS_LIMITER: RateLimit;
}

const RETENTION_MS = 24 * 60 * 60 * 1000;
const encoder = new TextEncoder();

function json(body: unknown, status: number, env: Env): Response {
  return Response.json(body, { status, headers: { "access-control-allow-origin": env.ALLOWED_ORIGIN } });
}

async function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(text));
}

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(given), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

async function fingerprintOf(body: string): Promise<string> {
  const digest = new Uint8Array(await sha256(body));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
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
    const raw = await request.text();
    let body: { amount?: unknown; currency?: unknown };
    try {
      body = JSON.parse(raw);
    } catch {
      return json({ error: "invalid_json" }, 400, env);
    }
    if (typeof body.amount !== "number" || body.amount <= 0 || typeof body.currency !== "string") {
      return json({ error: "invalid_order" }, 400, env);
    }
    const fingerprint = await fingerprintOf(raw);
    const accepted = { orderId: key, status: "accepted", amount: body.amount, currency: body.currency };
    // The primary key makes the claim atomic: of two concurrent deliveries, one inserts, one does nothing.
    const claim = await env.IDEMPOTENCY_DB.prepare(
      "INSERT INTO idempotency_keys (key, fingerprint, response, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO NOTHING",
    )
      .bind(key, fingerprint, JSON.stringify(accepted), Date.now())
      .run();
    if (claim.meta.changes === 0) {
      const stored = await env.IDEMPOTENCY_DB.prepare("SELECT fingerprint, response FROM idempotency_keys WHERE key = ?1")
        .bind(key)
        .first<{ fingerprint: string; response: string }>();
      if (!stored || stored.fingerprint !== fingerprint) {
        return json({ error: "idempotency_key_reused" }, 422, env);
      }
      return json({ ...JSON.parse(stored.response), replay: true }, 200, env);
    }
    console.log(JSON.stringify({ message: "order.accepted", orderId: key }));
    return json(accepted, 202, env);
  },

  // Idempotency keys are only needed while a client may still retry: forget them after a day.
  async scheduled(controller: ScheduledController, env: Env): Promise<void> {
    await env.IDEMPOTENCY_DB.prepare("DELETE FROM idempotency_keys WHERE created_at < ?1")
      .bind(controller.scheduledTime - RETENTION_MS)
      .run();
  },
};
