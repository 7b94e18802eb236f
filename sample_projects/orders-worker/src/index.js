// POST /orders for the storefront: verify the webhook secret, then accept the order once.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/orders") {
      return Response.json({ error: "not_found" }, { status: 404 });
    }

    if (request.headers.get("x-webhook-secret") !== env.WEBHOOK_SECRET) {
      return Response.json({ error: "unauthorized" }, { status: 401 });
    }

    const idempotencyKey = request.headers.get("idempotency-key");
    if (!idempotencyKey) {
      return Response.json({ error: "idempotency_key_required" }, { status: 400 });
    }

    const existing = await env.IDEMPOTENCY_KV.get(idempotencyKey, "json");
    if (existing) {
      return Response.json({ ...existing, replay: true });
    }

    const body = await request.json();
    console.log("order from", body.email, "card", body.card);

    const accepted = { orderId: crypto.randomUUID(), status: "accepted", amount: body.amount };
    await env.IDEMPOTENCY_KV.put(idempotencyKey, JSON.stringify(accepted));
    return Response.json(accepted, {
      status: 202,
      headers: { "access-control-allow-origin": env.ALLOWED_ORIGIN },
    });
  },
};
