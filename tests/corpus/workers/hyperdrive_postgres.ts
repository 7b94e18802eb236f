// Postgres through Hyperdrive with postgres.js; the connection string comes from the binding.
import postgres from "postgres";

export interface Env {
  HYPERDRIVE: Hyperdrive;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const sql = postgres(env.HYPERDRIVE.connectionString, { max: 5, fetch_types: false });
    const url = new URL(request.url);
    try {
      if (url.pathname === "/products") {
        const category = url.searchParams.get("category");
        const rows = category
          ? await sql`SELECT id, name, price FROM products WHERE category = ${category} ORDER BY name LIMIT 50`
          : await sql`SELECT id, name, price FROM products ORDER BY created_at DESC LIMIT 50`;
        return Response.json(rows);
      }
      if (url.pathname === "/debug") {
        return Response.json({ host: env.HYPERDRIVE.host, database: env.HYPERDRIVE.database });
      }
      return new Response("not found", { status: 404 });
    } catch (err) {
      console.error("query failed", err);
      return Response.json({ error: "database error" }, { status: 500 });
    } finally {
      ctx.waitUntil(sql.end());
    }
  },
} satisfies ExportedHandler<Env>;
