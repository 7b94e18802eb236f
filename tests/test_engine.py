"""Engine behaviour that no single rule shows: following imports, isolating failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from slsreview.config import Settings
from slsreview.engine import _Run, review
from slsreview.model.project import Function
from slsreview.rule import Context, Report, Rule
from tests.conftest import ALL_RULES, PROJECT_CHECKLIST, run_review, write_tree

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Runtime: {runtime}
      Handler: {handler}
      Timeout: 10
"""


def facts_of(root: Path) -> dict[str, object]:
    run = _Run(Settings(cache=False, jobs=1), ALL_RULES, root)
    run.run([root])
    return {fn.name: run.facts_for(fn) for fn in run.project.functions}


def test_local_modules_are_followed_one_level(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "template.yaml": SAM.format(runtime="python3.13", handler="handlers/orders.handler"),
            "src/handlers/orders.py": "from lib.db import save\n\ndef handler(event, context):\n    save(event['id'])\n",
            "src/lib/__init__.py": "",
            "src/lib/db.py": "import boto3\ntable = boto3.resource('dynamodb').Table('t')\n\ndef save(key):\n    table.put_item(Item={'pk': key})\n",
        },
    )
    facts = facts_of(tmp_path)["OrdersFunction"]
    assert facts is not None
    (put,) = facts.calls("aws.dynamodb.PutItem")  # type: ignore[attr-defined]
    assert put.loc.path == "src/lib/db.py" and put.loc.line == 5


def test_local_modules_of_local_modules_are_followed_and_the_rest_is_external(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "template.yaml": SAM.format(runtime="python3.13", handler="handlers/orders.handler"),
            "src/handlers/orders.py": "import json\nfrom lib.db import save\n\ndef handler(event, context):\n    save(json.loads(event['body']))\n",
            "src/lib/__init__.py": "",
            "src/lib/db.py": "import requests\nfrom lib.client import table\n\ndef save(item):\n    table.put_item(Item=item)\n",
            "src/lib/client.py": "import boto3\nimport lib.missing\ntable = boto3.resource('dynamodb').Table('t')\n",
        },
    )
    facts = facts_of(tmp_path)["OrdersFunction"]
    assert facts is not None
    assert [f.path for f in facts.files] == ["src/handlers/orders.py", "src/lib/db.py", "src/lib/client.py"]  # type: ignore[attr-defined]
    assert [i.module for i in facts.external_imports()] == ["json", "requests", "boto3", "lib.missing"]  # type: ignore[attr-defined]


def test_local_js_modules_are_followed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "template.yaml": SAM.format(runtime="nodejs24.x", handler="index.handler"),
            "src/index.mjs": 'import { save } from "./lib/db.mjs";\nexport const handler = async (e) => save(e.id);\n',
            "src/lib/db.mjs": 'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\nconst sqs = new SQSClient({});\nexport async function save(id) {\n  await sqs.send(new SendMessageCommand({ QueueUrl: "q", MessageBody: id }));\n}\n',
        },
    )
    facts = facts_of(tmp_path)["OrdersFunction"]
    (send,) = facts.calls("aws.sqs.SendMessage")  # type: ignore[attr-defined]
    assert send.loc.path == "src/lib/db.mjs"


class Crashes(Rule):
    """Raises on every function."""

    id = "SLS999"
    name = "crashes"
    category = "runtime"
    tier = "blocking"
    title = "A rule that fails"
    fix = "none"
    docs = ("https://example.com",)

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        raise KeyError("Properties")


def test_a_failing_rule_becomes_one_finding_and_the_review_goes_on(tmp_path: Path) -> None:
    write_tree(tmp_path, {"template.yaml": SAM.format(runtime="nodejs16.x", handler="index.handler"), "src/index.mjs": "export const handler = async () => 1;\n"})
    settings = Settings(cache=False, jobs=1, today=dt.date(2026, 11, 27))
    result = review([tmp_path], settings, [*ALL_RULES, Crashes], cwd=tmp_path)
    crash = [f for f in result.findings if f.rule == "SLS999"]
    assert len(crash) == 1
    assert crash[0].message.startswith("SLS999 could not check template.yaml on OrdersFunction: KeyError: 'Properties'")
    assert crash[0].tier == "non-blocking" and crash[0].path == "template.yaml"
    assert any(f.rule == "SLS201" for f in result.findings)  # the other rules still ran


def test_an_analyser_failure_is_a_note_on_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import slsreview.analysis.python as python_analyser

    def broken(path: str, text: str) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(python_analyser, "analyze_python", broken)
    write_tree(tmp_path, {"template.yaml": SAM.format(runtime="python3.13", handler="app.handler"), "src/app.py": "def handler(e, c):\n    pass\n"})
    result = run_review(tmp_path, ignore=PROJECT_CHECKLIST)
    (note,) = result.findings
    assert (note.rule, note.path, note.tier) == ("SLS003", "src/app.py", "non-blocking")
    assert "internal error while analysing this file (ValueError: boom)" in note.message


def test_inline_code_is_analysed_with_template_line_numbers(tmp_path: Path) -> None:
    template = SAM.format(runtime="python3.13", handler="index.handler").replace("      CodeUri: src/\n", "")
    template += "      InlineCode: |\n        import os\n\n        def other(event, context):\n            print(os.environ['KEY'])\n"
    write_tree(tmp_path, {"template.yaml": template})
    run = _Run(Settings(cache=False, jobs=1, ignore=PROJECT_CHECKLIST), ALL_RULES, tmp_path)
    result = run.run([tmp_path])
    facts = run.facts_for(run.project.functions[0])
    assert facts is not None and not facts.defines("handler")
    (read,) = facts.files[0].env_reads  # in `other`, which the configured entry never reaches
    assert (read.loc.path, read.loc.line) == ("template.yaml", 13)
    assert [f.rule for f in result.findings] == ["SLS202"]


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(tmp_path: Path) -> None:
    from slsreview.analysis.runner import FactsCache, analyze_many, cache_key

    cache = FactsCache(tmp_path / ".slsreview_cache")
    job = ("app.py", "def handler(e, c):\n    return 1\n", "python")
    first = analyze_many([job], 1, cache)["app.py"]
    entry = next((tmp_path / ".slsreview_cache" / "facts").rglob("*.pickle"))
    assert entry.name == f"{cache_key(*job)}.pickle"
    entry.write_bytes(entry.read_bytes()[:20])  # a half-written entry from a crashed run
    again = FactsCache(tmp_path / ".slsreview_cache")
    assert analyze_many([job], 1, again)["app.py"] == first
    assert (again.hits, again.misses) == (0, 1)
    assert FactsCache(tmp_path / ".slsreview_cache").get(cache_key(*job)) == first


def test_two_runs_can_share_a_cache(tmp_path: Path) -> None:
    import subprocess
    import sys

    write_tree(tmp_path, {"template.yaml": SAM.format(runtime="python3.13", handler="app.handler"), **{f"src/m{i}.py": f"def f{i}():\n    return {i}\n" for i in range(40)}, "src/app.py": "def handler(e, c):\n    pass\n"})
    command = [sys.executable, "-m", "slsreview", "check", ".", "-f", "json", "--today", "2026-11-27"]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE) for _ in range(3)]
    outputs = {run.communicate()[0] for run in runs}
    assert len(outputs) == 1 and all(run.returncode == 0 for run in runs)
