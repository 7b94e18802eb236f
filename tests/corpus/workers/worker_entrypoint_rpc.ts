// A Worker exposing RPC methods to other Workers (WorkerEntrypoint) alongside fetch.
import { WorkerEntrypoint } from "cloudflare:workers";

interface Env {
  USERS: D1Database;
  AUDIT: Queue<{ action: string; userId: string; at: number }>;
}

export interface PublicUser {
  id: string;
  email: string;
  plan: "free" | "pro";
}

export class UsersService extends WorkerEntrypoint<Env> {
  async lookup(id: string): Promise<PublicUser | null> {
    return this.env.USERS.prepare("SELECT id, email, plan FROM users WHERE id = ?").bind(id).first<PublicUser>();
  }

  async upgrade(id: string): Promise<boolean> {
    const { meta } = await this.env.USERS.prepare("UPDATE users SET plan = 'pro' WHERE id = ? AND plan = 'free'")
      .bind(id)
      .run();
    if (meta.changes > 0) {
      this.ctx.waitUntil(this.env.AUDIT.send({ action: "upgrade", userId: id, at: Date.now() }));
    }
    return meta.changes > 0;
  }
}

export default class extends WorkerEntrypoint<Env> {
  async fetch(request: Request): Promise<Response> {
    const id = new URL(request.url).searchParams.get("id");
    if (!id) return new Response("id required", { status: 400 });
    const user = await this.env.USERS.prepare("SELECT id, email, plan FROM users WHERE id = ?").bind(id).first();
    return user ? Response.json(user) : new Response("not found", { status: 404 });
  }
}
