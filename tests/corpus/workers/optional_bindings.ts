// Optional bindings and plain vars: env.CACHE?.get, if (env.ANALYTICS), env.ALLOWED_ORIGINS.split.
interface Env {
  CACHE?: KVNamespace;
  ANALYTICS?: AnalyticsEngineDataset;
  ALLOWED_ORIGINS: string;
  UPSTREAM: string;
  CACHE_TTL?: string;
}

function corsHeaders(origin: string | null, allowed: string[]): HeadersInit {
  return origin && allowed.includes(origin) ? { "access-control-allow-origin": origin, vary: "origin" } : {};
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const k = `resp:${url.pathname}${url.search}`;
    const allowed = env.ALLOWED_ORIGINS.split(",").map((o) => o.trim());
    const cors = corsHeaders(request.headers.get("origin"), allowed);

    const cached = await env.CACHE?.get(k);
    if (cached) {
      return new Response(cached, { headers: { ...cors, "x-cache": "hit", "content-type": "application/json" } });
    }

    const upstream = await fetch(new URL(url.pathname + url.search, env.UPSTREAM.trim()), {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(5000),
    });
    const body = await upstream.text();

    if (upstream.ok && env.CACHE) {
      const ttl = Math.max(60, Number(env.CACHE_TTL ?? "300"));
      ctx.waitUntil(env.CACHE.put(k, body, { expirationTtl: ttl }));
    }
    if (env.ANALYTICS) {
      env.ANALYTICS.writeDataPoint({ blobs: [url.pathname, String(upstream.status)], doubles: [1] });
    }
    return new Response(body, { status: upstream.status, headers: { ...cors, "x-cache": "miss", "content-type": "application/json" } });
  },
} satisfies ExportedHandler<Env>;
