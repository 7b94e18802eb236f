import { createHash } from "node:crypto";

interface Env {
  CDN_HOST: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const path = url.searchParams.get("path");
    if (!path) {
      return new Response("path required", { status: 400 });
    }
    const origin = await fetch(`https://${env.CDN_HOST}${path}`, { signal: AbortSignal.timeout(5000) });
    const body = await origin.arrayBuffer();
    const etag = createHash("sha256").update(new Uint8Array(body)).digest("hex");
    return new Response(body, { status: origin.status, headers: { etag: `"${etag}"`, "cache-control": "max-age=300" } });
  },
};
