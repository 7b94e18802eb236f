"""SARIF 2.1.0, the subset GitHub code scanning reads (``--format sarif``).

    slsreview check --format sarif -o slsreview.sarif
    # then, in a workflow: github/codeql-action/upload-sarif@v3 with sarif_file: slsreview.sarif

Every rule is described in ``tool.driver.rules`` (not only those that fired), so code scanning
can show a rule's documentation and fix for any alert. Each result carries our own fingerprint
under ``partialFingerprints["slsreviewFingerprint/v1"]``; ``primaryLocationLineHash`` is left
for the upload action to compute, because it never replaces a value that is already there.
Suppressed findings are left out (code scanning ignores SARIF ``suppressions``); baselined
findings and findings outside ``--diff`` are not in the review's findings to begin with.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from slsreview import __version__
from slsreview.engine import Review
from slsreview.findings import Finding
from slsreview.reporters import ReportOptions
from slsreview.reporters._common import confirmation_note, repo_path, safe
from slsreview.rule import DOC_SECTIONS, Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/slsreview/slsreview"
FINGERPRINT_KEY = "slsreviewFingerprint/v1"
SRCROOT = "%SRCROOT%"

# SARIF 3.27.10: when a result's `kind` is anything but "fail", its level SHALL be "none".
# `kind: "review"` would therefore force `level: "none"`, and GitHub code scanning documents
# neither `kind` nor a "none" level (its levels are error, warning and note), and treats
# every result as a failure whatever its kind. So a human-confirmation finding is a "note"
# with the default kind ("fail"), which is conformant, and its tier travels in `properties`.
LEVELS = {"blocking": "error", "non-blocking": "warning", "human-confirmation": "note"}

# Categories whose findings are security results on GitHub: they get the "security" tag and a
# `security-severity` score (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below low).
SECURITY_CATEGORIES = frozenset({"secrets", "pii", "permissions", "exposure"})
SECURITY_SEVERITY = {"blocking": "8.0", "non-blocking": "5.0", "human-confirmation": "3.0"}

DESCRIPTION_LIMIT = 1024  # GitHub's limit for shortDescription and fullDescription


def render(review: Review, options: ReportOptions) -> str:
    rules = sorted(options.rules or review.rules, key=lambda r: r.id)
    descriptors = [_descriptor(rule) for rule in rules]
    index = {rule.id: i for i, rule in enumerate(rules)}
    # A finding from a rule the options did not list (a crash report, a pack loaded late)
    # still needs a descriptor for its ruleIndex to point at.
    for finding in sorted(review.findings, key=lambda f: f.rule):
        if finding.rule not in index:
            index[finding.rule] = len(descriptors)
            descriptors.append(_descriptor_of_finding(finding))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "slsreview",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
    }
    if options.root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(options.root).resolve().as_uri().rstrip("/") + "/"}}
    run["columnKind"] = "unicodeCodePoints"  # our columns count characters, not UTF-16 units
    run["results"] = [_result(finding, index[finding.rule]) for finding in review.findings]
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _descriptor(rule: type[Rule]) -> dict[str, Any]:
    sections = rule.doc_sections()
    summary = " ".join(sections.get("What it does", "").split()) or rule.title
    text, markdown = _help(rule, sections)
    properties: dict[str, Any] = {"tags": [rule.category, rule.tier]}
    if rule.category in SECURITY_CATEGORIES:
        properties["tags"].append("security")
        properties["security-severity"] = SECURITY_SEVERITY[rule.tier]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": _limit(safe(rule.title))},
        "fullDescription": {"text": _limit(safe(summary))},
        "help": {"text": text, "markdown": markdown},
        "helpUri": rule.docs[0],
        "defaultConfiguration": {"level": LEVELS[rule.tier]},
        "properties": properties,
    }


def _help(rule: type[Rule], sections: dict[str, str]) -> tuple[str, str]:
    """The rule's documentation with its fix, as plain text and as Markdown."""
    text = [f"{rule.id} {rule.name}: {rule.title}"]
    markdown = [f"**{rule.id} {rule.name}**: {rule.title}"]
    bodies = {**sections, "Fix": rule.fix}
    for name in [*(s for s in DOC_SECTIONS if s != "References"), "Fix", "References"]:
        if bodies.get(name):
            text += ["", name if name.endswith("?") else f"{name}:", bodies[name]]
            markdown += ["", f"## {name}", "", bodies[name]]
    text += ["", f"Category: {rule.category}. Default tier: {rule.tier}. Docs: {', '.join(rule.docs)}"]
    return safe("\n".join(text)), safe("\n".join(markdown))


def _descriptor_of_finding(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": _limit(safe(finding.name))},
        "fullDescription": {"text": _limit(safe(finding.name))},
        "help": {"text": safe(finding.fix), "markdown": safe(finding.fix)},
        "helpUri": finding.docs,
        "defaultConfiguration": {"level": LEVELS[finding.tier]},
        "properties": {"tags": [finding.category, finding.tier]},
    }


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    message = safe(finding.message) + confirmation_note(finding)
    if finding.fix:
        message += f"\nFix: {safe(finding.fix)}"
    properties: dict[str, Any] = {"tier": finding.tier, "category": finding.category}
    if finding.function:
        properties["function"] = safe(finding.function)
    if finding.platform:
        properties["platform"] = finding.platform
    if finding.confirmation is not None:
        properties["confirmation"] = {k: safe(v) for k, v in finding.confirmation.to_json().items()}
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.tier],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding.path), "region": _region(finding)}}],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    result["properties"] = properties
    return result


def _artifact(path: str) -> dict[str, str]:
    relative = repo_path(path)
    if relative is not None:
        return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}
    if PurePosixPath(path).is_absolute():
        return {"uri": PurePosixPath(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/"), safe="/")}  # ../elsewhere: a relative reference


def _region(finding: Finding) -> dict[str, int]:
    line, column = max(1, finding.line), max(1, finding.column)
    region = {"startLine": line, "startColumn": column}
    end_line = max(line, finding.end_line)
    region["endLine"] = end_line
    # An empty span (a finding about something absent, pinned to a point) has no end column:
    # SARIF then extends the region to the end of the line instead of making it zero-width.
    if finding.end_column >= 1 and (end_line > line or finding.end_column > column):
        region["endColumn"] = finding.end_column
    return region


def _limit(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"
