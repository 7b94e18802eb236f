// GET /search?q=...: search tickets in Postgres through Hyperdrive.
import postgres from "postgres";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    console.log("search request", Object.fromEntries(request.headers));
    if (request.headers.get("x-api-key") !== env.SEARCH_API_KEY) {
      console.warn("bad api key", request.headers.get("x-api-key"));
      return new Response("unauthorized", { status: 401 });
    }
    console.log("connecting to", env.TICKETS_DB.connectionString);
    const sql = postgres(env.TICKETS_DB.connectionString);
    const q = new URL(request.url).searchParams.get("q") ?? "";
    const rows = await sql`select id, subject, email from tickets where subject ilike ${"%" + q + "%"} limit 20`;
    return Response.json({ rows, debugToken: env.ADMIN_TOKEN });
  },
};
