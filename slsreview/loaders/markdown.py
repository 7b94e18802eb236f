"""What a Markdown document says in its structure: headings with their GitHub anchors, labelled
lines, and links, read without a Markdown library (a text-level scanner, like the suppression
scanner). Code is not prose: fenced and indented code blocks, inline code spans and HTML comments
hold no headings and no links.

    >>> doc = outline("README.md", "# Orders API\\n\\nSee [the runbook](docs/runbook.md#rollback).\\n")
    >>> [(h.text, h.anchor) for h in doc.headings]
    [('Orders API', 'orders-api')]
    >>> [(link.target, link.loc.line, link.loc.column) for link in doc.links]
    [('docs/runbook.md#rollback', 3, 5)]

Anchors follow GitHub's rules: the heading's rendered text, lower-cased, with everything but
letters, digits, spaces, hyphens and underscores removed, spaces turned into hyphens, and ``-1``,
``-2``... appended to repeats. ``<a name="x">`` and ``id="x"`` in HTML count as anchors too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from slsreview.location import Location


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # as rendered: inline markup removed
    level: int
    line: int
    anchor: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image in prose: ``[text](target)``, a reference definition, ``<a href>``."""

    target: str  # as written, angle brackets and title removed
    loc: Location  # the target's position


@dataclass(slots=True)
class Outline:
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)  # heading anchors and HTML ids/names
    prose: list[tuple[int, str]] = field(default_factory=list)  # (line, text) outside code


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(<[^>]*>|\S+)")
_HTML_LINK = re.compile(r"<(?:a|img|source)\b[^>]*?\b(?:href|src)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_HTML_ANCHOR = re.compile(r"<[a-z][^>]*?\b(?:id|name)\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]+>|[*_~`]")


def outline(path: str, text: str) -> Outline:
    out = Outline()
    lines = _without_comments(text).splitlines()
    seen: dict[str, int] = {}
    fence: str | None = None
    previous = ""  # the previous line of prose, for setext headings and indented code
    list_context = False
    for number, line in enumerate(lines, 1):
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            fence = opened.group(1)
            previous = ""
            continue
        if not line.strip():
            previous = ""
            continue
        indented = len(line) - len(line.lstrip(" ")) >= 4 or line.startswith("\t")
        if indented and not previous and not list_context:
            continue  # an indented code block
        if _LIST_ITEM.match(line):
            list_context = True
        elif not indented:
            list_context = False
        atx = _ATX.match(line)
        if atx:
            _heading(out, seen, atx.group(2) or "", len(atx.group(1)), number)
            previous = ""
        elif previous and _SETEXT.match(line) and not _LIST_ITEM.match(previous):
            out.prose.pop()
            _heading(out, seen, previous.strip(), 1 if line.strip()[0] == "=" else 2, number - 1)
            previous = ""
            continue
        else:
            previous = line
        out.prose.append((number, line))
        _links(out, path, number, line)
    return out


def _without_comments(text: str) -> str:
    """HTML comments blanked out, keeping every line where it was."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _heading(out: Outline, seen: dict[str, int], raw: str, level: int, line: int) -> None:
    rendered = _MARKUP.sub(lambda m: m.group(1) or "", _strip_code_spans(raw, keep=True)).strip()
    anchor = slug(rendered)
    if anchor in seen:
        seen[anchor] += 1
        anchor = f"{anchor}-{seen[anchor]}"
    else:
        seen[anchor] = 0
    out.headings.append(Heading(rendered, level, line, anchor))
    out.anchors.add(anchor)
    for match in _HTML_ANCHOR.finditer(raw):
        out.anchors.add(match.group(1)[1:-1])


def slug(text: str) -> str:
    """GitHub's anchor for a heading's rendered text."""
    kept = "".join(
        ch for ch in text.lower() if ch in " -_" or unicodedata.category(ch)[0] in ("L", "N") or unicodedata.category(ch) == "Mn"
    )
    return kept.replace(" ", "-")


def _strip_code_spans(line: str, keep: bool = False) -> str:
    """Inline code spans blanked (links inside them are not links), or replaced by their text."""
    if keep:
        return _CODE_SPAN.sub(lambda m: m.group(2).strip(), line)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _links(out: Outline, path: str, number: int, line: str) -> None:
    prose = _strip_code_spans(line)
    for match in _HTML_ANCHOR.finditer(prose):
        out.anchors.add(match.group(1)[1:-1])
    found: list[tuple[int, str]] = []
    for match in _INLINE_LINK.finditer(prose):
        found.append((match.start(2), match.group(2)))
    reference = _REFERENCE.match(prose)
    if reference and not reference.group(1).startswith("^"):  # [^1]: is a footnote, not a link
        found.append((reference.start(2), reference.group(2)))
    for match in _HTML_LINK.finditer(prose):
        found.append((match.start(1) + 1, match.group(1)[1:-1]))
    for start, target in sorted(found):
        if target.startswith("<") and target.endswith(">"):
            target, start = target[1:-1], start + 1
        if target:
            loc = Location(path, number, start + 1, number, start + 1 + len(target))
            out.links.append(Link(target, loc))


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_relative(target: str) -> bool:
    """A link to a file of the repository (or an anchor of this document), not to the web."""
    return not (_SCHEME.match(target) or target.startswith(("//", "/")) or "{{" in target or "${" in target)
