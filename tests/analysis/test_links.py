"""The bounds of following values through the project's own functions (slsreview.analysis.links):
fan-out, depth and cycles on a big file (its cost is measured by bench/run.py, not timed here). The behaviour itself is in test_pairs.py, per language."""

from __future__ import annotations

from slsreview.analysis import analyze_source
from slsreview.analysis.facts import Facts
from slsreview.analysis.links import MAX_DEPTH, MAX_SITES


def _facts(text: str, language: str = "python") -> Facts:
    path = "src/app.py" if language == "python" else "src/app.mjs"
    return Facts([analyze_source(path, text, language)], entry="handler")  # type: ignore[arg-type]


def test_a_parameter_takes_at_most_max_sites_callers() -> None:
    calls = "".join(f'    log_it(os.environ["SECRET_{i}"])\n' for i in range(MAX_SITES + 20))
    facts = _facts(f"import os\ndef log_it(value):\n    print(value)\ndef handler(event, context):\n{calls}")
    names = {fl.source.name for fl in facts.flows(sink="log")}
    assert names == {f"SECRET_{i}" for i in range(MAX_SITES)}


def test_a_long_chain_of_helpers_ends_and_cycles_are_cut() -> None:
    # each step asks at most MAX_DEPTH calls deep, and reuses what earlier steps worked out
    chain = "".join(f"function f{i}(v) {{ return f{i + 1}(v); }}\n" for i in range(40 * MAX_DEPTH))
    text = chain + f"function f{40 * MAX_DEPTH}(v) {{ console.log(v); }}\nexport const handler = async (event) => f0(event.body);\n"
    assert [fl.source.name for fl in _facts(text, "javascript").flows(sink="log")] == ["body"]
    ring = "function a(v, n) { console.log(v); return n ? b(v, n - 1) : v; }\nfunction b(v, n) { return a(v, n); }\n"
    text = ring + "export const handler = async (event) => { b(event.body, 3); a(event.detail, 1); };\n"
    assert sorted(fl.source.name for fl in _facts(text, "javascript").flows(sink="log")) == ["body", "detail"]


def test_linking_is_deterministic_on_a_big_file_of_cyclic_helpers() -> None:
    helpers = "".join(f"def helper_{i}(record, key):\n    table.put_item(Item={{'pk': key, 'n': record['n']}})\n    return helper_{(i + 1) % 300}(record, key)\n" for i in range(300))
    calls = "".join(f"        helper_{i}(record, str(uuid.uuid4()))\n" for i in range(300))
    text = f"import uuid\nimport boto3\ntable = boto3.resource('dynamodb').Table('t')\n{helpers}def handler(event, context):\n    for record in event['Records']:\n{calls}"
    file = analyze_source("src/app.py", text, "python")
    first = Facts([file], entry="handler").calls("aws.dynamodb.PutItem")
    second = Facts([file], entry="handler").calls("aws.dynamodb.PutItem")
    assert first == second
    assert all(any(s.kind == "random" for s in c.kwarg("Item").sources) for c in first)  # type: ignore[union-attr]
