// A Durable Object counter per page, addressed by name, with RPC methods and alarms.
import { DurableObject } from "cloudflare:workers";

export interface Env {
  COUNTERS: DurableObjectNamespace<PageCounter>;
}

export class PageCounter extends DurableObject<Env> {
  private value = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.value = (await ctx.storage.get<number>("value")) ?? 0;
    });
  }

  async increment(by = 1): Promise<number> {
    this.value += by;
    await this.ctx.storage.put("value", this.value);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(Date.now() + 24 * 60 * 60 * 1000);
    }
    return this.value;
  }

  async current(): Promise<number> {
    return this.value;
  }

  async alarm(): Promise<void> {
    this.value = 0;
    await this.ctx.storage.deleteAll();
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const page = url.searchParams.get("page");
    if (!page) return new Response("?page= is required", { status: 400 });

    const id = env.COUNTERS.idFromName(page);
    const stub = env.COUNTERS.get(id);
    const count = request.method === "POST" ? await stub.increment() : await stub.current();
    return Response.json({ page, count, id: id.toString() });
  },
} satisfies ExportedHandler<Env>;
