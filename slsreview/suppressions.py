"""Suppressions: inline comments and SAM resource ``Metadata``, each with a required reason.

Inline, on the offending line or the line above::

    timeout = 900  # slsreview: ignore[SLS301] the nightly export really runs 14 minutes
    // slsreview: ignore[SLS401,SLS402] until=2027-01-31 rotating this key in ticket OPS-12

Resource level, in the untransformed template::

    Metadata:
      slsreview:
        ignore:
          - rule: SLS101
            reason: writes are idempotent by the order id, see docs/orders.md
            until: 2027-03-01

A suppression without a reason, with an unknown rule id, or past its ``until`` date does not
apply, and is itself reported (rule SLS004) so that it cannot silently rot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.location import Location

_INLINE = re.compile(
    r"(?:#|//|/\*)\s*slsreview:\s*ignore\[(?P<ids>[^\]]*)\](?P<rest>.*)$", re.IGNORECASE
)
_UNTIL = re.compile(r"^\s*until=(\S+)")


@dataclass(frozen=True, slots=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str
    until: dt.date | None
    loc: Location  # the comment, or the Metadata entry
    lines: tuple[int, ...] = ()  # inline: the lines it covers
    resource: tuple[str, str] | None = None  # Metadata: (template path, logical id)
    problem: str | None = None  # why it does not apply, if it does not

    def covers(self, rule: str) -> bool:
        return rule in self.rules


def scan_inline(path: str, text: str, known_rules: set[str], today: dt.date) -> list[Suppression]:
    """Every ``slsreview: ignore[...]`` comment in a file. Cheap: one regex search per line,
    after one substring test for the whole file."""
    if "slsreview:" not in text and "SLSREVIEW:" not in text.upper():
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "slsreview" not in line.lower():
            continue
        match = _INLINE.search(line)
        if match is None:
            continue
        column = match.start() + 1
        loc = Location(path, number, column, number, len(line) + 1)
        rest = match["rest"].removesuffix("*/").strip()
        out.append(
            _make(match["ids"], rest, None, loc, known_rules, today, lines=(number, number + 1))
        )
    return out


def scan_metadata(
    template: str, logical_id: str, metadata: MapNode, known_rules: set[str], today: dt.date
) -> list[Suppression]:
    block = metadata.get("slsreview")
    if not isinstance(block, MapNode):
        return []
    entries = block.get("ignore")
    if not isinstance(entries, ListNode):
        return [
            Suppression((), "", None, block.loc(), resource=(template, logical_id),
                        problem="Metadata slsreview.ignore must be a list of {rule, reason}")
        ]
    out = []
    for index, entry in enumerate(entries):
        loc = entries.loc(index)
        if not isinstance(entry, MapNode):
            out.append(Suppression((), "", None, loc, resource=(template, logical_id),
                                   problem="each slsreview.ignore entry needs 'rule' and 'reason'"))
            continue
        rule = entry.get("rule")
        ids = ",".join(rule) if isinstance(rule, list) else str(rule or "")
        until = entry.get("until")
        out.append(
            _make(ids, str(entry.get("reason") or "").strip(), str(until) if until is not None else None,
                  loc, known_rules, today, resource=(template, logical_id))
        )
    return out


def _make(
    ids_text: str,
    rest: str,
    until_text: str | None,
    loc: Location,
    known_rules: set[str],
    today: dt.date,
    lines: tuple[int, ...] = (),
    resource: tuple[str, str] | None = None,
) -> Suppression:
    ids = tuple(i.strip().upper() for i in ids_text.split(",") if i.strip())
    reason = rest
    if until_text is None:
        until_match = _UNTIL.match(rest)
        if until_match:
            until_text = until_match.group(1)
            reason = rest[until_match.end():].strip()
    until = None
    problem = None
    if until_text is not None:
        try:
            until = dt.date.fromisoformat(until_text)
        except ValueError:
            problem = f"until={until_text} is not a date (YYYY-MM-DD)"
    unknown = [i for i in ids if i not in known_rules]
    if not ids:
        problem = "names no rule: write ignore[SLS123]"
    elif unknown:
        problem = f"names unknown rule {', '.join(unknown)}"
    elif not reason:
        problem = "has no reason: say why this finding is acceptable"
    elif until is not None and until < today:
        problem = f"expired on {until.isoformat()}: the finding it hid is reported again"
    return Suppression(ids, reason, until, loc, lines, resource, problem)
