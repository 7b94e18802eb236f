"""GitLab Code Quality report (``--format gitlab``), for ``artifacts:reports:codequality``.

    [{"description": "OrdersFunction uses nodejs18.x … Fix: Move to nodejs24.x …",
      "check_name": "SLS201", "fingerprint": "fb3378347e32e5b23110", "severity": "blocker",
      "location": {"path": "template.yaml", "lines": {"begin": 7, "end": 7}}}]

GitLab reads exactly these fields (docs.gitlab.com/ci/testing/code_quality, "Code Quality
report format": description, check_name, fingerprint, severity, location.path,
location.lines.begin); the rest of the Code Climate format (``type``, ``categories``) it
ignores, so it is left out. The fingerprint must be unique per issue: GitLab shows only the
first issue of a fingerprint, so a repeated or missing one is made unique deterministically.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from slsreview.engine import Review
from slsreview.findings import Finding
from slsreview.reporters import ReportOptions
from slsreview.reporters._common import confirmation_note, repo_path, safe

SEVERITIES = {"blocking": "blocker", "non-blocking": "minor", "human-confirmation": "info"}


def render(review: Review, options: ReportOptions) -> str:
    issues: list[dict[str, Any]] = []
    seen: set[str] = set()
    for finding in review.findings:
        fingerprint = _unique(finding, seen)
        seen.add(fingerprint)
        issues.append(_issue(finding, fingerprint))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    description = safe(finding.message) + confirmation_note(finding, with_reason=True)
    if finding.fix:
        description += f" Fix: {safe(finding.fix)}"
    line = max(1, finding.line)
    return {
        "description": description,
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.tier],
        "location": {
            # Relative to the repository, without "./", as GitLab asks.
            "path": repo_path(finding.path) or finding.path,
            "lines": {"begin": line, "end": max(line, finding.end_line)},
        },
    }


def _unique(finding: Finding, seen: set[str]) -> str:
    fingerprint = finding.fingerprint or _digest(finding.rule, finding.path, str(finding.line), str(finding.column), finding.message)
    candidate, n = fingerprint, 1
    while candidate in seen:
        n += 1
        candidate = _digest(fingerprint, str(n))
    return candidate


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]
