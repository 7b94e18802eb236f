// Session store on Workers KV: get/put with expirationTtl, list by prefix, delete.
const SESSION_TTL = 60 * 60 * 8;

function cookie(request, name) {
  const header = request.headers.get("Cookie") || "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);

    if (url.pathname === "/login" && request.method === "POST") {
      const { user } = await request.json();
      const sid = crypto.randomUUID();
      await env.SESSIONS.put(`session:${sid}`, JSON.stringify({ user, at: Date.now() }), {
        expirationTtl: SESSION_TTL,
        metadata: { user },
      });
      return new Response(null, {
        status: 204,
        headers: { "Set-Cookie": `sid=${sid}; HttpOnly; Secure; SameSite=Lax; Max-Age=${SESSION_TTL}` },
      });
    }

    const sid = cookie(request, "sid");
    const session = sid ? await env.SESSIONS.get(`session:${sid}`, { type: "json" }) : null;
    if (!session) return new Response("unauthorised", { status: 401 });

    if (url.pathname === "/logout") {
      ctx.waitUntil(env.SESSIONS.delete(`session:${sid}`));
      return new Response("bye", { headers: { "Set-Cookie": "sid=; Max-Age=0" } });
    }

    if (url.pathname === "/admin/sessions") {
      const { keys, list_complete, cursor } = await env.SESSIONS.list({ prefix: "session:", limit: 100, cursor: url.searchParams.get("cursor") ?? undefined });
      return Response.json({ sessions: keys.map((k) => ({ name: k.name, user: k.metadata?.user })), next: list_complete ? null : cursor });
    }

    return Response.json({ hello: session.user });
  },
};
