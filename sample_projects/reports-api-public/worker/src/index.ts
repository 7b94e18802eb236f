// Summarises a cached report with Workers AI for the storefront.
export interface Env {
  AI: Ai;
  REPORTS_CACHE: KVNamespace;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { day } = (await request.json()) as { day: string };
    const report = await env.REPORTS_CACHE.get(day);
    const summary = await env.AI.run("@cf/meta/llama-3.1-8b-instruct", { prompt: `Summarise: ${report}` });
    const response = Response.json(summary);
    response.headers.set("Access-Control-Allow-Origin", "*");
    return response;
  },
};
