from __future__ import annotations

import posixpath
from collections.abc import Iterator

from slsreview.loaders.imports import TestFile
from slsreview.model.project import Function, Worker, is_within
from slsreview.rule import Context, Example, Expect, Report, Rule

_JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")


def _sam(handler: str = "app.handler", runtime: str = "python3.13", code_uri: str = "src/") -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      CodeUri: {code_uri}\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        "      Timeout: 10\n"
    )


_PY = "def handler(event, context):\n    return {'statusCode': 200}\n"
_JS = "export const handler = async () => ({ statusCode: 200 });\n"
_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'
_WORKER = "export default { async fetch(): Promise<Response> { return new Response('ok'); } };\n"


class NoTest(Rule):
    """
    ## What it does
    Reports a function or Worker whose handler module no test file imports or runs. Test files are
    found by the conventions of pytest, Jest, Vitest and Node's test runner (`test_*.py`,
    `*_test.py`, `*.test.*`, `*.spec.*`, anything under `tests/`, `test/` or `__tests__/`) below
    the configuration's folder, and read with a light line scan (they are not reviewed). A test
    covers the handler when:

    - Python: it imports the handler's module by a dotted name that ends its path
      (`from orders import app`, `import app` after a `sys.path` insert, `from src.orders.app
      import handler`), or loads its file (`importlib`, `spec_from_file_location` with a path
      written out or joined with `os.path.join(os.path.dirname(__file__), "..", "src", "app.py")`);
    - JavaScript/TypeScript: an `import`, `require`, dynamic `import()` or `vi.mock`/`jest.mock`
      of a relative specifier resolves to the handler's file (with or without its extension, or
      its folder for an `index` file);
    - Workers: a test starts the Worker of its project: Vitest's Workers pool
      (`@cloudflare/vitest-pool-workers`, `SELF.fetch` from `cloudflare:test`), `unstable_dev`,
      `startWorker` or Miniflare.

    A test of another module the handler uses does not count: the handler's own wiring (reading
    the event, building the response) is what breaks on a deploy. One finding per function (one per
    Worker, not per environment view), on its logical id or its configuration.

    ## Why is this bad?
    Without a test, the first run of a change is in the cloud. The seed checklist asks for local
    proof before a deploy: a test that runs the handler with a realistic event (a fixture, see
    SLS509) and checks its answer is the cheapest one, and the one CI can repeat.

    ## Why this tier
    Non-blocking: code without tests can be right; nothing shows that it is.

    ## Example
    ```text
    template.yaml     # OrdersFunction: src/app.handler
    src/app.py
    ```

    ## Use instead
    ```python
    # tests/test_app.py
    from src import app

    def test_returns_200():
        assert app.handler({"body": "{}"}, None)["statusCode"] == 200
    ```
    ```typescript
    // test/index.spec.ts
    import { SELF } from "cloudflare:test";
    it("answers", async () => expect((await SELF.fetch("https://x/")).status).toBe(200));
    ```

    ## References
    - [Testing serverless applications (AWS)](https://docs.aws.amazon.com/lambda/latest/dg/testing-guide.html)
    - [Workers: testing with Vitest](https://developers.cloudflare.com/workers/testing/vitest-integration/)
    - [sam local invoke](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-invoke.html)
    """

    id = "SLS510"
    name = "no-test"
    category = "local-proof"
    tier = "non-blocking"
    title = "No test file imports or runs the handler"
    fix = "Add a test that imports the handler (or starts the Worker with SELF.fetch) and checks its answer for a realistic event."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/testing-guide.html",
        "https://developers.cloudflare.com/workers/testing/vitest-integration/",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": _PY,
                "src/service.py": "def charge():\n    return 1\n",
                "tests/test_service.py": "from src import service\n\ndef test_charge():\n    assert service.charge() == 1\n",
            },
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "No test imports or runs OrdersFunction's handler src/app.py: nothing shows it works before it "
                    "is deployed",
                )
            ],
            name="python-a-test-of-another-module",
        ),
        Example(
            {"template.yaml": _sam("index.handler", "nodejs22.x"), "src/index.mjs": _JS},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "No test imports or runs OrdersFunction's handler src/index.mjs: nothing shows it works before it "
                    "is deployed",
                )
            ],
            name="javascript-no-tests",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": _WORKER},
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "No test imports or runs orders's entry src/index.ts: nothing shows it works before it is deployed",
                )
            ],
            name="worker-no-tests",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam("orders.app.handler", code_uri="."),
                "orders/app.py": _PY,
                "tests/unit/test_handler.py": "from orders import app\n\ndef test_ok():\n    assert app.handler({}, None)\n",
            },
            name="python-from-package-import-module",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": _PY,
                "tests/test_app.py": "import sys\nsys.path.insert(0, 'src')\nimport app\n",
            },
            name="python-import-after-sys-path",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": _PY,
                "tests/unit/test_app.py": "import importlib.util, os\n\n"
                'PATH = os.path.join(os.path.dirname(__file__), "..", "..", "src", "app.py")\n'
                'spec = importlib.util.spec_from_file_location("app", PATH)\n',
            },
            name="python-loads-the-file-by-path",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": _JS,
                "tests/unit/handler.test.mjs": "import { handler } from '../../src/index.mjs';\n",
            },
            name="javascript-import-with-extension",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": _JS,
                "__tests__/index.js": "const app = require('../src');\n",
            },
            name="javascript-require-of-the-folder",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": _WORKER,
                "test/index.spec.ts": "import { SELF } from 'cloudflare:test';\nit('ok', async () => { await SELF.fetch('https://x/'); });\n",
            },
            name="worker-vitest-pool-self-fetch",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        source = fn.source
        if source.status != "found" or source.path is None:
            return
        if _covered(source.path, self._tests_below(ctx, _folder(fn.template)), worker=False):
            return
        yield Report(
            fn,
            f"No test imports or runs {fn.name}'s handler {source.path}: nothing shows it works before it is deployed",
        )

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        source = worker.source
        if worker.env is not None or source.status != "found" or source.path is None:
            return
        if _covered(source.path, self._tests_below(ctx, worker.config.directory), worker=True):
            return
        yield Report(
            worker.loc,
            f"No test imports or runs {worker.display_name}'s entry {source.path}: nothing shows it works before it is deployed",
        )


    def _tests_below(self, ctx: Context, folder: str) -> list[TestFile]:
        """The test files below a configuration's folder (once per folder: the rule object lives
        for one review)."""
        cache: dict[str, list[TestFile]] = self.__dict__.setdefault("_below", {})
        if folder not in cache:
            cache[folder] = [t for t in ctx.project.tests if is_within(_folder(t.path), folder)]
        return cache[folder]


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "."


def _covered(handler: str, tests: list[TestFile], worker: bool) -> bool:
    stem = _strip(handler)
    for test in tests:
        test_dir = _folder(test.path)
        if worker and test.starts_worker:
            return True
        for module in test.modules:
            if test.language == "javascript" or "/" in module:
                if not module.startswith("."):
                    continue
                resolved = posixpath.normpath(posixpath.join(test_dir, module)) if test_dir != "." else posixpath.normpath(module)
                if resolved in (handler, stem) or _strip(resolved) == stem or (
                    posixpath.basename(stem) == "index" and resolved == _folder(handler)
                ):
                    return True
            elif _python_module_matches(module, test_dir, stem):
                return True
    return False


def _python_module_matches(module: str, test_dir: str, stem: str) -> bool:
    if module.startswith("."):
        dots = len(module) - len(module.lstrip("."))
        base = test_dir
        for _ in range(dots - 1):
            base = _folder(base)
        rest = module[dots:].replace(".", "/")
        target = posixpath.normpath(posixpath.join(base, rest)) if rest else base
        return target == stem
    path = module.replace(".", "/")
    return stem == path or stem.endswith("/" + path)


def _strip(path: str) -> str:
    root, ext = posixpath.splitext(path)
    return root if ext in (*_JS_EXTENSIONS, ".py") else path
