// Webhook relay: fetch accepts deliveries onto a queue, queue forwards them, scheduled
// reports the backlog. Handlers are top-level functions exported by shorthand.
const FORWARD_TIMEOUT_MS = 4000;

async function fetch(request, env, ctx) {
  if (request.method !== "POST") return new Response("POST only", { status: 405 });
  const deliveryId = request.headers.get("x-delivery-id") ?? crypto.randomUUID();
  const body = await request.text();
  await env.DELIVERIES.send({ deliveryId, body, receivedAt: Date.now() });
  ctx.waitUntil(env.STATS.put("last-received", String(Date.now())));
  return new Response(JSON.stringify({ deliveryId }), { status: 202, headers: { "content-type": "application/json" } });
}

async function queue(batch, env) {
  const targets = env.TARGET_URLS.split(/\s+/).filter(Boolean);
  for (const message of batch.messages) {
    const { deliveryId, body } = message.body;
    const results = await Promise.allSettled(
      targets.map((target) =>
        globalThis.fetch(target, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "x-delivery-id": deliveryId },
          signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
        }),
      ),
    );
    const failed = results.some((r) => r.status === "rejected" || !r.value.ok);
    if (failed) {
      message.retry({ delaySeconds: Math.min(600, 2 ** message.attempts) });
    } else {
      message.ack();
    }
  }
}

async function scheduled(controller, env) {
  const last = Number(await env.STATS.get("last-received"));
  if (Date.now() - last > 6 * 60 * 60 * 1000) {
    console.warn(`no deliveries since ${new Date(last).toISOString()} (cron ${controller.cron})`);
  }
}

export default { fetch, scheduled, queue };
