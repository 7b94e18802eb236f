// R2 media bucket: simple put/get/delete/list plus multipart uploads for large files.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = decodeURIComponent(url.pathname.slice(1));
    const action = url.searchParams.get("action");

    if (request.method === "GET" && !key) {
      const listing = await env.MEDIA.list({ prefix: url.searchParams.get("prefix") ?? "", limit: 500, include: ["customMetadata"] });
      return Response.json({ objects: listing.objects.map((o) => ({ key: o.key, size: o.size })), truncated: listing.truncated });
    }

    switch (request.method) {
      case "POST":
        if (action === "mpu-create") {
          const upload = await env.MEDIA.createMultipartUpload(key, { httpMetadata: request.headers });
          return Response.json({ key: upload.key, uploadId: upload.uploadId });
        }
        if (action === "mpu-complete") {
          const upload = env.MEDIA.resumeMultipartUpload(key, url.searchParams.get("uploadId"));
          const { parts } = await request.json();
          const object = await upload.complete(parts);
          return new Response(null, { headers: { etag: object.httpEtag } });
        }
        return new Response("unknown action", { status: 400 });
      case "PUT": {
        if (action === "mpu-part") {
          const upload = env.MEDIA.resumeMultipartUpload(key, url.searchParams.get("uploadId"));
          const part = await upload.uploadPart(Number(url.searchParams.get("partNumber")), request.body);
          return Response.json(part);
        }
        const object = await env.MEDIA.put(key, request.body, {
          httpMetadata: { contentType: request.headers.get("content-type") ?? "application/octet-stream" },
          customMetadata: { uploadedBy: request.headers.get("cf-connecting-ip") ?? "unknown" },
        });
        return new Response(null, { status: 201, headers: { etag: object.httpEtag } });
      }
      case "GET": {
        const object = await env.MEDIA.get(key, { range: request.headers, onlyIf: request.headers });
        if (object === null) return new Response("not found", { status: 404 });
        const headers = new Headers();
        object.writeHttpMetadata(headers);
        headers.set("etag", object.httpEtag);
        return new Response("body" in object ? object.body : null, { status: "body" in object ? 200 : 304, headers });
      }
      case "DELETE":
        await env.MEDIA.delete(key);
        return new Response(null, { status: 204 });
      default:
        return new Response("method not allowed", { status: 405, headers: { allow: "GET, PUT, POST, DELETE" } });
    }
  },
};
