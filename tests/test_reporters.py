"""The CI and pull-request formats: their structure as GitHub and GitLab read it, their escaping,
their determinism, and that none of them (text and json included) prints a secret in full.

The SARIF tests validate against the official OASIS schema, ``tests/data/sarif-schema-2.1.0.json``
(a verbatim copy, so that every checkout validates; ``SLSREVIEW_SARIF_SCHEMA`` names another).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from slsreview.engine import Review
from slsreview.findings import Confirmation, Finding
from slsreview.model.project import Project
from slsreview.reporters import REPORTERS, ReportOptions, get_reporter
from slsreview.reporters.github import annotation, escape_data, escape_property
from slsreview.rule import Example, Expect, Rule
from tests.conftest import ALL_RULES, run_review

ROOT = Path(__file__).parent.parent
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"  # the official OASIS schema, verbatim
SAMPLES = sorted(p for p in (ROOT / "sample_projects").iterdir() if p.is_dir())
SPEC_FORMATS = ["github", "gitlab", "json", "markdown", "review", "sarif", "text"]

# Built by concatenation so that this file itself holds no credential-shaped string.
AWS_KEY = "AKIA" + "Z7QX4M2PLK9WERTY"
GITHUB_TOKEN = "ghp_" + "r4Nd0mT0k3nV4lu3f0rT3st1ngPurp0s3s12"
STRIPE_KEY = "sk_" + "live_" + "51Hx9aBcDeFgHiJkLmNoPqRsT"
SECRETS = (AWS_KEY, GITHUB_TOKEN, STRIPE_KEY)


class PlaintextSecretForTests(Rule):
    """
    ## What it does
    Stands in for a secrets rule, so the SARIF tests see a security category.

    ## Why is this bad?
    A secret in plain configuration is readable by everyone who can read the repository.

    ## Why this tier
    Blocking: deploying publishes the secret.

    ## Example
    `API_KEY = "..."`

    ## Use instead
    A secret store.

    ## References
    - [Secrets](https://example.com/secrets)
    """

    id = "SLS990"
    name = "plaintext-secret-for-tests"
    category = "secrets"
    tier = "blocking"
    title = "A secret is written in plain configuration"
    fix = "Move the value to a secret store and rotate it."
    docs = ("https://example.com/secrets",)
    bad = [Example({"wrangler.toml": ""}, expect=[Expect("wrangler.toml", 1, 1, "x")])]
    good = [Example({"wrangler.toml": ""})]


RULES = (*ALL_RULES, PlaintextSecretForTests)
OPTIONS = ReportOptions(rules=RULES, root=str(ROOT))


def finding(**fields: Any) -> Finding:
    values: dict[str, Any] = {
        "rule": "SLS201",
        "name": "deprecated-runtime",
        "category": "runtime",
        "tier": "blocking",
        "message": "OrdersFunction uses nodejs18.x, deprecated since 2025-09-01",
        "path": "template.yaml",
        "line": 7,
        "column": 14,
        "end_line": 7,
        "end_column": 24,
        "function": "OrdersFunction",
        "platform": "aws-lambda",
        "fix": "Move to nodejs24.x.",
        "docs": "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    }
    values.update(fields)
    values.setdefault("fingerprint", f"fp{values['rule']}{values['path']}{values['line']}{values['column']}")
    return Finding(**values)


def review_of(findings: list[Finding], **fields: Any) -> Review:
    return Review(
        findings=sorted(findings, key=Finding.sort_key),
        suppressed=fields.pop("suppressed", []),
        project=Project(),
        files=["template.yaml", "src/app.py"],
        skipped=[],
        rules=list(ALL_RULES),
        **fields,
    )


CONFIRMATION = Confirmation("fpconfirmed", by="alice", at="2026-11-20", reason="public on purpose: status page")


def mixed_review(**fields: Any) -> Review:
    """One finding of each tier, a signed-off one, a security one and a hidden one of each kind."""
    return review_of(
        [
            finding(),
            finding(rule="SLS990", name="plaintext-secret-for-tests", category="secrets", path="wrangler.toml",
                    line=6, column=1, end_line=6, end_column=40, platform="cloudflare-workers", function="orders"),
            finding(rule="SLS003", name="source-partly-unparsed", category="parse", tier="non-blocking",
                    path="src/app.py", line=12, column=5, end_line=12, end_column=5),
            finding(rule="SLS004", name="invalid-suppression", category="docs", tier="human-confirmation",
                    path="template.yaml", line=30, column=3, end_line=31, end_column=1),
            finding(rule="SLS004", name="invalid-suppression", category="docs", tier="human-confirmation",
                    path="template.yaml", line=40, column=3, fingerprint="fpconfirmed", confirmation=CONFIRMATION),
        ],
        suppressed=fields.pop("suppressed", [finding(line=50, message="suppressed one")]),
        baselined=fields.pop("baselined", [finding(line=60), finding(line=61)]),
        **fields,
    )


def render(fmt: str, review: Review, options: ReportOptions = OPTIONS) -> str:
    return get_reporter(fmt)(review, options)


@cache
def sample_review(sample: Path) -> Review:
    return run_review(sample)


def sample_options(sample: Path) -> ReportOptions:
    return ReportOptions(rules=tuple(ALL_RULES), root=str(sample))


# -- every format, every sample ------------------------------------------------------------------


def test_the_registry_has_every_format_of_the_spec() -> None:
    assert sorted(REPORTERS) == SPEC_FORMATS


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_format_is_deterministic(sample: Path) -> None:
    again = run_review(sample)
    for fmt in SPEC_FORMATS:
        first = render(fmt, sample_review(sample), sample_options(sample))
        assert first == render(fmt, again, sample_options(sample)), fmt
        assert first.endswith("\n") and not first.startswith("\ufeff"), fmt


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_format_has_its_structure_for_every_sample(sample: Path) -> None:
    review = sample_review(sample)
    options = sample_options(sample)
    assert json.loads(render("json", review, options))["findings"] == [
        json.loads(json.dumps(f.to_json())) for f in review.findings
    ]
    check_sarif(json.loads(render("sarif", review, options)), review)
    check_review_payload(json.loads(render("review", review, options)))
    check_gitlab(json.loads(render("gitlab", review, options)), len(review.findings))
    check_github(render("github", review, options), len(review.findings))
    check_markdown(render("markdown", review, options))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sarif_of_every_sample_is_valid(sample: Path) -> None:
    sarif_validator().validate(json.loads(render("sarif", sample_review(sample), sample_options(sample))))


def test_structure_of_a_review_with_every_tier() -> None:
    review = mixed_review()
    check_sarif(json.loads(render("sarif", review)), review)
    check_review_payload(json.loads(render("review", review)))
    check_gitlab(json.loads(render("gitlab", review)), len(review.findings))
    check_github(render("github", review), len(review.findings))
    check_markdown(render("markdown", review))


def test_sarif_of_a_review_with_every_tier_is_valid() -> None:
    sarif_validator().validate(json.loads(render("sarif", mixed_review())))


# -- SARIF ---------------------------------------------------------------------------------------


@cache
def _validator(path: str) -> Any:
    import jsonschema

    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif_validator() -> Any:
    path = os.environ.get("SLSREVIEW_SARIF_SCHEMA") or str(SARIF_SCHEMA)
    assert Path(path).is_file(), f"the SARIF schema {path} does not exist"
    return _validator(path)


def check_sarif(document: dict[str, Any], review: Review) -> None:
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "slsreview" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    for rule in rules:
        assert {"id", "name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"} <= set(rule)
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert len(rule["shortDescription"]["text"]) <= 1024 and len(rule["fullDescription"]["text"]) <= 1024
    assert len(run["results"]) == len(review.findings)
    for result, f in zip(run["results"], review.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == f.rule
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "./")) and "\\" not in uri
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endLine"] >= region["startLine"]
        assert set(result["partialFingerprints"]) == {"slsreviewFingerprint/v1"}
        assert "kind" not in result


def test_sarif_describes_every_rule_not_only_those_that_fired() -> None:
    document = json.loads(render("sarif", review_of([finding()])))
    ids = [r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == sorted(r.id for r in RULES)


def test_sarif_rules_carry_docs_fix_tags_and_security_severity() -> None:
    rules = {r["id"]: r for r in json.loads(render("sarif", mixed_review()))["runs"][0]["tool"]["driver"]["rules"]}
    runtime = rules["SLS201"]
    assert runtime["name"] == "deprecated-runtime"
    assert "## What it does" in runtime["help"]["markdown"] and "## Fix" in runtime["help"]["markdown"]
    assert "Fix:" in runtime["help"]["text"]
    assert runtime["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert runtime["properties"]["tags"] == ["runtime", "blocking"]
    assert "security-severity" not in runtime["properties"]
    secret = rules["SLS990"]
    assert secret["properties"]["tags"] == ["secrets", "blocking", "security"]
    assert float(secret["properties"]["security-severity"]) >= 7.0


def test_sarif_levels_fingerprints_locations_and_confirmations() -> None:
    document = json.loads(render("sarif", mixed_review()))
    run = document["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.resolve().as_uri() + "/"
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r for r in run["results"]}
    assert results[("SLS201", 7)]["level"] == "error"
    assert results[("SLS003", 12)]["level"] == "warning"
    assert results[("SLS004", 30)]["level"] == "note"
    assert results[("SLS201", 7)]["partialFingerprints"] == {"slsreviewFingerprint/v1": "fpSLS201template.yaml714"}
    assert "primaryLocationLineHash" not in json.dumps(document)
    assert results[("SLS201", 7)]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7, "startColumn": 14, "endLine": 7, "endColumn": 24},
    }
    # A point finding (about something absent) has no zero-width end column.
    assert "endColumn" not in results[("SLS003", 12)]["locations"][0]["physicalLocation"]["region"]
    confirmed = results[("SLS004", 40)]
    assert confirmed["message"]["text"].startswith("OrdersFunction uses nodejs18.x, deprecated since 2025-09-01 (confirmed by alice)")
    assert confirmed["properties"]["confirmation"]["by"] == "alice"
    # Suppressed and baselined findings are not results.
    assert {line for _, line in results} == {7, 6, 12, 30, 40}


def test_sarif_describes_a_rule_it_was_not_given() -> None:
    review = review_of([finding(rule="SLS999", name="from-a-late-pack", tier="non-blocking")])
    run = json.loads(render("sarif", review, ReportOptions(rules=ALL_RULES)))["runs"][0]
    (result,) = run["results"]
    descriptor = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert descriptor["id"] == "SLS999" and descriptor["defaultConfiguration"]["level"] == "warning"
    assert "originalUriBaseIds" not in run  # no root given: the consumer resolves %SRCROOT%


def test_sarif_paths_are_relative_posix_uris() -> None:
    review = review_of([finding(path="src/my handler.py"), finding(path="/abs/elsewhere/t.yaml")])
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in json.loads(render("sarif", review))["runs"][0]["results"]]
    assert uris == [{"uri": "file:///abs/elsewhere/t.yaml"}, {"uri": "src/my%20handler.py", "uriBaseId": "%SRCROOT%"}]


# -- markdown --------------------------------------------------------------------------------------


def check_markdown(body: str) -> None:
    lines = body.splitlines()
    assert lines[0] == "<!-- slsreview -->"
    assert lines[1].startswith("**slsreview: ")
    headings = [line for line in lines if line.startswith("### ")]
    assert [h.split(" (")[0] for h in headings] == ["### Blocking", "### Non-blocking", "### Needs human confirmation"]
    assert body.count("<!-- slsreview -->") == 1
    assert len(body) <= 65536


def test_markdown_verdict_counts_sections_and_checklist() -> None:
    body = render("markdown", mixed_review())
    lines = body.splitlines()
    assert lines[1] == "**slsreview: 2 blocking findings — changes requested**"
    assert "2 blocking · 1 non-blocking · 2 need human confirmation (1 confirmed)" in body
    blocking = body.split("### Blocking (2)")[1].split("### Non-blocking")[0]
    assert "**SLS201** `deprecated-runtime` · `template.yaml:7` · OrdersFunction — OrdersFunction uses" in blocking
    assert "**Fix:** Move to nodejs24\\.x\\." not in blocking  # a period is not escaped
    assert "**Fix:** Move to nodejs24.x. ([docs](https://docs.aws.amazon.com/" in blocking
    confirming = body.split("### Needs human confirmation (2)")[1]
    assert confirming.count("- [ ] **SLS004**") == 1
    assert confirming.count("- [x] **SLS004**") == 1
    assert "(confirmed by alice, public on purpose: status page)" in confirming
    assert "Not listed: 1 suppressed, 2 in the baseline." in body
    assert "<details>" not in body


def test_markdown_without_blocking_findings() -> None:
    review = review_of([finding(tier="non-blocking")])
    assert render("markdown", review).splitlines()[1] == "**slsreview: no blocking findings**"
    failing = render("markdown", review, ReportOptions(fail_on="non-blocking"))
    assert failing.splitlines()[1] == "**slsreview: no blocking findings, but the check fails at `--fail-on non-blocking`**"
    empty = render("markdown", review_of([]))
    assert empty.count("None.") == 3


def test_markdown_folds_long_sections() -> None:
    review = review_of([finding(tier="non-blocking", line=n) for n in range(1, 12)] + [finding(line=99)])
    body = render("markdown", review)
    non_blocking = body.split("### Non-blocking (11)")[1].split("### Needs")[0]
    assert non_blocking.strip().startswith("<details><summary>11 findings</summary>")
    assert non_blocking.strip().endswith("</details>")
    assert "<details>" not in body.split("### Non-blocking")[0]  # ten or fewer stay open


def test_markdown_mentions_diff_mode_and_hidden_findings() -> None:
    review = mixed_review(outside_diff=[finding(line=70)], changed_lines={"template.yaml": {7}})
    body = render("markdown", review)
    assert "Only findings on lines this change added or modified are listed" in body
    assert "Not listed: 1 suppressed, 2 in the baseline, 1 outside the diff." in body


def test_markdown_escapes_project_text() -> None:
    hostile = ("<script>alert(1)</script> **bold** [click](https://evil.example) `tick` @octocat #12 "
               "<!-- slsreview --> a|b\n# Heading\n- item")
    review = review_of([finding(message=hostile, fix="Use @idempotent & `x`", function="<b>Fn</b>",
                                path="src/`odd`.py")])
    body = render("markdown", review)
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;script&gt;" in body
    assert body.count("<!-- slsreview -->") == 1
    assert "\\*\\*bold\\*\\*" in body and "\\[click\\](https://evil.example)" in body
    assert "`@octocat`" in body and "`#12`" in body and "`@idempotent`" in body
    assert "a\\|b" in body and "&amp;" in body
    assert not any(line.startswith(("# Heading", "- item")) for line in body.splitlines())
    assert "``src/`odd`.py:7``" in body


def test_markdown_stays_under_githubs_comment_limit() -> None:
    review = review_of([finding(line=n, message="x" * 300) for n in range(1, 600)])
    body = render("markdown", review)
    assert len(body) <= 65536
    assert "more, not listed here" in body
    assert body.splitlines()[1] == "**slsreview: 599 blocking findings — changes requested**"


# -- review payload ----------------------------------------------------------------------------------

REVIEW_KEYS = {"commit_id", "body", "event", "comments"}
COMMENT_KEYS = {"path", "position", "body", "line", "side", "start_line", "start_side"}


def check_review_payload(payload: dict[str, Any]) -> None:
    """The fields GitHub's POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews accepts."""
    assert set(payload) <= REVIEW_KEYS
    assert payload["event"] in ("APPROVE", "REQUEST_CHANGES", "COMMENT")
    assert isinstance(payload["body"], str) and payload["body"]  # required for REQUEST_CHANGES and COMMENT
    for comment in payload["comments"]:
        assert set(comment) <= COMMENT_KEYS
        assert isinstance(comment["path"], str) and not comment["path"].startswith(("/", "./", "../"))
        assert isinstance(comment["body"], str) and comment["body"]
        assert isinstance(comment["line"], int) and comment["line"] >= 1
        assert comment["side"] in ("LEFT", "RIGHT")


def test_review_without_diff_has_no_inline_comments() -> None:
    review = mixed_review()
    payload = json.loads(render("review", review))
    assert payload["event"] == "REQUEST_CHANGES"
    assert payload["comments"] == []
    assert payload["body"] == render("markdown", review)


def test_review_comments_only_on_changed_lines() -> None:
    review = mixed_review(changed_lines={"template.yaml": {7, 40}, "src/app.py": None})
    payload = json.loads(render("review", review))
    check_review_payload(payload)
    assert [(c["path"], c["line"], c["side"]) for c in payload["comments"]] == [
        ("src/app.py", 12, "RIGHT"),
        ("template.yaml", 7, "RIGHT"),
        ("template.yaml", 40, "RIGHT"),
    ]
    first = payload["comments"][1]["body"]
    assert first.startswith("<!-- slsreview:fpSLS201template.yaml714 -->\n**SLS201** `deprecated-runtime`")
    assert "**Fix:** Move to nodejs24.x." in first
    assert "(confirmed by alice, public on purpose: status page)" in payload["comments"][2]["body"]
    # Outside the changed lines (template.yaml:30, wrangler.toml:6) the findings stay in the body.
    assert "`template.yaml:30`" in payload["body"] and "`wrangler.toml:6`" in payload["body"]


def test_review_comment_text_cannot_start_a_block() -> None:
    review = review_of([finding(message="# Heading\n- item", fix="1. first")], changed_lines={"template.yaml": None})
    body = json.loads(render("review", review))["comments"][0]["body"]
    assert "\n\\# Heading - item\n" in body
    assert not any(line.startswith(("#", "-", "1.")) for line in body.splitlines())


def test_review_event_is_comment_without_blocking_findings() -> None:
    review = review_of([finding(tier="non-blocking")], changed_lines={"template.yaml": None})
    payload = json.loads(render("review", review))
    assert payload["event"] == "COMMENT" and len(payload["comments"]) == 1


def test_review_never_comments_on_a_file_outside_the_repository() -> None:
    review = review_of([finding(path="../elsewhere/template.yaml")], changed_lines={"../elsewhere/template.yaml": None})
    assert json.loads(render("review", review))["comments"] == []


# -- GitHub workflow commands ------------------------------------------------------------------------


def check_github(output: str, count: int) -> None:
    lines = output.splitlines()
    assert len(lines) == count + 1
    for line in lines[:-1]:
        assert re.match(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,(endColumn=\d+,)?title=[^,:]+::", line)
    assert lines[-1].startswith("slsreview: ") and "at most 10" in lines[-1]


def test_github_escaping_matches_the_actions_toolkit() -> None:
    assert escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"
    assert escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


def test_github_annotation_escapes_path_title_and_message() -> None:
    line = annotation(finding(path="src/a,b:c%.py", name="odd,name:x", message="100% sure\nline two: a, b", fix=""))
    assert line == (
        "::error file=src/a%2Cb%3Ac%25.py,line=7,col=14,endLine=7,endColumn=24,"
        "title=SLS201 odd%2Cname%3Ax::100%25 sure%0Aline two: a, b"
    )


def test_github_levels_confirmation_and_summary() -> None:
    lines = render("github", mixed_review()).splitlines()
    # Sorted by path and line: src/app.py, template.yaml:7, :30, :40, wrangler.toml.
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::warning", "::error", "::notice", "::notice", "::error"]
    assert "(confirmed by alice, public on purpose: status page)" in lines[3]
    assert "confirmed" not in lines[2]
    assert "%0AFix: Move to nodejs24.x." in lines[1]
    assert lines[-1].startswith("slsreview: 2 blocking, 1 non-blocking, 2 human-confirmation, 1 suppressed, 2 baselined.")


# -- GitLab Code Quality -----------------------------------------------------------------------------


def check_gitlab(issues: list[dict[str, Any]], count: int) -> None:
    assert isinstance(issues, list) and len(issues) == count
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        path = issue["location"]["path"]
        assert isinstance(path, str) and not path.startswith(("/", "./"))
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_severities_and_fields() -> None:
    issues = json.loads(render("gitlab", mixed_review()))
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("SLS003", "minor"), ("SLS201", "blocker"), ("SLS004", "info"), ("SLS004", "info"), ("SLS990", "blocker"),
    ]
    assert issues[1] == {
        "description": "OrdersFunction uses nodejs18.x, deprecated since 2025-09-01 Fix: Move to nodejs24.x.",
        "check_name": "SLS201",
        "fingerprint": "fpSLS201template.yaml714",
        "severity": "blocker",
        "location": {"path": "template.yaml", "lines": {"begin": 7, "end": 7}},
    }


def test_gitlab_fingerprints_are_unique_even_when_findings_repeat() -> None:
    twins = [finding(fingerprint="same"), finding(fingerprint="same", column=20), finding(fingerprint=""),
             finding(fingerprint="", path="./src/app.py")]
    issues = json.loads(render("gitlab", review_of(twins)))
    check_gitlab(issues, 4)
    assert issues[0]["location"]["path"] == "src/app.py"
    assert json.loads(render("gitlab", review_of(twins))) == issues  # and deterministic


# -- secrets -----------------------------------------------------------------------------------------


def planted_project(tmp_path: Path) -> Path:
    project = tmp_path / "ledger"
    shutil.copytree(ROOT / "sample_projects" / "ledger-python-sam", project)
    template = project / "template.yaml"
    text = template.read_text(encoding="utf-8")
    text = text.replace("Handler: ledger.lambda_handler", f"Handler: {GITHUB_TOKEN}.lambda_handler", 1)
    text += (
        "  PlantedFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      CodeUri: s3://{GITHUB_TOKEN}/code.zip\n"
        f"      Runtime: {STRIPE_KEY}\n"
        "      Handler: app.handler\n"
        "      Environment:\n"
        "        Variables:\n"
        f"          KEY: !{AWS_KEY} value\n"
    )
    template.write_text(text, encoding="utf-8")
    return project


def test_no_format_prints_a_secret_in_full(tmp_path: Path) -> None:
    project = planted_project(tmp_path)
    planted = run_review(project)
    assert planted.findings, "the planted project should produce findings"
    hand_made = review_of([
        finding(message=f"key {AWS_KEY} and token {GITHUB_TOKEN}", fix=f"rotate {STRIPE_KEY}", function=AWS_KEY),
        finding(tier="human-confirmation", line=9, message=f"uses {STRIPE_KEY}",
                confirmation=Confirmation("x", by=GITHUB_TOKEN, at="2026-11-20", reason=f"ok {AWS_KEY}")),
    ], changed_lines={"template.yaml": None})
    for review, root in ((planted, project), (hand_made, tmp_path)):
        for fmt in sorted(REPORTERS):
            output = render(fmt, review, ReportOptions(rules=RULES, root=str(root)))
            for secret in SECRETS:
                assert secret not in output, f"{fmt} printed {secret[:4]}… in full"
    assert "ghp_…(40 chars)" in render("json", hand_made)
    assert "ghp_…(40 chars)" in render("text", planted)


# -- integrations ------------------------------------------------------------------------------------


def test_action_yml_is_a_composite_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["name"] and action["description"]
    assert {"path", "fail-on", "args", "python-version", "comment", "token"} <= set(action["inputs"])
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"
    assert all("description" in spec for spec in action["inputs"].values())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert all("shell" in step for step in steps if "run" in step)
    assert any(step.get("uses", "").startswith("actions/setup-python@") for step in steps)
    upload = next(step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@v3"))
    assert "always()" in upload["if"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "github.action_path" in json.dumps(steps)
    assert "--format sarif" in scripts and "--format markdown" in scripts
    assert "<!-- slsreview -->" in scripts
    # Inputs reach scripts through the environment, never pasted into the script text.
    assert "${{ inputs." not in scripts
    assert "exit" in steps[-1]["run"]


def test_pre_commit_hook() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "slsreview" and hook["language"] == "python"
    assert hook["entry"] == "slsreview check"
    assert hook["args"] == ["--diff", "HEAD"]
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    files = re.compile(hook["files"])
    for name in ("template.yaml", "infra/stack.yml", "wrangler.jsonc", "wrangler.toml", "cfn.json",
                 "src/app.py", "src/index.mjs", "src/w.cjs", "src/w.ts", "src/w.mts", "src/w.cts", "src/w.js"):
        assert files.search(name), name
    for name in ("logo.png", "notes.txt", "template.yaml.bak"):
        assert not files.search(name), name
