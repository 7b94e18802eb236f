"""The human report: what was reviewed, then one line per finding, then the verdict.

    template.yaml:7:16: SLS201 [blocking] OrdersFunction uses nodejs16.x, deprecated since ...
      fix: Move to nodejs24.x (or another supported runtime) and run the function's tests on it.
"""

from __future__ import annotations

from slsreview.engine import Review
from slsreview.reporters import ReportOptions
from slsreview.reporters._common import safe

_COLOURS = {"blocking": "31", "non-blocking": "33", "human-confirmation": "36", "dim": "2", "bold": "1"}


def render(review: Review, options: ReportOptions) -> str:
    def paint(text: str, colour: str) -> str:
        return f"\033[{_COLOURS[colour]}m{text}\033[0m" if options.color else text

    lines: list[str] = []
    project = review.project
    if not project.configs:
        roots = ", ".join(review.project.notes[:0]) or "the given paths"
        lines.append(
            paint(
                f"Nothing was reviewed: no SAM/CloudFormation template or wrangler configuration was found under {roots}.",
                "bold",
            )
        )
    else:
        lines.append(paint("Reviewed:", "bold"))
        for config in project.configs:
            lines.append(f"  {safe(config.path)}  ({safe(_describe(config.path, review))})")
        for path, source in sorted(project.sources.items()):
            lines.append(f"  {safe(path)}  ({safe(source.reason)})")
        for doc in project.docs:
            lines.append(f"  {safe(doc.path)}  (documentation)")
    notes = review.not_reviewed()
    if notes:
        lines.append(paint("Not reviewed:", "bold"))
        lines.extend(f"  {safe(note)}" for note in notes)
    lines.append("")
    for f in review.findings:
        where = paint(f"{safe(f.path)}:{f.line}:{f.column}:", "bold")
        label = f"{f.tier}, confirmed by {safe(f.confirmation.by)}" if f.confirmation else f.tier
        tier = paint(f"[{label}]", f.tier)
        lines.append(f"{where} {f.rule} {tier} {safe(f.message)}")
        lines.append(paint(f"  fix: {safe(f.fix)}", "dim"))
    if review.findings:
        lines.append("")
    summary = review.summary()
    counts = ", ".join(f"{summary[t]} {t}" for t in ("blocking", "non-blocking", "human-confirmation"))
    hidden = [
        f"{summary['suppressed']} suppressed" if summary["suppressed"] else "",
        f"{summary['baselined']} in the baseline" if summary.get("baselined") else "",
        f"{summary['outside_diff']} on unchanged lines left out" if summary.get("outside_diff") else "",
        f"{summary['confirmed']} confirmed" if summary.get("confirmed") else "",
    ]
    extra = "".join(f"; {part}" for part in hidden if part)
    units = f"{summary['functions']} function{'s' if summary['functions'] != 1 else ''}"
    verdict = paint("FAIL", "blocking") if review.fails(options.fail_on) else paint("PASS", "bold")
    lines.append(f"{verdict}: {counts}{extra} ({summary['files']} files, {units} reviewed)")
    # Paths, handler details and messages all come from the project: each is masked above (one
    # text at a time, so that the many repeated ones, fixes above all, are masked once)
    return "\n".join(lines) + "\n"


def _describe(path: str, review: Review) -> str:
    project = review.project
    config = next(c for c in project.configs if c.path == path)
    if config.value is None:
        return "could not be read"
    if config.kind == "template":
        names = [fn.name for fn in project.functions if fn.template == path]
        return f"template: {', '.join(names)}" if names else "template: no functions"
    if config.kind == "wrangler":
        names = [w.display_name for w in project.workers if w.config.path == path]
        return f"wrangler: {', '.join(names)}"
    return "samconfig"
