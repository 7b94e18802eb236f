// Guestbook on D1: prepared statements with bind().run/first/all and a batch.
export interface Env {
  DB: D1Database;
  PAGE_SIZE: string;
}

interface Entry {
  id: number;
  author: string;
  message: string;
  created_at: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);

    if (request.method === "POST" && url.pathname === "/entries") {
      const form = await request.formData();
      const author = String(form.get("author") ?? "").slice(0, 40);
      const message = String(form.get("message") ?? "").slice(0, 500);
      if (!author || !message) return new Response("author and message required", { status: 400 });
      const result = await env.DB.prepare("INSERT INTO entries (author, message) VALUES (?1, ?2)")
        .bind(author, message)
        .run();
      return Response.json({ id: result.meta.last_row_id }, { status: 201 });
    }

    const match = url.pathname.match(/^\/entries\/(\d+)$/);
    if (match) {
      const entry = await env.DB.prepare("SELECT * FROM entries WHERE id = ?").bind(Number(match[1])).first<Entry>();
      return entry ? Response.json(entry) : new Response("not found", { status: 404 });
    }

    if (request.method === "DELETE" && url.pathname === "/entries") {
      const author = url.searchParams.get("author");
      const [deleted, remaining] = await env.DB.batch([
        env.DB.prepare("DELETE FROM entries WHERE author = ?").bind(author),
        env.DB.prepare("SELECT count(*) AS n FROM entries"),
      ]);
      return Response.json({ deleted: deleted.meta.changes, remaining: remaining.results[0] });
    }

    const limit = Number.parseInt(env.PAGE_SIZE, 10) || 20;
    const { results } = await env.DB.prepare("SELECT * FROM entries ORDER BY created_at DESC LIMIT ?")
      .bind(limit)
      .all<Entry>();
    return Response.json(results);
  },
} satisfies ExportedHandler<Env>;
