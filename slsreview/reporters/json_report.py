"""The JSON report, exactly as SPEC.md describes it. Byte-identical for the same input."""

from __future__ import annotations

import json

from slsreview import __version__
from slsreview.engine import Review
from slsreview.reporters import ReportOptions


def render(review: Review, options: ReportOptions) -> str:
    document = {
        "version": 1,
        "tool": {"name": "slsreview", "version": __version__},
        "summary": review.summary(),
        "findings": [finding.to_json() for finding in review.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
