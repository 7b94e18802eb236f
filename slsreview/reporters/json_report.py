"""The JSON report, exactly as SPEC.md describes it. Byte-identical for the same input."""

from __future__ import annotations

import json
from typing import Any

from slsreview import __version__
from slsreview.engine import Review
from slsreview.findings import Finding
from slsreview.redact import redact
from slsreview.reporters import ReportOptions


def render(review: Review, options: ReportOptions) -> str:
    document = {
        "version": 1,
        "tool": {"name": "slsreview", "version": __version__},
        "summary": review.summary(),
        "findings": [_redacted(finding) for finding in review.findings],
    }
    notes = review.not_reviewed()
    if notes:  # an extension of SPEC's report: what the review could not read, one line each
        document["not_reviewed"] = [redact(note) for note in notes]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _redacted(finding: Finding) -> dict[str, Any]:
    """The finding's JSON with its free text redacted once more: no route may leak a secret."""
    data = finding.to_json()
    for key in ("message", "fix", "function"):
        if isinstance(data[key], str):
            data[key] = redact(data[key])
    if "confirmation" in data:
        data["confirmation"] = {k: redact(v) for k, v in data["confirmation"].items()}
    return data
