from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts, Value
from slsreview.analysis.memo import answer_once
from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.files import (
    DOWNLOAD_METHODS,
    FS_OPEN,
    FS_REMOVE,
    FS_WRITE,
    TEMP_KEEPS,
    TEMP_PREFIX,
    WRITE_MODE_CHARACTERS,
    WRITE_PATH_ARGUMENT,
)

_DEFAULT_EPHEMERAL_MB = 512  # Lambda's /tmp when EphemeralStorage is not set


def _lambda(code: str, name: str = "src/app.py", runtime: str = "python3.13") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  ThumbnailFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            f"      Handler: {name.rsplit('/', 1)[-1].split('.')[0]}.handler\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 30\n"
        ),
        name: code,
    }


class TempFilesLeftBehind(Rule):
    """
    ## What it does
    Reports a Lambda function that writes files under `/tmp` with a name that changes from one
    invocation to the next, and never removes any: `open(f"/tmp/{key}", "wb")`,
    `s3.download_file(bucket, key, "/tmp/" + key)`, `tempfile.mkstemp()`,
    `tempfile.NamedTemporaryFile(delete=False)`, `tempfile.mkdtemp()`, `fs.writeFileSync(`/tmp/${id}`)`,
    `fs.createWriteStream(...)`, `fs.mkdtempSync(path.join(os.tmpdir(), ...))`. A path is under
    `/tmp` when it is built from a `/tmp` literal or from `tempfile.gettempdir()` / `os.tmpdir()`,
    through variables, joins, f-strings and concatenation.

    The handler counts as cleaning up when its code removes a file or folder anywhere
    (`os.remove`, `os.unlink`, `shutil.rmtree`, `fs.unlink`, `fs.rm`, `fs.promises.rm`...): `/tmp`
    is the only place a function can write, and the path to remove often comes back from a helper
    (`local = download(key)` ... `os.remove(local)`). Not
    reported: a fixed path (`/tmp/model.bin`), which each invocation overwrites;
    `tempfile.TemporaryDirectory()`, `TemporaryFile()` and `NamedTemporaryFile()` with its default
    `delete=True`, which clean up after themselves; files written at module level, once per cold
    start; and files opened for reading. One finding per function, on the first such write.

    ## Why is this bad?
    `/tmp` survives between invocations in a warm execution environment. Files named after each
    request accumulate until the function's ephemeral storage (512 MB by default) is full; then
    every write fails with "No space left on device" on that instance only, which is hard to
    reproduce. They also keep one request's data readable by the next.

    ## Why this tier
    Non-blocking: nothing fails until enough invocations share one environment, but then it fails
    in a way that looks random.

    ## Example
    ```python
    def handler(event, context):
        path = f"/tmp/{event['id']}.pdf"
        s3.download_file(BUCKET, event["key"], path)
        return render(path)
    ```

    ## Use instead
    ```python
    def handler(event, context):
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "input.pdf")
            s3.download_file(BUCKET, event["key"], path)
            return render(path)
    ```

    ## References
    - [Lambda ephemeral storage (/tmp)](https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html)
    - [Lambda execution environment lifecycle: reuse between invocations](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)
    - [Python tempfile.TemporaryDirectory](https://docs.python.org/3/library/tempfile.html#tempfile.TemporaryDirectory)
    - [Node.js fs.rm](https://nodejs.org/api/fs.html#fsrmpath-options-callback)
    """

    id = "SLS507"
    name = "temp-files-left-behind"
    category = "cleanup"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A function writes files under /tmp with a new name each time and never removes them"
    fix = "Write into tempfile.TemporaryDirectory() (or remove the file in a finally: os.remove / fs.rm) so that a warm environment's /tmp does not fill up."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html",
    )

    bad = [
        Example(
            _lambda(
                "import boto3\n"
                "\n"
                's3 = boto3.client("s3")\n'
                "\n"
                "def handler(event, context):\n"
                '    key = event["Records"][0]["s3"]["object"]["key"]\n'
                '    local = f"/tmp/{key}"\n'
                '    s3.download_file("uploads", key, local)\n'
                '    with open(local + ".thumb", "wb") as out:\n'
                '        out.write(b"...")\n'
            ),
            expect=[
                Expect(
                    "src/app.py",
                    8,
                    5,
                    "ThumbnailFunction writes files under /tmp named anew each invocation (download_file(...) here, "
                    "and 1 more) and never removes them: a warm environment keeps them until its 512 MB of /tmp are "
                    "full and writes fail",
                )
            ],
            name="python-download-and-open-for-writing",
        ),
        Example(
            _lambda(
                'import fs from "node:fs";\n'
                "\n"
                "export const handler = async (event) => {\n"
                "  const file = `/tmp/${event.id}.json`;\n"
                "  fs.writeFileSync(file, JSON.stringify(event));\n"
                "  return { statusCode: 202 };\n"
                "};\n",
                name="src/app.mjs",
                runtime="nodejs22.x",
            ),
            expect=[
                Expect(
                    "src/app.mjs",
                    5,
                    3,
                    "ThumbnailFunction writes files under /tmp named anew each invocation (fs.writeFileSync(...) here) "
                    "and never removes them: a warm environment keeps them until its 512 MB of /tmp are full and writes "
                    "fail",
                )
            ],
            name="javascript-write-file-sync",
        ),
        Example(
            _lambda(
                "import tempfile\n"
                "\n"
                "def handler(event, context):\n"
                "    out = tempfile.NamedTemporaryFile(suffix='.csv', delete=False)\n"
                "    out.write(b'a,b')\n"
                "    return out.name\n"
            ),
            expect=[
                Expect(
                    "src/app.py",
                    4,
                    11,
                    "ThumbnailFunction writes files under /tmp named anew each invocation "
                    "(tempfile.NamedTemporaryFile(...) here) and never removes them: a warm environment keeps them "
                    "until its 512 MB of /tmp are full and writes fail",
                )
            ],
            name="python-named-temporary-file-kept",
        ),
        Example(
            _lambda(
                "import os\n"
                "\n"
                "import boto3\n"
                "\n"
                's3 = boto3.client("s3")\n'
                "\n"
                "def fetch(bucket, key):\n"
                '    local = f"/tmp/{os.path.basename(key)}"\n'
                "    s3.download_file(bucket, key, local)\n"
                "    return local\n"
                "\n"
                "def handler(event, context):\n"
                '    return os.path.getsize(fetch("docs", event["key"]))\n'
            ),
            expect=[
                Expect(
                    "src/app.py",
                    9,
                    5,
                    "ThumbnailFunction writes files under /tmp named anew each invocation (download_file(...) here) "
                    "and never removes them: a warm environment keeps them until its 512 MB of /tmp are full and writes "
                    "fail",
                )
            ],
            name="python-helper-whose-name-we-cannot-see",
        ),
    ]
    good = [
        Example(
            _lambda(
                "import os, tempfile\n"
                "\n"
                "def handler(event, context):\n"
                "    with tempfile.TemporaryDirectory() as work:\n"
                '        with open(os.path.join(work, event["id"]), "w") as out:\n'
                '            out.write("x")\n'
            ),
            name="python-temporary-directory",
        ),
        Example(
            _lambda(
                "import os\n"
                "\n"
                "def handler(event, context):\n"
                '    path = f"/tmp/{event[\'id\']}.pdf"\n'
                "    try:\n"
                '        with open(path, "wb") as out:\n'
                '            out.write(b"%PDF")\n'
                "    finally:\n"
                "        os.remove(path)\n"
            ),
            name="python-removed-in-finally",
        ),
        Example(
            _lambda(
                "import os\n"
                "\n"
                "import boto3\n"
                "\n"
                's3 = boto3.client("s3")\n'
                "\n"
                "def fetch(key):\n"
                '    local = f"/tmp/{os.path.basename(key)}"\n'
                '    s3.download_file("docs", key, local)\n'
                "    return local\n"
                "\n"
                "def handler(event, context):\n"
                '    local = fetch(event["key"])\n'
                "    size = os.path.getsize(local)\n"
                "    os.remove(local)\n"
                "    return size\n"
            ),
            name="python-path-returned-by-a-helper-then-removed",
        ),
        Example(
            _lambda(
                'import fs from "node:fs";\n'
                'import os from "node:os";\n'
                'import path from "node:path";\n'
                "\n"
                "export const handler = async (event) => {\n"
                '  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "job-"));\n'
                "  try {\n"
                '    fs.writeFileSync(path.join(dir, "in.json"), JSON.stringify(event));\n'
                "  } finally {\n"
                "    fs.rmSync(dir, { recursive: true, force: true });\n"
                "  }\n"
                "};\n",
                name="src/app.mjs",
                runtime="nodejs22.x",
            ),
            name="javascript-mkdtemp-and-rm",
        ),
        Example(
            _lambda(
                "import json\n"
                "\n"
                'with open("/tmp/model-cache.json", "w") as cache:\n'
                '    cache.write("{}")\n'
                "\n"
                "def handler(event, context):\n"
                '    with open("/tmp/last-run.json", "w") as out:\n'
                "        json.dump(event, out)\n"
                '    with open(f"/tmp/{event[\'id\']}") as existing:\n'
                "        return existing.read()\n"
            ),
            name="fixed-names-module-level-and-reads",
        ),
        Example(
            _lambda(
                'REPORT = "/tmp/report.csv"\n'
                "\n"
                "def handler(event, context):\n"
                '    path = "/tmp/latest.bin"\n'
                '    with open(path, "wb") as out:\n'
                '        out.write(b"")\n'
                '    with open(REPORT, "w") as out:\n'
                '        out.write("a,b")\n'
            ),
            name="python-fixed-path-held-in-a-name",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is None:
            return
        writes, removes = answer_once(facts, "temp_files", lambda: _temp_files(facts))
        if not writes or removes:
            return
        first = writes[0]
        more = f", and {len(writes) - 1} more" if len(writes) > 1 else ""
        storage = fn.properties.get("EphemeralStorage")
        size = storage.get("Size") if isinstance(storage, dict) else None
        megabytes = size if isinstance(size, int) else _DEFAULT_EPHEMERAL_MB
        shown = first.callee.rsplit(".", 1)[-1] if first.callee.startswith("boto3.") else first.callee
        yield Report(
            first.loc,
            f"{fn.name} writes files under /tmp named anew each invocation ({shown}(...) here{more}) and never removes "
            f"them: a warm environment keeps them until its {megabytes} MB of /tmp are full and writes fail",
        )


def _temp_files(facts: Facts) -> tuple[list[Call], bool]:
    """The calls (inside functions) that leave a new file under /tmp, and whether anything removes one."""
    # /tmp is the only folder a function may write to: whatever it removes is there (and the
    # path may come back from a helper, whose sources the caller does not see)
    removes = bool(facts.calls(FS_REMOVE))
    writes = []
    for call in facts.calls(FS_OPEN, FS_WRITE, "aws.s3"):  # download_file is an S3 GetObject
        if call.function is None:
            continue  # module level: once per cold start
        if call.name == FS_OPEN:
            mode = call.args[1] if len(call.args) > 1 else call.kwarg("mode") or call.kwarg("flags")
            if not call.args or mode is None or not isinstance(mode.literal, str):
                continue  # read (the default), or a mode we cannot tell
            if WRITE_MODE_CHARACTERS & set(mode.literal) and _varying_temp(call.args[0]):
                writes.append(call)
        elif call.name == FS_WRITE:
            if call.callee.endswith("NamedTemporaryFile"):
                keep = call.kwarg(TEMP_KEEPS[0])
                if keep is not None and keep.is_literal and keep.literal is TEMP_KEEPS[1]:
                    writes.append(call)
            elif call.callee.startswith("tempfile.") or "mkdtemp" in call.callee:
                writes.append(call)  # a new file or folder, named by the call
            else:
                index = WRITE_PATH_ARGUMENT.get(call.callee, 0)
                if len(call.args) > index and _varying_temp(call.args[index]):
                    writes.append(call)
        elif call.callee.rsplit(".", 1)[-1] in DOWNLOAD_METHODS:
            target = call.kwarg(DOWNLOAD_METHODS[call.callee.rsplit(".", 1)[-1]])
            candidates = [target] if target is not None else list(call.args)
            if any(v is not None and _varying_temp(v) for v in candidates):
                writes.append(call)
    writes.sort(key=lambda c: (c.loc.path, c.loc.line, c.loc.column))
    return writes, removes


def _temp(value: Value) -> bool:
    return any(s.kind == "tmp" for s in value.sources)


def _varying_temp(value: Value) -> bool:
    """A path under /tmp that is not the same every time: built from the event, a random id or
    the clock, or from the temporary folder and anything else (f"/tmp/{name}",
    os.path.join(tempfile.gettempdir(), name)). A whole literal ("/tmp/model.bin", also when a
    name holds it) is one fixed file, overwritten by each invocation."""
    if not _temp(value) or value.is_literal:
        return False
    if any(s.kind in ("event", "event-id", "random", "time") for s in value.sources):
        return True
    return any(s.kind == "tmp" and not _fixed_file(s.name) for s in value.sources)


def _fixed_file(name: str) -> bool:
    return name.startswith(TEMP_PREFIX + "/") and not name.endswith("/")
