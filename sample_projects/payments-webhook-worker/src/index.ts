// Payment provider webhooks: acknowledge each delivery quickly, then record the payment from a queue.
interface Env {
  WEBHOOK_SECRET: string;
  DELIVERIES: KVNamespace;
  LEDGER: D1Database;
  PAYMENT_EVENTS: Queue<PaymentEvent>;
}

interface PaymentEvent {
  account: string;
  amount: number;
  currency: string;
}

// Deliveries this isolate has acknowledged, to answer the provider's retries without KV.
const acknowledged = new Map<string, string>();

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== "POST") {
      return new Response("method not allowed", { status: 405 });
    }
    if (request.headers.get("authorization") !== `Bearer ${env.WEBHOOK_SECRET}`) {
      return new Response("unauthorized", { status: 401 });
    }
    const deliveryId = request.headers.get("webhook-id");
    if (!deliveryId) {
      return new Response("webhook-id required", { status: 400 });
    }
    const known = acknowledged.get(deliveryId);
    if (known) {
      return new Response(known, { status: 200 });
    }
    if (await env.DELIVERIES.get(deliveryId)) {
      return new Response("already received", { status: 200 });
    }
    const payment = await request.json<PaymentEvent>();
    await env.PAYMENT_EVENTS.send(payment);
    await env.DELIVERIES.put(deliveryId, "received");
    acknowledged.set(deliveryId, "received");
    return new Response("accepted", { status: 202 });
  },

  async queue(batch: MessageBatch<PaymentEvent>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      const payment = message.body;
      await env.LEDGER.prepare(
        "INSERT INTO entries (id, account, amount, currency, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
      )
        .bind(crypto.randomUUID(), payment.account, payment.amount, payment.currency, Date.now())
        .run();
      await env.LEDGER.prepare("UPDATE balances SET total = total + ?1 WHERE account = ?2")
        .bind(payment.amount, payment.account)
        .run();
      message.ack();
    }
  },
};
