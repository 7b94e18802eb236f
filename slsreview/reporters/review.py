"""A pull-request review, as GitHub's "create a review for a pull request" endpoint takes it
(``--format review``)::

    slsreview check --diff origin/main --format review -o review.json
    gh api --method POST repos/OWNER/REPO/pulls/NUMBER/reviews --input review.json

    {"body": "<!-- slsreview -->\\n**slsreview: 1 blocking finding — changes requested** …",
     "event": "REQUEST_CHANGES",
     "comments": [{"path": "template.yaml", "line": 7, "side": "RIGHT", "body": "…"}]}

``event`` is ``REQUEST_CHANGES`` when anything is blocking, else ``COMMENT`` (both need a
body, which is the ``markdown`` report). Inline comments are made only in diff mode, and only
for findings on lines the diff added or changed: GitHub answers 422 to a comment on a line
outside the pull request's diff. Every finding, commented inline or not, is in the body.
"""

from __future__ import annotations

import json
from typing import Any

from slsreview.engine import Review
from slsreview.findings import Finding
from slsreview.reporters import ReportOptions
from slsreview.reporters import markdown as md
from slsreview.reporters._common import repo_path


def render(review: Review, options: ReportOptions) -> str:
    payload = {
        "body": md.render(review, options),
        "event": "REQUEST_CHANGES" if any(f.tier == "blocking" for f in review.findings) else "COMMENT",
        "comments": [_comment(f) for f in inline(review)],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def inline(review: Review) -> list[Finding]:
    """The findings GitHub accepts a line comment on: in diff mode, on a changed line, in a
    file inside the repository."""
    if review.changed_lines is None:
        return []
    return [f for f in review.findings if review.in_diff(f) and repo_path(f.path) is not None and f.line >= 1]


def _comment(finding: Finding) -> dict[str, Any]:
    body = [
        # Hidden, so a bot can recognise its own comment on a later run.
        f"<!-- slsreview:{finding.fingerprint} -->" if finding.fingerprint else md.MARKER,
        f"{md.finding_title(finding)} · {finding.tier}",
        "",
        md.escape(finding.message) + md.confirmed(finding),
        "",
        md.fix_line(finding),
    ]
    return {"path": repo_path(finding.path), "line": finding.line, "side": "RIGHT", "body": "\n".join(body)}

