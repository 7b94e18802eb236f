// Page-view beacon into Analytics Engine, plus a scheduled roll-up via the SQL API.
export default {
  async fetch(request, env, ctx) {
    if (request.method !== "POST") return new Response(null, { status: 405 });
    const { path, referrer, durationMs } = await request.json();
    const cf = request.cf ?? {};

    env.PAGEVIEWS.writeDataPoint({
      blobs: [path, referrer ?? "", cf.country ?? "XX", request.headers.get("user-agent") ?? ""],
      doubles: [1, Number(durationMs) || 0],
      indexes: [new URL(request.url).hostname],
    });
    return new Response(null, { status: 204 });
  },

  async scheduled(controller, env, ctx) {
    const query = `SELECT blob1 AS path, SUM(_sample_interval) AS views FROM pageviews
      WHERE timestamp > NOW() - INTERVAL '1' DAY GROUP BY path ORDER BY views DESC LIMIT 20`;
    const res = await fetch(`https://api.cloudflare.com/client/v4/accounts/${env.ACCOUNT_ID}/analytics_engine/sql`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.ANALYTICS_TOKEN}` },
      body: query,
    });
    const top = await res.json();
    ctx.waitUntil(env.REPORTS.put(`top-pages:${new Date(controller.scheduledTime).toISOString().slice(0, 10)}`, JSON.stringify(top.data)));
  },
};
