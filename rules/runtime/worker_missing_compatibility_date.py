from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


class WorkerMissingCompatibilityDate(Rule):
    """
    ## What it does
    Reports a wrangler configuration without `compatibility_date` (unless a `package.json` script
    passes `--compatibility-date` on the command line).

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
        )
    ]
    good = [
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
        if "compatibility_date" in worker.supplied_elsewhere:
            return
        yield Report(
            worker.loc,
            f"{worker.display_name} has no compatibility_date: the runtime behaviour it was tested against is not pinned",
        )
