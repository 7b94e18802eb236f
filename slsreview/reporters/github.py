"""GitHub Actions workflow commands: one annotation per finding (``--format github``).

    ::error file=template.yaml,line=7,col=14,endLine=7,endColumn=24,title=SLS201 deprecated-runtime::OrdersFunction uses nodejs18.x …%0AFix: Move to nodejs24.x …
    slsreview: 1 blocking, 0 non-blocking, 0 human-confirmation. GitHub shows at most 10 …

Blocking findings are errors, non-blocking ones warnings, human-confirmation ones notices.
Values are escaped as the Actions toolkit escapes them (``escape_data`` and
``escape_property``), so no message can end a command early or start another one.

GitHub turns at most 10 errors, 10 warnings and 10 notices of one step into annotations, and 50
of one job (actions/toolkit, docs/problem-matchers.md, "Limitations"); the last line says so,
because every finding is still in the log.
"""

from __future__ import annotations

from slsreview.engine import Review
from slsreview.findings import TIERS, Finding
from slsreview.reporters import ReportOptions
from slsreview.reporters._common import confirmation_note, safe

COMMANDS = {"blocking": "error", "non-blocking": "warning", "human-confirmation": "notice"}
PER_STEP = 10  # annotations of each kind GitHub shows per step
PER_JOB = 50


def render(review: Review, options: ReportOptions) -> str:
    lines = [annotation(finding) for finding in review.findings]
    lines.append(_summary(review))
    return "\n".join(lines) + "\n"


def annotation(finding: Finding) -> str:
    properties = {
        "file": finding.path,
        "line": str(max(1, finding.line)),
        "col": str(max(1, finding.column)),
        "endLine": str(max(finding.line, finding.end_line, 1)),
    }
    if finding.end_column >= 1 and (finding.end_column > finding.column or finding.end_line > finding.line):
        properties["endColumn"] = str(finding.end_column)
    properties["title"] = f"{finding.rule} {finding.name}"
    message = safe(finding.message) + confirmation_note(finding, with_reason=True)
    if finding.fix:
        message += f"\nFix: {safe(finding.fix)}"
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[finding.tier]} {rendered}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """The Actions toolkit's ``escapeData``: what follows ``::`` in a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The Actions toolkit's ``escapeProperty``: a ``key=value`` before the ``::``."""
    return escape_data(safe(text)).replace(":", "%3A").replace(",", "%2C")


def _summary(review: Review) -> str:
    summary = review.summary()
    counts = ", ".join(f"{summary[tier]} {tier}" for tier in TIERS)
    hidden = [(summary["suppressed"], "suppressed"), (summary.get("baselined", 0), "baselined"),
              (summary.get("outside_diff", 0), "outside the diff")]
    extra = "".join(f", {count} {what}" for count, what in hidden if count)
    return (
        f"slsreview: {counts}{extra}. GitHub shows at most {PER_STEP} error, {PER_STEP} warning and "
        f"{PER_STEP} notice annotations per step ({PER_JOB} per job); every finding is listed above."
    )
