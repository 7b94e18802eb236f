"""What the CI and pull-request formats share: safe text, repository paths, sign-off notes.

    >>> repo_path("./src/app.py"), repo_path("/tmp/x.py"), repo_path("../other/t.yaml")
    ('src/app.py', None, None)
    >>> confirmation_note(finding)   # a human-confirmation finding someone signed off
    ' (confirmed by alice)'
"""

from __future__ import annotations

import posixpath

from slsreview.findings import Finding
from slsreview.redact import redact

TIER_HEADINGS = {
    "blocking": "Blocking",
    "non-blocking": "Non-blocking",
    "human-confirmation": "Needs human confirmation",
}


def safe(text: str | None) -> str:
    """Free text as a report may print it: every recognisable credential masked. The engine
    already redacts messages and fixes; reporters do it again so no route can leak one."""
    return redact(text or "")


def one_line(text: str | None) -> str:
    """``safe`` text on one line (annotations, check names, table cells)."""
    return " ".join(safe(text).split())


def repo_path(path: str) -> str | None:
    """A finding's path as a repository-relative POSIX path, or None when it lies outside the
    directory the review ran in (absolute, or reached through ``..``)."""
    path = path.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return None
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        return None
    return normal


def confirmation_note(finding: Finding, *, with_reason: bool = False) -> str:
    """`` (confirmed by alice)`` for a signed-off finding, else the empty string."""
    confirmation = finding.confirmation
    if confirmation is None:
        return ""
    reason = f", {one_line(confirmation.reason)}" if with_reason and confirmation.reason else ""
    return f" (confirmed by {one_line(confirmation.by)}{reason})"
