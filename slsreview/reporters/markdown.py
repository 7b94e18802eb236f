"""The body of a pull-request comment (``--format markdown``).

    <!-- slsreview -->
    **slsreview: 1 blocking finding — changes requested**

    1 blocking · 0 non-blocking · 1 needs human confirmation · 4 files and 2 functions reviewed

    ### Blocking (1)

    - **SLS201** `deprecated-runtime` · `template.yaml:7` · OrdersFunction — OrdersFunction uses …\\
      **Fix:** Move to nodejs24.x … ([docs](https://docs.aws.amazon.com/…))
    ...
    ### Needs human confirmation (1)

    - [ ] **SLS410** `public-function-url` · `template.yaml:30` — …

The first line is a hidden marker, so a bot finds its own comment and edits it instead of
adding another. Human-confirmation findings are a task list a reviewer ticks; signed-off ones
are ticked already. Every piece of text from a project (messages, fixes, names, paths) is
escaped, so it cannot open a link, a mention, HTML or a heading in the comment.
"""

from __future__ import annotations

import re

from slsreview.engine import Review
from slsreview.findings import TIERS, Finding
from slsreview.reporters import ReportOptions
from slsreview.reporters._common import TIER_HEADINGS, one_line

MARKER = "<!-- slsreview -->"
FOLD_OVER = 10  # a section with more findings than this is folded in <details>
BODY_LIMIT = 65_536  # GitHub rejects a comment body longer than this (characters)

_MENTION = re.compile(r"(?<![\w`])[@#][A-Za-z0-9][\w-]*(?:/[\w.-]+)?")
_PUNCTUATION = re.compile(r"([\\`*_\[\]{}~|!])")
_LINE_START = re.compile(r"^(?:[#+=-]|\d+[.)])")


def render(review: Review, options: ReportOptions) -> str:
    # Over the limit, list fewer findings per section (the rest are counted) until it fits.
    for shown in (None, 200, 100, 50, 20, 10, 5, 0):
        body = _render(review, options, shown)
        if len(body) <= BODY_LIMIT:
            break
    return body


def _render(review: Review, options: ReportOptions, shown: int | None) -> str:
    lines = [MARKER, verdict(review, options), "", counts(review), ""]
    for tier in TIERS:
        findings = [f for f in review.findings if f.tier == tier]
        lines += [f"### {TIER_HEADINGS[tier]} ({len(findings)})", ""]
        lines += _section(findings, tier == "human-confirmation", shown) or ["None."]
        lines.append("")
    lines += _footer(review)
    return "\n".join(lines).rstrip() + "\n"


def verdict(review: Review, options: ReportOptions) -> str:
    blocking = sum(1 for f in review.findings if f.tier == "blocking")
    if blocking:
        return f"**slsreview: {_plural(blocking, 'blocking finding')} — changes requested**"
    if review.fails(options.fail_on):
        return f"**slsreview: no blocking findings, but the check fails at `--fail-on {options.fail_on}`**"
    return "**slsreview: no blocking findings**"


def counts(review: Review) -> str:
    summary = review.summary()
    confirming = summary["human-confirmation"]
    signed_off = summary.get("confirmed", 0)
    parts = [
        f"{summary['blocking']} blocking",
        f"{summary['non-blocking']} non-blocking",
        f"{confirming} {'needs' if confirming == 1 else 'need'} human confirmation"
        + (f" ({signed_off} confirmed)" if signed_off else ""),
        f"{_plural(summary['files'], 'file')} and {_plural(summary['functions'], 'function')} reviewed",
    ]
    return " · ".join(parts)


def _section(findings: list[Finding], checklist: bool, shown: int | None) -> list[str]:
    listed = findings if shown is None else findings[:shown]
    items = [finding_item(f, checklist) for f in listed]
    if len(listed) < len(findings):
        items.append(f"- … and {len(findings) - len(listed)} more, not listed here to keep the comment "
                     "under GitHub's size limit (see the SARIF or JSON report)")
    if len(findings) > FOLD_OVER:
        return [f"<details><summary>{_plural(len(findings), 'finding')}</summary>", "", *items, "", "</details>"]
    return items


def finding_item(finding: Finding, checklist: bool = False) -> str:
    """One finding as a list item: where, which rule, what, and the fix on a second line."""
    box = ("[x] " if finding.confirmation else "[ ] ") if checklist else ""
    head = f"- {box}{finding_title(finding)} — {escape(finding.message)}{confirmed(finding)}"
    return f"{head}\\\n  {fix_line(finding)}"


def finding_title(finding: Finding) -> str:
    where = code(f"{finding.path}:{finding.line}")
    function = f" · {escape(finding.function)}" if finding.function else ""
    return f"**{escape(finding.rule)}** {code(finding.name)} · {where}{function}"


def confirmed(finding: Finding) -> str:
    """`` (confirmed by alice, reason)`` for a signed-off finding, else the empty string."""
    confirmation = finding.confirmation
    if confirmation is None:
        return ""
    reason = f", {escape(confirmation.reason)}" if one_line(confirmation.reason) else ""
    return f" (confirmed by {escape(confirmation.by)}{reason})"


def fix_line(finding: Finding) -> str:
    docs = f" ([docs]({_url(finding.docs)}))" if finding.docs else ""
    return f"**Fix:** {escape(finding.fix)}{docs}"


def _footer(review: Review) -> list[str]:
    hidden = [
        (len(review.suppressed), "suppressed"),
        (len(review.baselined), "in the baseline"),
        (len(review.outside_diff), "outside the diff"),
    ]
    notes = [f"{count} {what}" for count, what in hidden if count]
    lines = []
    if review.changed_lines is not None:
        lines.append("Only findings on lines this change added or modified are listed, with the parse "
                     "problems of changed files.")
    if notes:
        lines.append(f"Not listed: {', '.join(notes)}.")
    return [part for line in lines for part in (f"<sub>{line}</sub>", "")]


def escape(text: str | None) -> str:
    """Project text made inert in GitHub Markdown: one line, HTML entities, backslash-escaped
    punctuation, and @mentions / #references shown as code so they notify no one."""
    text = one_line(text)
    out = []
    last = 0
    for match in _MENTION.finditer(text):
        out.append(_inert(text[last : match.start()]))
        out.append(code(match.group(0)))
        last = match.end()
    out.append(_inert(text[last:]))
    # Nor may it start a block when it starts a line: a heading, a list item, a quote.
    return _LINE_START.sub(lambda m: f"{m.group(0)[:-1]}\\{m.group(0)[-1]}", "".join(out))


def code(text: str | None) -> str:
    """A code span that holds any text, backticks included."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inert(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PUNCTUATION.sub(r"\\\1", text)


def _url(url: str) -> str:
    return one_line(url).replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
