"""Cloudflare Python Worker (class syntax): a tiny link shortener backed by KV."""
import json
from urllib.parse import urlparse

from workers import Response, WorkerEntrypoint


def is_valid(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        path = urlparse(request.url).path.strip("/")
        if request.method == "POST" and path == "links":
            data = await request.json()
            target, slug = data.get("url", ""), data.get("slug", "")
            if not is_valid(target) or not slug.isalnum():
                return Response(json.dumps({"error": "bad link"}), status=400)
            await self.env.LINKS.put(slug, target, expirationTtl=60 * 60 * 24 * 30)
            return Response(json.dumps({"slug": slug}), status=201, headers={"content-type": "application/json"})

        if path:
            target = await self.env.LINKS.get(path)
            if target:
                return Response("", status=302, headers={"location": target})
        return Response("not found", status=404)
