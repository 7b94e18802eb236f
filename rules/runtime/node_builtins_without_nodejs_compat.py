from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Import
from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Worker
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.nodejs import (
    NODEJS_COMPAT_DEFAULT_ON_DATE,
    builtin,
    importable,
    node_compat,
)


def _worker(config: str, code: str, **more: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\n' + config, "src/index.ts": code, **more}


_FETCH = "export default { async fetch(request: Request): Promise<Response> { return new Response(sign('x')); } };\n"


class NodeBuiltinsWithoutNodejsCompat(Rule):
    """
    ## What it does
    Reports a Worker whose code imports a Node.js built-in module (`node:crypto`, `node:buffer`,
    or a bare `crypto`, `buffer`, `events`, `stream`, `util`, `fs/promises`... : any name in Node's
    own list of built-ins) that its compatibility settings do not provide. What they provide is
    resolved as workerd and Wrangler resolve it, for each `[env.NAME]` view (which inherits
    `compatibility_date` and `compatibility_flags` unless it sets its own):

    - `nodejs_compat` (with a `compatibility_date` on or after 2024-09-23, or with
      `nodejs_compat_v2`): every built-in, with or without `node:`;
    - `nodejs_compat` with an earlier date: only `node:`-prefixed imports resolve;
    - `nodejs_als` alone: only `node:async_hooks`;
    - a `compatibility_date` on or after 2026-08-04: Node.js compatibility is on by default,
      unless `no_nodejs_compat` turns it off;
    - none of these: no built-in resolves.

    `import type ...` (and imports of types only) is erased before deploy and does not count. A
    bare name that the nearest `package.json` depends on (the npm `buffer` or `events` polyfill),
    or that the configuration's `[alias]` maps elsewhere, is that package, not the built-in; a
    Worker built by its own `[build] command` may polyfill bare names, so there only `node:`
    imports are reported. Only code we read counts: the entry module and the local modules it
    imports (bundled dependencies are not seen). One finding per Worker view, on the first such
    import, naming them all.

    ## Why is this bad?
    Without Node.js compatibility, Wrangler's bundler cannot resolve a bare `crypto` ("The package
    'crypto' wasn't found on the file system but is built into node") and marks `node:` imports
    external, which the Workers runtime then refuses to load ("No such module 'node:crypto'"): the
    deploy fails, or the Worker throws on its first request.

    ## Why this tier
    Blocking: the Worker does not deploy or does not start as configured.

    ## Example
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"
    ```
    ```typescript
    import { createHmac } from "node:crypto";
    ```

    ## Use instead
    ```toml
    name = "orders"
    main = "src/index.ts"
    compatibility_date = "2025-06-01"
    compatibility_flags = ["nodejs_compat"]
    ```
    (or `crypto.subtle` from the Web Crypto API, which needs no flag).

    ## References
    - [Node.js compatibility](https://developers.cloudflare.com/workers/runtime-apis/nodejs/)
    - [Compatibility flags: nodejs_compat, nodejs_compat_v2](https://developers.cloudflare.com/workers/configuration/compatibility-flags/)
    - [Node.js compatibility is enabled by default (compatibility date 2026-08-04)](https://developers.cloudflare.com/changelog/post/2026-08-04-nodejs-compat-default/)
    - [Wrangler configuration: alias](https://developers.cloudflare.com/workers/wrangler/configuration/#bundling)
    """

    id = "SLS205"
    name = "node-builtins-without-nodejs-compat"
    category = "runtime"
    tier = "blocking"
    platforms = ("cloudflare-workers",)
    title = "A Worker imports Node.js built-ins its compatibility flags do not provide"
    fix = 'Add compatibility_flags = ["nodejs_compat"] (with a compatibility_date on or after 2024-09-23), or use the Web APIs (crypto.subtle, Uint8Array) instead.'
    docs = (
        "https://developers.cloudflare.com/workers/runtime-apis/nodejs/",
        "https://developers.cloudflare.com/workers/configuration/compatibility-flags/",
    )

    bad = [
        Example(
            _worker(
                'compatibility_date = "2025-06-01"\n',
                'import { createHmac } from "node:crypto";\nimport { Buffer } from "buffer";\n\n'
                "const sign = (s: string) => createHmac('sha256', 'k').update(Buffer.from(s)).digest('hex');\n" + _FETCH,
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    1,
                    1,
                    "orders imports node:crypto and buffer, Node.js built-ins, without Node.js compatibility: no "
                    "compatibility_flags enable it and its compatibility_date 2025-06-01 is before 2026-08-04, so "
                    "the deploy fails or the Worker throws at start",
                )
            ],
            name="no-flag",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.js"\ncompatibility_date = "2024-03-01"\n'
                'compatibility_flags = ["nodejs_compat"]\n',
                "src/index.js": "import { helper } from './lib/sign.js';\nexport default { fetch: () => new Response(helper()) };\n",
                "src/lib/sign.js": "const { createHash } = require('crypto');\nexport const helper = () => createHash('sha1').update('x').digest('hex');\n",
            },
            expect=[
                Expect(
                    "src/lib/sign.js",
                    1,
                    24,
                    "orders imports crypto, a Node.js built-in, by its bare name: nodejs_compat with a "
                    "compatibility_date before 2024-09-23 resolves only node:-prefixed imports, so the deploy fails "
                    "or the Worker throws at start",
                )
            ],
            name="v1-bare-name-in-a-local-module",
        ),
        Example(
            _worker(
                'compatibility_date = "2025-06-01"\ncompatibility_flags = ["nodejs_compat"]\n\n[env.edge]\ncompatibility_flags = []\n',
                'import { createHmac } from "node:crypto";\nconst sign = (s: string) => createHmac("sha256", "k").update(s).digest("hex");\n' + _FETCH,
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    1,
                    1,
                    "orders [env.edge] imports node:crypto, a Node.js built-in, without Node.js compatibility: no "
                    "compatibility_flags enable it and its compatibility_date 2025-06-01 is before 2026-08-04, so "
                    "the deploy fails or the Worker throws at start",
                )
            ],
            name="an-environment-drops-the-flag",
        ),
    ]
    good = [
        Example(
            _worker(
                'compatibility_date = "2025-06-01"\ncompatibility_flags = ["nodejs_compat"]\n',
                'import { createHmac } from "node:crypto";\nimport { Buffer } from "buffer";\n'
                "const sign = (s: string) => createHmac('sha256', 'k').update(Buffer.from(s)).digest('hex');\n" + _FETCH,
            ),
            name="nodejs-compat",
        ),
        Example(
            _worker(
                'compatibility_date = "2026-09-01"\n',
                'import { createHmac } from "node:crypto";\nconst sign = (s: string) => createHmac("sha256", "k").update(s).digest("hex");\n' + _FETCH,
            ),
            name="on-by-default-from-2026-08-04",
        ),
        Example(
            _worker(
                'compatibility_date = "2025-06-01"\n',
                'import type { Readable } from "node:stream";\nimport { type EventEmitter } from "events";\n'
                'import { Buffer } from "buffer";\n'
                "const sign = (s: string) => Buffer.from(s).toString('base64');\n" + _FETCH,
                **{"package.json": '{"dependencies": {"buffer": "^6.0.3"}}\n'},
            ),
            name="type-imports-and-the-npm-buffer-polyfill",
        ),
        Example(
            _worker(
                'compatibility_date = "2024-03-01"\ncompatibility_flags = ["nodejs_als"]\n',
                'import { AsyncLocalStorage } from "node:async_hooks";\nconst als = new AsyncLocalStorage();\n'
                "const sign = (s: string) => s;\n" + _FETCH,
            ),
            name="async-local-storage-with-nodejs-als",
        ),
        Example(
            _worker(
                'compatibility_date = "2025-06-01"\n\n[alias]\n"events" = "./src/shims/events.ts"\n',
                'import { EventEmitter } from "events";\nconst bus = new EventEmitter();\nconst sign = (s: string) => s;\n' + _FETCH,
            ),
            name="aliased-to-a-shim",
        ),
    ]

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(worker)
        if facts is None or facts.main is None or facts.main.language == "python":
            return
        if worker.env is not None and all(
            worker.origins.get(key) != "explicit" for key in ("compatibility_date", "compatibility_flags")
        ):
            return  # the same settings as the top level: one finding there
        date = worker.compatibility_date.value if worker.compatibility_date and isinstance(worker.compatibility_date.value, str) else None
        flags = [str(f.value) for f in worker.compatibility_flags]
        mode = node_compat(date, flags)
        if mode == "v2":
            return
        alias = worker.settings.get("alias")
        aliased = set(alias) if isinstance(alias, MapNode) else set()
        build = worker.settings.get("build")
        custom_build = isinstance(build, MapNode) and bool(build.get("command"))
        package = ctx.project.package_for(facts.main.path)
        dependencies = package.dependencies if package is not None else frozenset()
        failing: list[Import] = []
        for file in facts.files:
            for imp in file.imports:
                module = builtin(imp.module)
                if module is None or importable(imp.module, mode) or imp.module in aliased:
                    continue
                bare = not imp.module.startswith("node:")
                if bare and (custom_build or imp.module in dependencies or imp.module.split("/", 1)[0] in dependencies):
                    continue
                failing.append(imp)
        if not failing:
            return
        names = list(dict.fromkeys(i.module for i in failing))
        what = f"{_and(names)}, Node.js built-ins," if len(names) > 1 else f"{names[0]}, a Node.js built-in,"
        if mode == "v1" and all(not m.startswith("node:") for m in names):
            why = (
                f"imports {what} by its bare name: nodejs_compat with a compatibility_date before "
                "2024-09-23 resolves only node:-prefixed imports"
            )
            if len(names) > 1:
                why = why.replace("by its bare name", "by their bare names")
        elif mode == "als":
            why = f"imports {what} with only nodejs_als, which provides node:async_hooks alone"
        else:
            when = f"its compatibility_date {date} is before {NODEJS_COMPAT_DEFAULT_ON_DATE}" if date else "it has no compatibility_date"
            if "no_nodejs_compat" in flags:
                why = f"imports {what} but no_nodejs_compat turns Node.js compatibility off"
            else:
                why = f"imports {what} without Node.js compatibility: no compatibility_flags enable it and {when}"
        main = facts.main.path
        first = min(failing, key=lambda i: (i.loc.path != main, i.loc.path, i.loc.line, i.loc.column))
        yield Report(first.loc, f"{worker.display_name} {why}, so the deploy fails or the Worker throws at start")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
