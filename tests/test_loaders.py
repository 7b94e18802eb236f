from __future__ import annotations

import resource
import time

import pytest

from slsreview.loaders import LoadError, decode_text
from slsreview.loaders.json_loader import load_json
from slsreview.loaders.nodes import Intrinsic, MapNode, walk
from slsreview.loaders.toml_loader import load_toml
from slsreview.loaders.yaml_loader import SHORT_TAGS, load_yaml

# -- YAML ------------------------------------------------------------------------------------


def test_yaml_positions_are_one_based_characters_even_after_non_ascii() -> None:
    text = "설명: 주문 API\nResources:\n  Fn:\n    Timeout: 30\n    Name: \"값\"\n"
    doc = load_yaml("t.yaml", text).value
    props = doc["Resources"]["Fn"]
    assert props.key_loc("Timeout").short() == "t.yaml:4:5"
    assert props.loc("Timeout").short() == "t.yaml:4:14"
    assert doc.loc("설명").short() == "t.yaml:1:5"
    assert (props.loc("Name").column, props.loc("Name").end_column) == (11, 14)


@pytest.mark.parametrize("tag", sorted(SHORT_TAGS))
def test_every_short_tag_becomes_an_explicit_intrinsic(tag: str) -> None:
    doc = load_yaml("t.yaml", f"Value: {tag} Something.Attr\n").value
    value = doc["Value"]
    assert isinstance(value, Intrinsic)
    assert value.name == SHORT_TAGS[tag]
    assert value.loc().line == 1 and value.loc().column == 8


def test_short_tags_on_sequences_and_mappings() -> None:
    text = "A: !Join ['', [a, !Ref B]]\nC: !If [IsProd, 1, 2]\nD: !Sub\n  - '${X}'\n  - X: !GetAtt T.Arn\n"
    doc = load_yaml("t.yaml", text).value
    assert doc["A"].name == "Fn::Join" and doc["A"].value[1][1] == Intrinsic("Ref", "B")
    assert doc["C"].name == "Fn::If"
    assert doc["D"].value[1]["X"] == Intrinsic("Fn::GetAtt", ["T", "Arn"])
    assert Intrinsic("Fn::GetAtt", ["T", "Arn"]).ref_target() == "T"


def test_duplicate_keys_are_reported_and_last_value_kept() -> None:
    loaded = load_yaml("t.yaml", "Timeout: 10\nTimeout: 900\n")
    assert loaded.value["Timeout"] == 900
    (problem,) = loaded.problems
    assert problem.kind == "duplicate-key" and problem.span[:2] == (2, 1)


def test_unknown_tag_is_reported_and_value_kept() -> None:
    loaded = load_yaml("t.yaml", "Role: !GetAttr R.Arn\n")
    assert loaded.value["Role"] == "R.Arn"
    assert [p.kind for p in loaded.problems] == ["unknown-tag"]


def test_yaml_scalars_follow_yaml_1_1_as_cloudformation_reads_them() -> None:
    doc = load_yaml("t.yaml", "a: 10\nb: 1.5\nc: yes\nd: ~\ne: 2010-09-09\nf: '10'\ng: 0x1F\n").value
    assert doc == {"a": 10, "b": 1.5, "c": True, "d": None, "e": "2010-09-09", "f": "10", "g": 31}


def test_merge_keys_and_aliases() -> None:
    doc = load_yaml("t.yaml", "base: &b {Timeout: 3, Memory: 128}\nfn:\n  <<: *b\n  Timeout: 9\n").value
    assert doc["fn"] == {"Timeout": 9, "Memory": 128}


def test_billion_laughs_fails_fast_with_bounded_memory() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    loaded = load_yaml("bomb.yaml", "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB
    assert loaded.value is None and "alias expansion" in loaded.problems[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: " + "[" * 100_000 + "]" * 100_000, "nest"),  # ours at 200 levels, or libyaml's own limit
        ("a: &x [1, *x]\n", "recursive alias *x"),
        ("a: *nothing\n", "undefined alias *nothing"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("a: [1, 2\nb: 3\n", "invalid YAML"),
        ("a:\n\tb: 1\n", "invalid YAML"),
    ],
)
def test_yaml_errors_are_problems_with_positions(text: str, message: str) -> None:
    loaded = load_yaml("t.yaml", text)
    assert loaded.value is None
    assert message in loaded.problems[0].message
    assert len(loaded.problems) == 1
    assert loaded.problems[0].span[0] >= 1


def test_empty_sections_and_documents() -> None:
    assert load_yaml("t.yaml", "").value is None
    assert load_yaml("t.yaml", "Resources:\n").value == {"Resources": None}


def test_huge_integers_and_crlf() -> None:
    doc = load_yaml("t.yaml", "a: " + "9" * 10_000 + "\r\nb: 2\r\n").value
    assert doc["a"] == "9" * 10_000 and doc["b"] == 2
    assert doc.loc("b").line == 2


def test_walk_is_iterative() -> None:
    doc = load_yaml("t.yaml", "a: [1, {b: !Ref c}]\n").value
    assert [key for _, key, _ in walk(doc)] == ["a", 0, 1, "b", None]


# -- JSON / JSONC ----------------------------------------------------------------------------


def test_json_positions_and_long_form_intrinsics() -> None:
    text = '{\n  "Resources": {\n    "Fn": {"Properties": {"Role": {"Fn::GetAtt": ["R", "Arn"]}, "T": 3}}\n  }\n}\n'
    doc = load_json("t.json", text, intrinsics=True).value
    props = doc["Resources"]["Fn"]["Properties"]
    assert props["Role"] == Intrinsic("Fn::GetAtt", ["R", "Arn"])
    assert props.loc("T").short() == "t.json:3:70"


def test_jsonc_comments_and_trailing_commas() -> None:
    text = '{\n  // main entry\n  "main": "src/index.ts", /* block */\n  "vars": {"A": "1",},\n}\n'
    loaded = load_json("wrangler.jsonc", text, jsonc=True)
    assert loaded.value == {"main": "src/index.ts", "vars": {"A": "1"}}
    assert loaded.value["vars"].loc("A").line == 4
    strict = load_json("t.json", text)
    assert strict.value is None and strict.problems[0].span[0] == 2


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('{"a": 1,}', 1, 9), ('{"a" 1}', 1, 6), ("[1, 2", 1, 6), ('{"a": tru}', 1, 7), ("", 1, 1)],
)
def test_json_errors_carry_the_parser_position(text: str, line: int, column: int) -> None:
    loaded = load_json("t.json", text)
    assert loaded.value is None
    assert loaded.problems[0].span[:2] == (line, column)


def test_json_duplicates_and_depth() -> None:
    loaded = load_json("t.json", '{"a": 1, "a": 2}')
    assert loaded.value == {"a": 2} and loaded.problems[0].kind == "duplicate-key"
    deep = load_json("t.json", "[" * 10_000 + "]" * 10_000)
    assert "nesting deeper" in deep.problems[0].message


# -- TOML ------------------------------------------------------------------------------------

WRANGLER = """\
name = "orders"
main = "src/index.ts"   # entry
compatibility_date = "2025-06-01"
kv_namespaces = [
  { binding = "KV", id = "abc" },
]

[vars]
"dotted.name" = "x"

[[env.staging.kv_namespaces]]
binding = "A"

[[env.staging.kv_namespaces]]
binding = "B"
"""


def test_toml_key_and_value_positions() -> None:
    doc = load_toml("wrangler.toml", WRANGLER).value
    assert doc.loc("main").short() == "wrangler.toml:2:8"
    assert doc.key_loc("compatibility_date").short() == "wrangler.toml:3:1"
    assert doc["kv_namespaces"][0].loc("id").short() == "wrangler.toml:5:26"
    assert doc["vars"].key_loc("dotted.name").line == 9
    staging = doc["env"]["staging"]["kv_namespaces"]
    assert [entry.loc("binding").line for entry in staging] == [12, 15]


def test_toml_errors_carry_line_and_column() -> None:
    loaded = load_toml("wrangler.toml", 'name = "x"\nmain = \n')
    assert loaded.value is None and loaded.problems[0].span[:2] == (2, 8)


# -- decoding --------------------------------------------------------------------------------


def test_decode_text_encodings() -> None:
    assert decode_text(b"\xef\xbb\xbfa: 1") == "a: 1"
    assert decode_text("a: 값".encode("utf-16")) == "a: 값"
    with pytest.raises(LoadError, match="NUL") as nul:
        decode_text(b"ok\nbad\x00")
    assert nul.value.line == 2
    with pytest.raises(LoadError, match="UTF-8") as bad:
        decode_text(b"a\nb\n\xff\xfe\xfd")
    assert bad.value.line == 3


def test_mapnode_is_a_plain_dict_for_rules() -> None:
    node = MapNode("x.yaml")
    node.set("a", 1, (1, 1, 1, 2), (1, 4, 1, 5))
    assert node == {"a": 1} and node.loc("missing").path == "x.yaml"
