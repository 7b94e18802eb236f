// API gateway Worker: authenticates through a service binding, compares an admin token in
// constant time, and forwards to a backend service binding.
const encoder = new TextEncoder();

async function safeEqual(a, b) {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);

    if (url.pathname.startsWith("/admin/")) {
      const token = request.headers.get("x-admin-token") ?? "";
      if (!(await safeEqual(token, env.ADMIN_TOKEN))) {
        return new Response("forbidden", { status: 403 });
      }
    } else {
      const auth = await env.AUTH.fetch("https://auth/verify", {
        method: "POST",
        headers: { authorization: request.headers.get("authorization") ?? "" },
      });
      if (auth.status !== 200) {
        return new Response("unauthorised", { status: 401 });
      }
      const { userId } = await auth.json();
      request = new Request(request, { headers: new Headers([...request.headers, ["x-user-id", userId]]) });
    }

    const upstream = await env.BACKEND.fetch(request);
    const response = new Response(upstream.body, upstream);
    response.headers.set("x-served-by", "gateway");
    return response;
  },
};
