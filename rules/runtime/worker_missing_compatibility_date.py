from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_VITEST = (
    'import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config";\n'
    'export default defineWorkersConfig({\n  test: { poolOptions: { workers: { wrangler: { configPath: "./wrangler.jsonc" } } } },\n});\n'
)


class WorkerMissingCompatibilityDate(Rule):
    """
    ## What it does
    Reports a wrangler configuration without `compatibility_date` (unless a `package.json` script
    passes `--compatibility-date` on the command line, or the configuration has no `main` and only
    the Workers Vitest pool runs it: the pool picks the newest date, and nothing deploys it).

    ## Why is this bad?
    The compatibility date pins the behaviour of the Workers runtime the code was written and
    tested against. Without it Wrangler refuses to deploy; with a date chosen at deploy time the
    runtime's behaviour could change under code nobody changed.

    ## Why this tier
    Blocking: the Worker cannot be deployed reproducibly (and current Wrangler refuses outright).

    ## Example
    ```toml
    name = "orders"
    main = "src/index.ts"
    ```

    ## Use instead
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"
    ```

    ## References
    - [Compatibility dates](https://developers.cloudflare.com/workers/configuration/compatibility-dates/)
    """

    id = "SLS204"
    name = "worker-missing-compatibility-date"
    category = "runtime"
    tier = "blocking"
    platforms = ("cloudflare-workers",)
    title = "A wrangler configuration has no compatibility_date"
    fix = 'Add compatibility_date = "YYYY-MM-DD" with the date you tested the Worker against.'
    docs = ("https://developers.cloudflare.com/workers/configuration/compatibility-dates/",)

    bad = [
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
            },
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "orders has no compatibility_date: the runtime behaviour it was tested against is not pinned",
                )
            ],
        ),
        Example(  # tested in the Workers Vitest pool, but deployed too: it has a main
            {
                "wrangler.jsonc": '{\n  "name": "orders",\n  "main": "src/index.ts"\n}\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
                "vitest.config.ts": _VITEST,
            },
            expect=[
                Expect(
                    "wrangler.jsonc",
                    1,
                    1,
                    "orders has no compatibility_date: the runtime behaviour it was tested against is not pinned",
                )
            ],
            name="tested-and-deployed",
        ),
    ]
    good = [
        Example(
            {"wrangler.jsonc": '{\n  "name": "kv-tests",\n  "kv_namespaces": [{ "binding": "CACHE", "id": "test" }]\n}\n', "vitest.config.ts": _VITEST},
            name="vitest-pool-only",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
            }
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\n',
                "package.json": '{"scripts": {"deploy": "wrangler deploy --compatibility-date 2025-06-01"}}\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
            },
            name="date-on-the-command-line",
        ),
    ]

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None or worker.compatibility_date is not None:
            return
        if {"compatibility_date", "vitest"} & worker.supplied_elsewhere.keys():
            return  # given on the command line, or a test-only config (the pool uses the newest date)
        yield Report(
            worker.loc,
            f"{worker.display_name} has no compatibility_date: the runtime behaviour it was tested against is not pinned",
        )
