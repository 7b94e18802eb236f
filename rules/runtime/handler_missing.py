from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(handler: str, runtime: str = "python3.13", code_uri: str = "src/") -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      CodeUri: {code_uri}\n"
        f"      Runtime: {runtime}\n"
        f"      Handler: {handler}\n"
    )


_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'


class HandlerMissing(Rule):
    """
    ## What it does
    Resolves the code each function's configuration names — a Lambda `Handler` inside its
    `CodeUri` (or esbuild `EntryPoints`), a Worker's `main` — and reports when the file does not
    exist or does not define the entry point: the Python function, the exported JavaScript
    function, or a Worker's default export.

    ## Why is this bad?
    The deploy succeeds and every invocation then fails with `Runtime.ImportModuleError` or
    `Runtime.HandlerNotFound` (or the Worker fails to upload). It happens after a rename or a move
    that the template did not follow, and local unit tests that import the module directly do not
    notice.

    ## Why this tier
    Blocking: the function cannot run at all.

    ## Example
    ```yaml
    Handler: app.lambda_handler    # src/app.py defines `handler`
    ```

    ## Use instead
    ```yaml
    Handler: app.handler
    ```

    ## References
    - [Python handler naming](https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html)
    - [Node.js handler naming](https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html)
    - [Wrangler configuration: main](https://developers.cloudflare.com/workers/wrangler/configuration/)
    """

    id = "SLS202"
    name = "handler-missing"
    category = "runtime"
    tier = "blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "The handler file or entry function the configuration names does not exist"
    fix = "Point the configuration at the file and function that exist, or create them."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html",
    )

    bad = [
        Example(
            {"template.yaml": _sam("orders.handler"), "src/app.py": "def handler(event, context):\n    return {}\n"},
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    16,
                    "OrdersFunction's Handler orders.handler needs src/orders.py, which does not exist",
                )
            ],
            name="python-file-missing",
        ),
        Example(
            {"template.yaml": _sam("app.lambda_handler"), "src/app.py": "def handler(event, context):\n    return {}\n"},
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    16,
                    "OrdersFunction's Handler app.lambda_handler names lambda_handler, which src/app.py does not define",
                )
            ],
            name="python-function-missing",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", runtime="nodejs24.x"),
                "src/index.mjs": "export const main = async (event) => ({ statusCode: 200 });\n",
            },
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    16,
                    "OrdersFunction's Handler index.handler names handler, which src/index.mjs does not define",
                )
            ],
            name="node-export-missing",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/worker.ts": "export default { fetch: () => new Response('ok') };\n"},
            expect=[Expect("wrangler.toml", 2, 8, "main points at src/index.ts, which does not exist")],
            name="worker-main-missing",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": "export function helper() { return 1; }\n"},
            expect=[
                Expect(
                    "wrangler.toml",
                    2,
                    8,
                    "src/index.ts has no default export (or fetch event listener) for the Workers runtime to call",
                )
            ],
            name="worker-without-default-export",
        ),
    ]
    good = [
        Example({"template.yaml": _sam("app.handler"), "src/app.py": "def handler(event, context):\n    return {}\n"}),
        Example(
            {"template.yaml": _sam("handlers/orders.create"), "src/handlers/orders.py": "async def create(event, context):\n    return {}\n"},
            name="python-path-handler",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", runtime="nodejs24.x"),
                "src/index.js": "exports.handler = async function (event) {\n  return { statusCode: 200 };\n};\n",
            },
            name="commonjs-export",
        ),
        Example(
            {
                "template.yaml": _sam("app.handler", runtime="nodejs24.x")
                + "    Metadata:\n      BuildMethod: esbuild\n      BuildProperties:\n        EntryPoints:\n          - app.ts\n",
                "src/app.ts": "export const handler = async (): Promise<void> => {};\n",
            },
            name="esbuild-entry-point",
        ),
        Example(
            {"template.yaml": _sam("app.handler", code_uri="dist/")},
            name="code-uri-is-a-build-output",
        ),
        Example(
            {"template.yaml": _sam("app.handler", code_uri="."), "README.md": "Code is copied in by CI.\n"},
            name="template-only-folder-code-comes-from-elsewhere",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": "export default {\n  async fetch(request: Request): Promise<Response> {\n    return new Response('ok');\n  },\n};\n"},
            name="worker",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "dist/index.js"\ncompatibility_date = "2025-06-01"\n[build]\ncommand = "npm run build"\n'
            },
            name="worker-main-built-by-build-command",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": 'import { WorkflowEntrypoint } from "cloudflare:workers";\nexport class Orders extends WorkflowEntrypoint {\n  async run() {}\n}\n',
            },
            name="worker-exporting-only-a-workflow",
        ),
        Example(
            {
                "wrangler.jsonc": '{"name": "site", "main": ".open-next/worker.js", "compatibility_date": "2025-06-01"}\n',
                "package.json": '{"scripts": {"deploy": "opennextjs-cloudflare build && wrangler deploy"}}\n',
            },
            name="worker-main-written-by-a-framework-build",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        source = fn.source
        at = fn.handler or fn
        handler = fn.handler.value if fn.handler else None
        if source.status == "missing":
            tried = source.tried[0] if source.tried else source.path
            yield Report(at, f"{fn.name}'s Handler {handler} needs {tried}, which does not exist")
            return
        yield from self._entry(fn, at, f"{fn.name}'s Handler {handler}", ctx)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        main = worker.main
        if main is None or (worker.env is not None and main.origin == "global"):
            return  # a missing main is SLS203's; an inherited one is checked at the top level
        if worker.source.status == "missing":
            if worker.setting("build") is not None:
                return  # the build command may produce it
            yield Report(main, f"main points at {main.value}, which does not exist")
            return
        facts = ctx.facts(worker)
        if facts is None or facts.main is None or not facts.main.parsed:
            return
        # A Worker may export only Durable Object, Workflow or WorkerEntrypoint classes, or
        # re-export another module's (`export * from`): the runtime has something to call.
        runnable = any(e.kind == "worker-entrypoint" for e in facts.main.entry_points)
        reexports = any(("*", "*") in imp.names for imp in facts.main.imports)
        if not facts.defines("default") and not runnable and not reexports:
            yield Report(
                main,
                f"{worker.source.path} has no default export (or fetch event listener) for the Workers runtime to call",
            )

    def _entry(self, fn: Function, at: object, who: str, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        symbol = fn.source.symbol
        if facts is None or facts.main is None or not facts.main.parsed or symbol is None:
            return
        if not facts.defines(symbol):
            where = fn.source.path if fn.source.status == "found" else "the inline code"
            yield Report(at, f"{who} names {symbol}, which {where} does not define")
