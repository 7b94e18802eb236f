// Queues: the fetch handler produces jobs (send/sendBatch), the queue handler consumes them.
interface Env {
  JOBS: Queue<ImageJob>;
  DEAD_LETTERS: Queue<ImageJob>;
  IMAGES: R2Bucket;
}

interface ImageJob {
  key: string;
  width: number;
  format: "webp" | "avif";
}

const WIDTHS = [320, 640, 1280] as const;

export default {
  async fetch(request, env): Promise<Response> {
    if (request.method !== "POST") return new Response("POST an image key", { status: 405 });
    const { key, format = "webp" } = await request.json<{ key: string; format?: ImageJob["format"] }>();
    if (WIDTHS.length === 1) {
      await env.JOBS.send({ key, width: WIDTHS[0], format });
    } else {
      await env.JOBS.sendBatch(WIDTHS.map((width) => ({ body: { key, width, format }, contentType: "json" as const })));
    }
    return Response.json({ queued: WIDTHS.length }, { status: 202 });
  },

  async queue(batch, env): Promise<void> {
    for (const message of batch.messages) {
      const job = message.body;
      try {
        const original = await env.IMAGES.get(job.key);
        if (!original) {
          message.ack(); // nothing to do: the source is gone
          continue;
        }
        const resized = await fetch(`https://images.example.com/resize?w=${job.width}&f=${job.format}`, {
          method: "POST",
          body: original.body,
        });
        if (!resized.ok) throw new Error(`resize failed: ${resized.status}`);
        await env.IMAGES.put(`${job.key}@${job.width}.${job.format}`, resized.body);
        message.ack();
      } catch (err) {
        if (message.attempts >= 5) {
          await env.DEAD_LETTERS.send(job);
          message.ack();
        } else {
          message.retry({ delaySeconds: 30 * message.attempts });
        }
      }
    }
  },
} satisfies ExportedHandler<Env, ImageJob>;
