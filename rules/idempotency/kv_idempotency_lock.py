from __future__ import annotations

import re
from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts, Value
from slsreview.model.project import Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_WRANGLER = (
    'name = "webhooks"\nmain = "src/index.{ext}"\ncompatibility_date = "2025-06-01"\n\n'
    '[[kv_namespaces]]\nbinding = "IDEMPOTENCY"\nid = "0f2ac74b498b48028cb68387c421e279"\n'
)


def _wrangler(ext: str) -> str:
    return _WRANGLER.replace("{ext}", ext)


class KvIdempotencyLock(Rule):
    """
    ## What it does
    Finds Workers that use Workers KV as an idempotency guard: they `get` a key derived from the
    request or message (an `Idempotency-Key` header, a message id, a business id from the body),
    act when it is absent, and `put` the same key on the same namespace afterwards. A `get` of
    one key and a `put` of another (a cache of a different thing) is not reported.

    ## Why is this bad?
    KV is eventually consistent and last-write-wins: a write is visible at once in the location
    that made it, but other locations may read the old value (or nothing) for 60 seconds or more,
    and two writers of one key do not conflict — the later one silently wins. Two deliveries of
    the same webhook or message that arrive together, or at two locations, both read "absent" and
    both do the work. A check-then-set in KV narrows the window; it does not close it.

    ## Why this tier
    Human confirmation: whether the window matters depends on the side effect and on how often
    duplicates arrive at once — a person decides. For charges, orders or anything that must happen
    exactly once, use a store with an atomic claim: a D1 `INSERT ... ON CONFLICT DO NOTHING` on a
    unique key, or a Durable Object named by the key.

    ## Example
    ```js
    const key = request.headers.get("Idempotency-Key");
    if (await env.IDEMPOTENCY.get(key)) return new Response("duplicate");
    await chargeCustomer(await request.json());
    await env.IDEMPOTENCY.put(key, "done", { expirationTtl: 86400 });
    ```

    ## Use instead
    ```js
    const claimed = await env.DB.prepare(
      "INSERT INTO idempotency (key, created_at) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
    ).bind(key, Date.now()).run();
    if (claimed.meta.changes === 0) return new Response("duplicate");
    await chargeCustomer(await request.json());
    ```

    ## References
    - [How KV works: eventual consistency](https://developers.cloudflare.com/kv/concepts/how-kv-works/)
    - [KV: write key-value pairs (concurrent writes, last write wins)](https://developers.cloudflare.com/kv/api/write-key-value-pairs/)
    - [Durable Objects: strongly consistent coordination](https://developers.cloudflare.com/durable-objects/)
    - [D1: UPSERT / ON CONFLICT](https://developers.cloudflare.com/d1/sql-api/sql-statements/)
    """

    id = "SLS104"
    name = "kv-idempotency-lock"
    category = "idempotency"
    tier = "human-confirmation"
    platforms = ("cloudflare-workers",)
    title = "Workers KV get-then-put used as an idempotency guard"
    fix = (
        "Claim the key atomically instead: a D1 INSERT ... ON CONFLICT DO NOTHING on a unique key, or a "
        "Durable Object named by the key; keep KV for caching the stored response if you like."
    )
    docs = (
        "https://developers.cloudflare.com/kv/concepts/how-kv-works/",
        "https://developers.cloudflare.com/kv/api/write-key-value-pairs/",
    )

    bad = [
        Example(
            {
                "wrangler.toml": _wrangler("js"),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    const key = request.headers.get("Idempotency-Key");\n'
                    "    if (!key) return new Response(\"Idempotency-Key required\", { status: 400 });\n"
                    "    if (await env.IDEMPOTENCY.get(key)) return new Response(\"duplicate\");\n"
                    "    const order = await request.json();\n"
                    '    await fetch("https://payments.example.com/charges", { method: "POST", body: JSON.stringify(order) });\n'
                    '    await env.IDEMPOTENCY.put(key, "done", { expirationTtl: 86400 });\n'
                    '    return new Response("ok", { status: 201 });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.js",
                    5,
                    15,
                    "webhooks checks the Idempotency-Key header in Workers KV (IDEMPOTENCY.get) and marks it done "
                    "with IDEMPOTENCY.put on line 8: KV is eventually consistent and last-write-wins, so two "
                    "deliveries that arrive together can both pass the check",
                )
            ],
            name="js-webhook-kv-check-then-set",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts") + '\n[[queues.consumers]]\nqueue = "orders"\n',
                "src/index.ts": (
                    "interface Env { IDEMPOTENCY: KVNamespace }\n"
                    "\n"
                    "export default {\n"
                    "  async queue(batch: MessageBatch<{ orderId: string }>, env: Env): Promise<void> {\n"
                    "    for (const message of batch.messages) {\n"
                    "      const seen = await env.IDEMPOTENCY.get(`order:${message.body.orderId}`);\n"
                    "      if (seen === null) {\n"
                    "        await ship(message.body.orderId);\n"
                    '        await env.IDEMPOTENCY.put(`order:${message.body.orderId}`, "shipped", { expirationTtl: 604800 });\n'
                    "      }\n"
                    "      message.ack();\n"
                    "    }\n"
                    "  },\n"
                    "};\n"
                    "\n"
                    "async function ship(orderId: string): Promise<void> {}\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    6,
                    26,
                    "webhooks checks the body's orderId in Workers KV (IDEMPOTENCY.get) and marks it done with "
                    "IDEMPOTENCY.put on line 9: KV is eventually consistent and last-write-wins, so two deliveries "
                    "that arrive together can both pass the check",
                )
            ],
            name="ts-queue-consumer-kv-check-then-set",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("py").replace('main = "src/index.py"', 'main = "src/entry.py"')
                + 'compatibility_flags = ["python_workers"]\n',
                "src/entry.py": (
                    "from workers import Response, WorkerEntrypoint\n"
                    "\n"
                    "\n"
                    "class Default(WorkerEntrypoint):\n"
                    "    async def fetch(self, request):\n"
                    '        key = request.headers.get("Idempotency-Key")\n'
                    "        if await self.env.IDEMPOTENCY.get(key):\n"
                    '            return Response("duplicate")\n'
                    '        await self.env.IDEMPOTENCY.put(key, "done", expirationTtl=86400)\n'
                    '        return Response("ok", status=201)\n'
                ),
            },
            expect=[
                Expect(
                    "src/entry.py",
                    7,
                    18,
                    "webhooks checks the Idempotency-Key header in Workers KV (IDEMPOTENCY.get) and marks it done "
                    "with IDEMPOTENCY.put on line 9: KV is eventually consistent and last-write-wins, so two "
                    "deliveries that arrive together can both pass the check",
                )
            ],
            name="python-worker-kv-check-then-set",
        ),
    ]
    good = [
        Example(
            {
                "wrangler.toml": _wrangler("js"),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    "    const url = new URL(request.url);\n"
                    "    const cached = await env.IDEMPOTENCY.get(`page:${url.pathname}`);\n"
                    "    if (cached) return new Response(cached);\n"
                    '    const page = await fetch("https://origin.example.com" + url.pathname);\n'
                    "    const text = await page.text();\n"
                    "    await env.IDEMPOTENCY.put(`rendered:${url.pathname}:${Date.now()}`, text);\n"
                    "    return new Response(text);\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="js-get-and-put-of-different-keys",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { IDEMPOTENCY: KVNamespace }\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    "    const image = await env.IDEMPOTENCY.get(request.url, { type: \"arrayBuffer\" });\n"
                    "    if (image !== null) return new Response(image);\n"
                    "    const rendered = await (await fetch(`https://render.example.com/?url=${encodeURIComponent(request.url)}`)).arrayBuffer();\n"
                    "    await env.IDEMPOTENCY.put(request.url, rendered, { expirationTtl: 3600 });\n"
                    "    return new Response(rendered);\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="ts-cache-keyed-by-the-request-url",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts") + '\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "hooks"\ndatabase_id = "4a6d9f0e"\n',
                "src/index.ts": (
                    "interface Env { IDEMPOTENCY: KVNamespace; DB: D1Database }\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    const key = request.headers.get("Idempotency-Key") ?? "";\n'
                    "    const claimed = await env.DB.prepare(\n"
                    '      "INSERT INTO idempotency (key, created_at) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",\n'
                    "    ).bind(key, Date.now()).run();\n"
                    "    if (claimed.meta.changes === 0) {\n"
                    "      return new Response((await env.IDEMPOTENCY.get(key)) ?? \"in progress\");\n"
                    "    }\n"
                    '    const response = JSON.stringify({ status: "accepted" });\n'
                    "    await env.IDEMPOTENCY.put(key, response, { expirationTtl: 86400 });\n"
                    "    return new Response(response, { status: 201 });\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="ts-d1-claim-with-kv-as-response-cache",
        ),
    ]

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None and any(w.config is worker.config and w.env is None for w in ctx.project.workers):
            return  # an [env.NAME] view runs the top level's code: reported once, there
        facts = ctx.facts(worker)
        if facts is None:
            return
        for check, mark in _check_then_set(facts):
            binding = check.attr("binding")
            yield Report(
                check,
                f"{worker.display_name} checks {_describe(check.args[0])} in Workers KV ({binding}.get) and marks "
                f"it done with {binding}.put on line {mark.loc.line}: KV is eventually consistent and "
                "last-write-wins, so two deliveries that arrive together can both pass the check",
            )


def _check_then_set(facts: Facts) -> Iterator[tuple[Call, Call]]:
    """Each KV get of a request- or message-derived key followed by a put of the same key on the
    same binding, unless an atomic claim (D1 INSERT ... ON CONFLICT, a Durable Object) runs first."""
    from slsreview.analysis.side_effects import guards

    claims = [g for g in guards(facts) if g.kind in ("claim", "powertools")]
    gets = [c for c in facts.calls("cf.kv.get") if c.args and _delivery_identity(c.args[0])]
    puts = [c for c in facts.calls("cf.kv.put") if c.args]
    for get in gets:
        if any(g.path == get.loc.path and (g.function != get.function or g.line < get.loc.line) for g in claims):
            continue
        for put in puts:
            if (
                put.attr("binding") == get.attr("binding")
                and put.loc.path == get.loc.path
                and put.function == get.function
                and put.loc.line > get.loc.line
                and _same_key(get.args[0], put.args[0])
            ):
                yield get, put
                break


def _delivery_identity(value: Value) -> bool:
    """A key naming one delivery or one business operation: the Idempotency-Key header, a
    message id, an id field of the body (``body.orderId``). A URL, a path or a query parameter
    names a resource to cache, not an operation to do once."""
    for source in value.sources:
        if source.kind == "event-id":
            return True
        parts = source.name.split(".")
        if source.kind == "event" and "body" in parts[:-1] and _ID_FIELD.search(parts[-1]):
            return True
    return False


_ID_FIELD = re.compile(r"^(?:id|key)$|(?:Id|ID|_id|Key|_key)$")


def _same_key(a: Value, b: Value) -> bool:
    return a.text == b.text or ({(s.kind, s.name) for s in a.sources} == {(s.kind, s.name) for s in b.sources} and bool(a.sources))


def _describe(key: Value) -> str:
    names = sorted({s.name for s in key.sources if s.kind in ("event", "event-id")})
    name = names[0] if names else key.text
    parts = name.split(".")
    if parts[0] == "headers" and len(parts) > 1:
        header = ".".join(parts[1:])
        return "the Idempotency-Key header" if header == "idempotency-key" else f"the {header} header"
    if parts[-1] in ("messageId", "id"):
        return "the message id"
    if "body" in parts[:-1]:
        return f"the body's {parts[-1]}"
    return name
