"""Find credentials written into a file's text: the one text-level scan of the review.

The engine runs ``scan_text`` once over every configuration and source file it read. Two kinds
of evidence are recognised:

- ``format``: the value matches a known credential format (``slsreview.vocabulary.secrets``:
  detect-secrets' plugins and formats after gitleaks' rules), passes the format's own check (a
  JWT must decode and not be a public anon key, a private-key marker must be followed by a key
  body, a URL password must be a real one for a non-local host) and is not a placeholder or a
  documented example (``AKIAIOSFODNN7EXAMPLE``);
- ``name`` (source code only, ``names=True``): a quoted literal assigned to a secret's name
  (``API_KEY = "..."``, ``{"x-api-key": "..."}``) that has a generated credential's shape. This
  evidence is weaker; the rule reporting it says so in its tier.

Nothing here prints or keeps a secret beyond the ``SecretLiteral`` itself, whose ``value`` is
excluded from its ``repr`` and comparisons: reports show ``shown`` (a prefix and the length).

    >>> [(s.format, s.loc.line, s.shown) for s in scan_text("app.py", 'KEY = "ghp_' + "a1B2" * 9 + '"\\n')]
    [('github-token', 1, 'ghp_…(40 chars)')]
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Literal

from slsreview.location import Location
from slsreview.redact import mask
from slsreview.vocabulary.secrets import (
    Format,
    candidates,
    credential_shaped,
    entropy,
    formats,
    is_placeholder,
    secret_name,
)


@dataclass(frozen=True, slots=True)
class SecretLiteral:
    """A credential written in a file."""

    format: str  # a format id ("github-token", "private-key") or "secret-named-literal"
    title: str  # "a GitHub token", "a literal assigned to API_KEY"
    loc: Location  # the secret's own span
    shown: str  # what a report may print: "ghp_…(40 chars)"
    length: int
    tier: Literal["blocking", "non-blocking"]
    evidence: Literal["format", "name"]
    name: str | None = None  # the key or variable it is assigned to, when the line says
    value: str = field(default="", repr=False, compare=False)


_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]", "host.docker.internal", "example.com", "example.org", "example.net"})
_FAKE_RUNS = ("1234567890", "0123456789", "abcdefghij", "ABCDEFGHIJ")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
# A quoted value of 16 characters or more after an assignment operator, and the name before the
# operator: NAME = "value", NAME: "value", "NAME": "value", NAME := "value", name => "value", with
# an optional type annotation (API_KEY: str = "...", const apiKey: string = "..."). Searching
# for the operator first and the name behind it keeps the scan linear and cheap.
_VALUE = re.compile(r"""(?::=|=>|=|:)[ \t]*(?P<q>["'`])(?P<value>[^"'`\\\n]{16,400})(?P=q)""")
_NAME_BEFORE_OPERATOR = re.compile(
    r"""(?<![\w$.-])(?P<name>[A-Za-z_$][\w$]{0,80}(?:[.-][A-Za-z_$][\w$]{0,80}){0,6})["'\]]?
        (?:\s*:\s*[A-Za-z_][\w\[\]., |]*)?\s*$""",
    re.VERBOSE,
)
_NOT_A_LITERAL = ("${", "%s", "%(", "{}", "{0}", "#{")


def scan_text(path: str, text: str, *, names: bool = False) -> list[SecretLiteral]:
    """Every credential in ``text``, in order of position. ``names``: also report quoted
    literals with a credential's shape assigned to a secret's name (for source code)."""
    lowered = text.lower()
    starts = _line_starts(text)
    found: list[SecretLiteral] = []
    taken = _Spans()
    for fmt in formats():
        if not any(keyword in lowered for keyword in fmt.keywords):
            continue
        for match, start, end in candidates(fmt, text):
            if taken.overlaps(start, end):
                continue
            if fmt.group == 0 and start > 0 and text[start - 1] in _ALNUM and text[start] in _ALNUM:
                continue  # inside a longer token
            if fmt.exact and end < len(text) and text[end] in _TOKEN_CHARS:
                continue
            if fmt.check == "pem-body":
                if not _pem_has_body(text[match.start() : match.end() + 400]):
                    continue
                start, end = _pem_span(text, start, end)
            value = text[start:end]
            if not _passes(fmt, value, text, match):
                continue
            taken.add(start, end)
            found.append(
                SecretLiteral(
                    format=fmt.id,
                    title=fmt.title,
                    loc=_location(path, text, starts, start, end),
                    shown=mask(value),
                    length=len(value),
                    tier=fmt.tier,
                    evidence="format",
                    name=_assigned_name(text, starts, match.start() if fmt.check == "basic-auth" else start),
                    value=value,
                )
            )
    if names:
        for match in _VALUE.finditer(text):
            start, end = match.span("value")
            if taken.overlaps(start, end):
                continue
            # the name before the operator: NAME = "...", "NAME": "...", NAME: str = "..."
            named = _NAME_BEFORE_OPERATOR.search(text, max(0, match.start() - 200), match.start())
            if named is None:
                continue
            literal = _named_literal(path, text, starts, named.group("name"), match)
            if literal is not None:
                taken.add(start, end)
                found.append(literal)
    found.sort(key=lambda s: (s.loc.line, s.loc.column))
    return found


class _Spans:
    """Non-overlapping spans already reported, for an overlap test in logarithmic time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        if index and self.ends[index - 1] > start:
            return True
        return index < len(self.starts) and self.starts[index] < end

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def match_value(value: str) -> Format | None:
    """The credential format a whole configuration value is (or contains), or None: how a rule
    that reads a value from the model asks the same question the scan asks of a file."""
    if not value:
        return None
    for literal in scan_text("", value):
        return next(f for f in formats() if f.id == literal.format)
    return None


# -- one match --------------------------------------------------------------------------------------


def _passes(fmt: Format, value: str, text: str, match: re.Match[str]) -> bool:
    if fmt.check == "pem-body":
        return True  # checked before its span was computed
    if is_placeholder(value) or _fake(value):
        return False
    if fmt.check == "jwt":
        return _real_jwt(value)
    if fmt.check == "basic-auth":
        return _real_url_password(value, text, match)
    if fmt.check == "not-hex":
        return not all(c in "0123456789abcdefABCDEF" for c in value)
    return True


def _fake(value: str) -> bool:
    """A value whose random-looking part is not random: ``sk_live_000000000000000000000000``."""
    runs = _ALNUM_RUN.findall(value)
    if not runs:
        return True
    longest = max(runs, key=len)
    if len(longest) >= 8 and entropy(longest) < 2.0:
        return True
    return any(fake in value for fake in _FAKE_RUNS)


def _pem_span(text: str, start: int, end: int) -> tuple[int, int]:
    begin = text.rfind("-----", max(0, start - 6), start)
    start = begin if begin >= 0 else start
    close = _PEM_END.search(text, end, end + 16384)
    return (start, close.end()) if close else (start, min(len(text), end + 4096))


_PEM_END = re.compile(r"-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_PEM_NOISE = re.compile(r"\\[nr]|[\s\"'`+,]|^[A-Za-z-]+:.*$", re.MULTILINE)


def _pem_has_body(value: str) -> bool:
    """A key body follows the marker: at least 64 base64 characters, not ``MIIE...``."""
    head_end = value.find("-----", value.find("PRIVATE") if "PRIVATE" in value else 0)
    rest = value[head_end + 5 :] if head_end >= 0 else value
    if value.startswith("PuTTY"):
        rest = value
    rest = re.sub(r"^\s*Proc-Type:.*$|^\s*DEK-Info:.*$", "", rest, flags=re.MULTILINE)
    body = _PEM_NOISE.sub("", rest)[:64]
    if value.startswith("PuTTY"):
        return "Private-Lines" in value
    return len(body) == 64 and all(c.isalnum() or c in "+/=" for c in body) and not _fake(body) and "..." not in rest[:80]


def _real_jwt(value: str) -> bool:
    parts = value.rstrip(".").split(".")
    if len(parts) != 3 or len(parts[2]) < 16:
        return False  # unsigned, or no signature: not a credential
    try:
        header = json.loads(_b64(parts[0]))
        payload = json.loads(_b64(parts[1]))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return False
    if not isinstance(header, dict) or not isinstance(payload, dict) or str(header.get("alg", "")).lower() in ("", "none"):
        return False
    if payload.get("role") == "anon":
        return False  # Supabase's anon key: public by design, shipped to every browser
    return not (payload.get("sub") == "1234567890" and payload.get("name") == "John Doe")  # jwt.io's example


def _b64(part: str) -> str:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8")


def _real_url_password(password: str, text: str, match: re.Match[str]) -> bool:
    whole = match.group(0)
    user = whole[3 : whole.index(":", 3)] if ":" in whole[3:] else ""
    if password == user or (is_placeholder(user + "-" + password) and is_placeholder(password)):
        return False
    after = text[match.end() : match.end() + 256]
    host = re.split(r"[/:?#\s\"'`,;)\]]", after, maxsplit=1)[0].lower()
    return not (host in _LOCAL_HOSTS or host.endswith((".local", ".localhost", ".example.com", ".test", ".invalid")) or host.startswith("127."))


# -- name evidence ----------------------------------------------------------------------------------


def _named_literal(path: str, text: str, starts: list[int], name: str, match: re.Match[str]) -> SecretLiteral | None:
    name = name.rsplit(".", 1)[-1]
    value = match.group("value")
    strength = secret_name(name)
    if strength is None or any(marker in value for marker in _NOT_A_LITERAL):
        return None
    if "://" in value:
        return None  # a URL's password is the url-password format's to judge (local hosts are not secrets)
    if value[0] in "+,.;)" or value[-1] in "+,(;" or "(" in value or ")" in value:
        return None  # code between two string literals ('a:' + b + 'c'), not a literal
    if not credential_shaped(value) or _fake(value):
        return None
    if strength == "weak" and entropy(value) < 3.5:
        return None
    start, end = match.span("value")
    return SecretLiteral(
        format="secret-named-literal",
        title=f"a literal assigned to {name}",
        loc=_location(path, text, starts, start, end),
        shown=mask(value),
        length=len(value),
        tier="non-blocking",
        evidence="name",
        name=name,
        value=value,
    )


_NAME_BEFORE = re.compile(r"""(?<![\w$.-])([A-Za-z_$][\w$.-]{0,120})["'\]]?\s*(?::=|=>|=|:)\s*["'`]?(?:[a-z][a-z0-9+.-]*)?$""")


def _assigned_name(text: str, starts: list[int], offset: int) -> str | None:
    line = bisect.bisect_right(starts, offset) - 1
    before = text[max(starts[line], offset - 200) : offset]
    found = _NAME_BEFORE.search(before)
    return found.group(1).rsplit(".", 1)[-1] if found else None


# -- positions --------------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _location(path: str, text: str, starts: list[int], start: int, end: int) -> Location:
    line = bisect.bisect_right(starts, start) - 1
    end_line = bisect.bisect_right(starts, max(start, end - 1)) - 1
    return Location(
        path,
        line + 1,
        start - starts[line] + 1,
        end_line + 1,
        end - starts[end_line] + 1,
    )
