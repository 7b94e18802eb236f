from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Function, PackageJson, Project, is_within
from slsreview.rule import Context, Example, Expect, Report, Rule

_NODE = re.compile(r"^nodejs(\d+)")
# Lambda turns off Node's module syntax detection (--no-experimental-detect-module) on the
# runtimes where it is experimental; from Node.js 24 it is stable and Lambda leaves it on.
_DETECTION_FROM = 24


def _sam(handler: str = "index.handler", runtime: str = "nodejs22.x", code_uri: str = "src/", metadata: str = "") -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        f"{metadata}"
        "    Properties:\n"
        f"      CodeUri: {code_uri}\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        "      Timeout: 10\n"
    )


_ESM = 'import { randomUUID } from "node:crypto";\n\nexport const handler = async () => ({ statusCode: 200, body: randomUUID() });\n'
_CJS = 'const { randomUUID } = require("node:crypto");\n\nexports.handler = async () => ({ statusCode: 200, body: randomUUID() });\n'


class ModuleSystemMismatch(Rule):
    """
    ## What it does
    Reports a Node.js Lambda handler whose module syntax is not the module system Node.js loads
    it as:

    - ES module syntax (`import`/`export` statements, `import.meta`) in a `.js` handler that
      Node.js loads as CommonJS: no `"type": "module"` in the nearest `package.json` inside the
      function's `CodeUri` (a `package.json` above `CodeUri` is not deployed with the code), and no
      build step that converts it (SAM `Metadata: BuildMethod: esbuild` or `makefile`);
    - ES module syntax in a `.cjs` handler;
    - CommonJS (`require(...)`, `module.exports`, `exports.x = ...`) in a `.mjs` handler, or in a
      `.js` one under `"type": "module"`, unless the file makes its own `require` with
      `createRequire` from `node:module`.

    A dynamic `import()` is valid in both systems and does not count. On `nodejs24.x` and later,
    Node.js detects ES module syntax in a typeless `.js` file and reparses it (with a warning and
    a slower cold start): that case is non-blocking there. TypeScript handlers are built by
    something else and are not checked. One finding per function, on the first offending
    statement.

    ## Why is this bad?
    The function deploys, then fails on every cold start before the handler runs:
    `Runtime.UserCodeSyntaxError: Cannot use import statement outside a module`, or
    `ReferenceError: require is not defined in ES module scope` (or `module is not defined`). Unit
    tests run by a bundler or a test runner that accepts both systems do not show it.

    ## Why this tier
    Blocking: the function cannot start as packaged.

    ## Example
    ```javascript
    // src/index.js, no "type": "module" in src/package.json
    export const handler = async () => ({ statusCode: 200 });
    ```

    ## Use instead
    ```javascript
    // src/index.mjs (or "type": "module" in src/package.json)
    export const handler = async () => ({ statusCode: 200 });
    ```

    ## References
    - [Designating a function handler as an ES module](https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#designate-es-module)
    - [Lambda Node.js runtimes: experimental features Lambda disables](https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html)
    - [Node.js: determining the module system](https://nodejs.org/api/packages.html#determining-module-system)
    - [SAM: building Node.js functions with esbuild](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html)
    """

    id = "SLS206"
    name = "module-system-mismatch"
    category = "runtime"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "A Node.js handler's import/export or require does not match the module system Node.js loads it as"
    fix = 'Name the file .mjs (ES modules) or .cjs (CommonJS), or set "type": "module" in a package.json inside CodeUri, or bundle it with Metadata: BuildMethod: esbuild.'
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#designate-es-module",
        "https://nodejs.org/api/packages.html#determining-module-system",
    )

    bad = [
        Example(
            {"template.yaml": _sam(), "src/index.js": _ESM},
            expect=[
                Expect(
                    "src/index.js",
                    1,
                    1,
                    "OrdersFunction's handler src/index.js uses ES module syntax (import here), but Node.js loads it as "
                    'CommonJS (no "type": "module" in a package.json inside its CodeUri src): every cold start fails '
                    "with Runtime.UserCodeSyntaxError: Cannot use import statement outside a module",
                )
            ],
            name="esm-in-a-typeless-js-file",
        ),
        Example(
            {"template.yaml": _sam(), "src/index.mjs": _CJS},
            expect=[
                Expect(
                    "src/index.mjs",
                    1,
                    24,
                    "OrdersFunction's handler src/index.mjs uses CommonJS (require here), but Node.js loads it as an ES "
                    "module (.mjs): every cold start fails with ReferenceError: require is not defined in ES module scope",
                )
            ],
            name="require-in-an-mjs-file",
        ),
        Example(
            {"template.yaml": _sam(), "src/index.js": _CJS, "src/package.json": '{"type": "module"}\n'},
            expect=[
                Expect(
                    "src/index.js",
                    1,
                    24,
                    "OrdersFunction's handler src/index.js uses CommonJS (require here), but Node.js loads it as an ES "
                    'module ("type": "module" in src/package.json): every cold start fails with ReferenceError: require '
                    "is not defined in ES module scope",
                )
            ],
            name="require-under-type-module",
        ),
        Example(
            {"template.yaml": _sam(), "src/index.js": _ESM, "package.json": '{"type": "module", "scripts": {"test": "vitest"}}\n'},
            expect=[
                Expect(
                    "src/index.js",
                    1,
                    1,
                    "OrdersFunction's handler src/index.js uses ES module syntax (import here), but Node.js loads it as "
                    'CommonJS (no "type": "module" in a package.json inside its CodeUri src): every cold start fails '
                    "with Runtime.UserCodeSyntaxError: Cannot use import statement outside a module",
                )
            ],
            name="type-module-above-codeuri-is-not-deployed",
        ),
        Example(
            {"template.yaml": _sam(runtime="nodejs24.x"), "src/index.js": _ESM},
            expect=[
                Expect(
                    "src/index.js",
                    1,
                    1,
                    "OrdersFunction's handler src/index.js uses ES module syntax (import here), but Node.js loads it as "
                    'CommonJS (no "type": "module" in a package.json inside its CodeUri src): nodejs24.x detects the '
                    "syntax and reparses the file as an ES module on every cold start, with a warning",
                    tier="non-blocking",
                )
            ],
            name="nodejs24-detects-and-reparses",
        ),
    ]
    good = [
        Example({"template.yaml": _sam(), "src/index.mjs": _ESM}, name="esm-in-mjs"),
        Example({"template.yaml": _sam(), "src/index.js": _ESM, "src/package.json": '{"type": "module"}\n'}, name="esm-under-type-module"),
        Example({"template.yaml": _sam(), "src/index.js": _CJS}, name="commonjs-in-js"),
        Example(
            {
                "template.yaml": _sam(metadata="    Metadata:\n      BuildMethod: esbuild\n      BuildProperties: {Format: cjs, EntryPoints: [index.js]}\n"),
                "src/index.js": _ESM,
            },
            name="bundled-by-esbuild",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/index.mjs": 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n'
                'const legacy = require("./legacy.cjs");\nexport const handler = async () => legacy.run();\n',
            },
            name="create-require-in-an-es-module",
        ),
        Example(
            {"template.yaml": _sam(), "src/index.js": 'exports.handler = async () => {\n  const { run } = await import("./esm-only.mjs");\n  return run();\n};\n'},
            name="dynamic-import-from-commonjs",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        runtime = fn.runtime.value if fn.runtime is not None and isinstance(fn.runtime.value, str) else ""
        version = _NODE.match(runtime)
        source = fn.source
        if version is None or source.status != "found" or source.path is None:
            return
        extension = posixpath.splitext(source.path)[1]
        if extension not in (".js", ".mjs", ".cjs"):
            return  # TypeScript is compiled by something else
        metadata = fn.resource.metadata
        if isinstance(metadata, MapNode) and isinstance(metadata.get("BuildMethod"), str) and metadata["BuildMethod"] != "nodejs_npm":
            return  # esbuild (or a Makefile) turns the source into what is deployed
        facts = ctx.facts(fn)
        if facts is None or facts.main is None or not facts.main.parsed:
            return
        main = facts.main
        package = _package_in_code(ctx.project, fn, source.path)
        module_type = package.module_type.value if package is not None and package.module_type is not None else None
        esm, commonjs = main.first_syntax("esm"), main.first_syntax("commonjs")
        if extension == ".mjs" or (extension == ".js" and module_type == "module"):
            creates_require = any(
                imp.module in ("module", "node:module") and any(name == "createRequire" for name, _ in imp.names)
                for imp in main.imports
            )
            if commonjs is None or (creates_require and commonjs.what == "require"):
                return
            why = "(.mjs)" if extension == ".mjs" else f'("type": "module" in {package.path if package else "package.json"})'
            missing = {"require": "require", "module.exports": "module", "exports": "exports"}[commonjs.what]
            yield Report(
                commonjs.loc,
                f"{fn.name}'s handler {source.path} uses CommonJS ({commonjs.what} here), but Node.js loads it as an ES "
                f"module {why}: every cold start fails with ReferenceError: {missing} is not defined in ES module scope",
            )
            return
        if esm is None:
            return
        uses = f"{fn.name}'s handler {source.path} uses ES module syntax ({esm.what} here), but Node.js loads it as CommonJS"
        failure = "every cold start fails with Runtime.UserCodeSyntaxError: Cannot use import statement outside a module"
        if extension == ".cjs":
            yield Report(esm.loc, f"{uses} (.cjs): {failure}")
            return
        reason = f'no "type": "module" in a package.json inside its CodeUri {fn.code_root or "."}'
        if module_type is not None:
            reason = f'"type": "{module_type}" in {package.path if package else "package.json"}'
        if int(version.group(1)) >= _DETECTION_FROM:
            yield Report(
                esm.loc,
                f"{uses} ({reason}): {runtime} detects the syntax and reparses the file as an ES module on every cold "
                "start, with a warning",
                tier="non-blocking",
            )
            return
        yield Report(esm.loc, f"{uses} ({reason}): {failure}")


def _package_in_code(project: Project, fn: Function, handler: str) -> PackageJson | None:
    """The nearest package.json of the handler that is deployed with it (inside CodeUri)."""
    package = project.package_for(handler)
    root = fn.code_root
    if package is None or root is None:
        return None
    return package if is_within(package.directory, root) else None
