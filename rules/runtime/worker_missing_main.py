from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


class WorkerMissingMain(Rule):
    """
    ## What it does
    Reports a wrangler configuration with no `main` (the Worker's entry module) when nothing else
    supplies the entry: not static assets alone, not a Pages project (a build output, or a
    `wrangler pages dev` script), not an entry passed on the command line by a `package.json`
    script (`wrangler deploy src/index.ts`), not the Cloudflare Vite plugin; nor a configuration
    only the Workers Vitest pool runs (its `configPath`), which is never deployed.

    ## Why is this bad?
    `wrangler deploy` stops with "Missing entry-point": the Worker cannot be deployed from this
    configuration, and a reviewer cannot tell which code will run.

    ## Why this tier
    Blocking: the Worker cannot be deployed as configured.

    ## Example
    ```toml
    name = "orders"
    compatibility_date = "2025-06-01"
    ```

    ## Use instead
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"
    ```

    ## References
    - [Wrangler configuration: main](https://developers.cloudflare.com/workers/wrangler/configuration/#inheritable-keys)
    - [Static assets without a Worker script](https://developers.cloudflare.com/workers/static-assets/)
    """

    id = "SLS203"
    name = "worker-missing-main"
    category = "runtime"
    tier = "blocking"
    platforms = ("cloudflare-workers",)
    title = "A wrangler configuration has no main entry and nothing supplies one"
    fix = 'Add main = "src/index.ts" (the module whose default export handles requests).'
    docs = ("https://developers.cloudflare.com/workers/wrangler/configuration/",)

    bad = [
        Example(
            {"wrangler.toml": 'name = "orders"\ncompatibility_date = "2025-06-01"\n'},
            expect=[Expect("wrangler.toml", 1, 1, "orders has no main: wrangler does not know which module to deploy")],
        ),
        Example(
            {"wrangler.jsonc": '{\n  // the orders API\n  "name": "orders",\n  "compatibility_date": "2025-06-01"\n}\n'},
            expect=[Expect("wrangler.jsonc", 1, 1, "orders has no main: wrangler does not know which module to deploy")],
            name="jsonc",
        ),
    ]
    good = [
        Example({"wrangler.toml": 'name = "site"\ncompatibility_date = "2025-06-01"\n[assets]\ndirectory = "./public"\n'}, name="assets-only"),
        Example({"wrangler.toml": 'name = "site"\npages_build_output_dir = "./dist"\ncompatibility_date = "2025-06-01"\n'}, name="pages"),
        Example(
            {
                "wrangler.toml": 'name = "orders"\ncompatibility_date = "2025-06-01"\n',
                "package.json": '{\n  "scripts": {\n    "deploy": "wrangler deploy src/index.ts"\n  }\n}\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
            },
            name="entry-on-the-command-line",
        ),
        Example(
            {
                "wrangler.jsonc": '{ "name": "app", "compatibility_date": "2025-06-01" }\n',
                "vite.config.ts": 'import { cloudflare } from "@cloudflare/vite-plugin";\nexport default { plugins: [cloudflare()] };\n',
            },
            name="vite-plugin",
        ),
        Example(
            {
                "wrangler.jsonc": '{\n  "name": "shop",\n  "compatibility_date": "2025-06-01",\n  "compatibility_flags": ["nodejs_compat"]\n}\n',
                "package.json": '{\n  "scripts": {\n    "dev": "wrangler pages dev ./public --port 8788"\n  }\n}\n',
                "functions/api/orders.ts": "export const onRequestGet = () => new Response('[]');\n",
            },
            name="pages-functions",
        ),
        Example(
            {
                "wrangler.jsonc": '{\n  "name": "kv-tests",\n  "kv_namespaces": [{ "binding": "CACHE", "id": "test" }]\n}\n',
                "vitest.config.ts": (
                    'import { defineWorkersConfig } from "@cloudflare/vitest-pool-workers/config";\n'
                    'export default defineWorkersConfig({\n  test: { poolOptions: { workers: { wrangler: { configPath: "./wrangler.jsonc" } } } },\n});\n'
                ),
            },
            name="vitest-pool-only",
        ),
    ]

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None or worker.main is not None:
            return  # environments inherit main; the top level is checked once
        settings = worker.settings
        if "assets" in settings or "site" in settings or "pages_build_output_dir" in settings:
            return
        if {"main", "pages", "vitest"} & worker.supplied_elsewhere.keys():
            return
        yield Report(
            worker.loc,
            f"{worker.display_name} has no main: wrangler does not know which module to deploy",
        )
