"""A light scan of test files: which modules they import and whether they start a Worker.

Test files are not reviewed (their code never runs in production), so they are not parsed: a
line-level scan finds their imports at a small fraction of a parse's cost. It may see an import
in a string or a comment, which only makes a test count that might not: the safe direction for
the rule that asks whether a handler has a test (SLS510).

    >>> scan("tests/test_app.py", "from orders import app\\nimport json\\n").modules
    ('orders', 'orders.app', 'json')
    >>> scan("test/index.spec.ts", "import { SELF } from 'cloudflare:test';\\nawait SELF.fetch(url);\\n").starts_worker
    True

``is_test_file`` says which files are tests, by the conventions of pytest, Jest, Vitest and Node's
test runner: ``test_*.py``, ``*_test.py``, ``*.test.*``, ``*.spec.*``, and anything under
``tests/``, ``test/`` or ``__tests__/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(?:\(([\w\s,*]+)\)|([\w \t,*]+))", re.MULTILINE)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)", re.MULTILINE)
_PY_DYNAMIC = re.compile(r"(?:import_module|__import__|spec_from_file_location)\(\s*(?:[\"'][\w.-]*[\"']\s*,\s*)?[\"']([^\"']+)[\"']")
# os.path.join(os.path.dirname(__file__), "..", "src", "app.py") and Path("../src/app.py"): a handler loaded by path
_PY_PATH_JOIN = re.compile(r"(?:os\.path\.join|Path)\(([^()]*(?:\([^()]*\)[^()]*)*)\)((?:\s*/\s*[\"'][^\"']+[\"'])*)")
_STRING = re.compile(r"[\"']([^\"']+)[\"']")
_JS_MODULE = re.compile(
    r"(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+|\b(?:vi|jest)\.(?:mock|importActual)\(\s*)([\"'`])([^\"'`\n]+)\1",
    re.MULTILINE,
)
# Starting the Worker under test: Vitest's Workers pool (SELF.fetch from cloudflare:test,
# exports.default.fetch from cloudflare:workers), wrangler's createTestHarness, unstable_dev/unstable_startWorker, Miniflare, `wrangler dev` run
# as a process (runWranglerDev is the workers-sdk fixtures' helper for it).
_STARTS_WORKER = re.compile(
    r"\bSELF\s*\.\s*(?:fetch|queue|scheduled)\b|\bunstable_dev\s*\(|\b(?:unstable_)?startWorker\s*\(|\bnew\s+Miniflare\s*\("
    r"|\brunWranglerDev\s*\(|\bcreateTestHarness\s*\(|\bexports\.default\.(?:fetch|queue|scheduled)\s*\("
    r"|[\"'`](?:npx\s+|pnpm\s+(?:exec\s+)?)?wrangler\s+dev\b"
)
_TEST_NAME = re.compile(r"(?:^test_.*\.py$|_test\.py$|\.(?:test|spec)\.[cm]?[jt]sx?$)")
_TEST_FOLDERS = ("tests", "test", "__tests__")


@dataclass(frozen=True, slots=True)
class TestFile:
    """A test file: the modules it names (as written: dotted for Python, specifiers for
    JavaScript), and whether it starts a Worker the way Workers tests do."""

    __test__ = False  # not a pytest class, whatever its name

    path: str
    language: str  # "python" or "javascript"
    modules: tuple[str, ...]
    starts_worker: bool = False


def is_test_file(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    if not name.endswith((".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx")) or name.endswith(".d.ts"):
        return False
    return bool(_TEST_NAME.search(name)) or name == "conftest.py" or any(p in _TEST_FOLDERS for p in parts[:-1])


def scan(path: str, text: str) -> TestFile:
    if path.endswith(".py"):
        modules: list[str] = []
        for match in _PY_FROM.finditer(text):
            module = match.group(1)
            modules.append(module)
            for name in (match.group(2) or match.group(3)).split(","):
                name = name.strip().split(" ", 1)[0]
                if name and name != "*":
                    modules.append(f"{module}.{name}" if not module.endswith(".") else module + name)
        for match in _PY_IMPORT.finditer(text):
            modules.extend(part.strip().split(" ", 1)[0] for part in match.group(1).split(","))
        modules.extend(m.group(1) for m in _PY_DYNAMIC.finditer(text))
        for match in _PY_PATH_JOIN.finditer(text):
            parts = _STRING.findall(match.group(1)) + _STRING.findall(match.group(2))
            if parts and parts[-1].endswith(".py"):
                joined = "/".join(parts)
                modules.append(joined if joined.startswith(".") else "./" + joined)
        return TestFile(path, "python", tuple(dict.fromkeys(modules)))
    specifiers = [m.group(2) for m in _JS_MODULE.finditer(text)]
    starts = bool(_STARTS_WORKER.search(text)) or "cloudflare:test" in specifiers
    return TestFile(path, "javascript", tuple(dict.fromkeys(specifiers)), starts)
