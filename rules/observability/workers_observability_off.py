from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Worker, known
from slsreview.rule import Context, Example, Expect, Report, Rule

_CODE = "export default { fetch: () => new Response('ok') };\n"


def _toml(body: str) -> dict[str, str]:
    return {
        "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n' + body,
        "src/index.ts": _CODE,
    }


class WorkersObservabilityOff(Rule):
    """
    ## What it does
    Reports a Worker whose Workers Logs are off: `observability.enabled = false` (with no
    `observability.logs.enabled = true`), `observability.logs.enabled = false`, or no
    `observability` setting at all.

    An absent setting is reported because it is not a default that a newer `compatibility_date`
    turns on: observability is a per-Worker setting outside the compatibility system, and
    `wrangler deploy` sends `observability: {enabled: false}` when the configuration has none
    (which also switches off logs someone enabled in the dashboard). New projects made by
    `create-cloudflare` write `enabled = true`; older configurations and hand-written ones do not.

    A Worker whose logs go somewhere else is not reported: `logpush = true` (Logpush to your own
    destination) or `tail_consumers` (a Tail Worker receives every invocation's logs and
    exceptions). Neither is an assets-only or Pages configuration, which has no code of its own.

    `observability` is inherited by `[env.NAME]` views: one finding for the top level (naming the
    environments that inherit the gap), and one more only for an environment that sets its own.

    ## Why is this bad?
    With Workers Logs off, `console.log` output, uncaught exceptions and the invocation log of each
    request are not stored anywhere: `wrangler tail` shows them only while someone is watching. The
    first question after an incident ("what did the Worker see?") has no answer.

    ## Why this tier
    Non-blocking: the Worker runs; what is lost is the record of what it did.

    ## Example
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"
    ```

    ## Use instead
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"

    [observability]
    enabled = true
    head_sampling_rate = 1
    ```

    ## References
    - [Workers Logs](https://developers.cloudflare.com/workers/observability/logs/workers-logs/)
    - [Wrangler configuration: observability](https://developers.cloudflare.com/workers/wrangler/configuration/#observability)
    - [Tail Workers](https://developers.cloudflare.com/workers/observability/logs/tail-workers/)
    - [Workers Logpush](https://developers.cloudflare.com/workers/observability/logs/logpush/)
    """

    id = "SLS503"
    name = "workers-observability-off"
    category = "observability"
    tier = "non-blocking"
    platforms = ("cloudflare-workers",)
    title = "A Worker's logs are not kept: Workers Logs off, no Logpush, no Tail Worker"
    fix = "Add [observability] enabled = true (with head_sampling_rate to control volume), or send logs to a Tail Worker or Logpush."
    docs = (
        "https://developers.cloudflare.com/workers/observability/logs/workers-logs/",
        "https://developers.cloudflare.com/workers/wrangler/configuration/#observability",
    )

    bad = [
        Example(
            _toml(""),
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "orders has no observability setting: wrangler deploy turns Workers Logs off, so its console "
                    "output and uncaught exceptions are not kept",
                )
            ],
            name="absent",
        ),
        Example(
            _toml("\n[observability]\nenabled = false\n"),
            expect=[
                Expect(
                    "wrangler.toml",
                    6,
                    1,
                    "observability.enabled = false: orders keeps no Workers Logs, so its console output and uncaught "
                    "exceptions are not kept",
                )
            ],
            name="disabled",
        ),
        Example(
            {
                "wrangler.jsonc": "{\n"
                '  "name": "orders",\n'
                '  "main": "src/index.ts",\n'
                '  "compatibility_date": "2025-06-01",\n'
                '  "observability": { "enabled": true },\n'
                '  "env": {\n'
                '    "staging": {},\n'
                '    "production": { "observability": { "enabled": true, "logs": { "enabled": false } } }\n'
                "  }\n"
                "}\n",
                "src/index.ts": _CODE,
            },
            expect=[
                Expect(
                    "wrangler.jsonc",
                    8,
                    67,
                    "observability.logs.enabled = false: orders [env.production] keeps no Workers Logs, so its console "
                    "output and uncaught exceptions are not kept",
                )
            ],
            name="one-environment-turns-logs-off",
        ),
        Example(
            _toml('\n[env.production]\nname = "orders-prod"\n'),
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "orders has no observability setting (nor has its environment production): wrangler deploy turns "
                    "Workers Logs off, so its console output and uncaught exceptions are not kept",
                )
            ],
            name="absent-everywhere-is-one-finding",
        ),
    ]
    good = [
        Example(_toml("\n[observability]\nenabled = true\nhead_sampling_rate = 0.1\n"), name="enabled"),
        Example(_toml("\n[observability.logs]\nenabled = true\n"), name="logs-enabled"),
        Example(_toml('\n[[tail_consumers]]\nservice = "orders-tail"\n'), name="tail-worker"),
        Example(_toml("logpush = true\n"), name="logpush"),
        Example(
            {"wrangler.toml": 'name = "site"\ncompatibility_date = "2025-06-01"\n\n[assets]\ndirectory = "./public"\n'},
            name="assets-only",
        ),
    ]

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        settings = worker.settings
        if worker.main is None and "main" not in worker.supplied_elsewhere:
            return  # assets only, a Pages build, or no entry at all (SLS203): no code to log
        if settings.get("logpush") is True or settings.get("tail_consumers"):
            return
        setting = worker.setting("observability")
        if setting is None:
            if worker.env is not None:
                return  # the top level's finding names it
            others = [
                w.env
                for w in ctx.project.workers
                if w.config is worker.config and w.env is not None and w.setting("observability") is None
            ]
            also = ""
            if others:
                noun = "has its environment" if len(others) == 1 else "have its environments"
                also = f" (nor {noun} {', '.join(str(e) for e in others)})"
            yield Report(
                worker.loc,
                f"{worker.display_name} has no observability setting{also}: wrangler deploy turns Workers Logs off, "
                "so its console output and uncaught exceptions are not kept",
            )
            return
        if worker.env is not None and setting.origin == "global":
            return  # inherited from the top level, reported there
        off = _switched_off(setting.value)
        if off is not None:
            key, where = off
            yield Report(
                where,
                f"{key} = false: {worker.display_name} keeps no Workers Logs, so its console output and uncaught "
                "exceptions are not kept",
            )


def _switched_off(value: Any) -> tuple[str, Any] | None:
    """("observability.enabled", where) when the setting keeps no logs, else None."""
    if not isinstance(value, MapNode) or not known(value):
        return None
    logs = value.get("logs")
    logs_enabled = logs.get("enabled") if isinstance(logs, MapNode) else None
    if logs_enabled is False:
        return "observability.logs.enabled", logs.key_loc("enabled")  # type: ignore[union-attr]
    if logs_enabled is True:
        return None
    if value.get("enabled") is True:
        return None
    if "enabled" in value:
        return "observability.enabled", value.key_loc("enabled")
    return "observability.enabled", value.loc()
