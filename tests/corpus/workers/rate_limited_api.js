// Rate limiting with the Workers rate limiting binding, keyed by API key or client IP.
export default {
  async fetch(request, env) {
    const apiKey = request.headers.get("x-api-key");
    const key = apiKey ? `key:${apiKey}` : `ip:${request.headers.get("cf-connecting-ip")}`;

    const { success } = await env.LIMITER.limit({ key });
    if (!success) {
      return new Response(JSON.stringify({ error: "slow down" }), {
        status: 429,
        headers: { "content-type": "application/json", "retry-after": "60" },
      });
    }

    if (apiKey) {
      const strict = await env.STRICT_LIMITER.limit({ key: `${key}:${new URL(request.url).pathname}` });
      if (!strict.success) return new Response("endpoint quota exceeded", { status: 429 });
    }

    const origin = new URL(request.url);
    origin.hostname = env.ORIGIN_HOST;
    return fetch(new Request(origin, request), { cf: { cacheTtl: 30 } });
  },
};
