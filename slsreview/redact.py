"""Never print a secret: show a short prefix and the length instead (``ghp_…(40 chars)``).

Rules that talk about a secret value call ``mask`` on it. Every finding's message and fix pass
through ``redact`` in the engine, with the values the review itself recognised as secrets
(``known``: every credential the scan found and every value of a secret-named setting), and
the reporters redact all free text once more: a credential of any known format that slipped into
a message by any route is masked in every format. The formats are the generated table in
``slsreview.vocabulary.secrets``; redaction masks every match of them, without the checks that
decide whether a match is worth a finding (masking a placeholder costs nothing).

    >>> mask("ghp_0123456789abcdefghijklmnopqrstuvwxyz")
    'ghp_…(40 chars)'
    >>> mask("hunter2!!")
    'hu…(9 chars)'
    >>> redact("the key is hunter2-prod-9", known={"hunter2-prod-9"})
    'the key is hun…(14 chars)'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

PREFIX = 4


def mask(value: str) -> str:
    """A secret as it may be shown: at most its first four characters (fewer for a short one,
    none for eight characters or less) and its length."""
    if len(value) <= PREFIX * 2:
        return f"…({len(value)} chars)"
    return f"{value[: min(PREFIX, len(value) // 4)]}…({len(value)} chars)"


def redact(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every recognisable credential, and every value in ``known``, masked."""
    if not text:
        return text
    for value in sorted({v for v in known if len(v) >= 6}, key=len, reverse=True):
        if value in text:
            text = text.replace(value, mask(value))
    return _mask_formats(text)


@functools.cache
def _keywords() -> frozenset[str]:
    """Every keyword of every format: a text that holds none of them holds no credential."""
    from slsreview.vocabulary.secrets import formats

    return frozenset(keyword for fmt in formats() for keyword in fmt.keywords)


@functools.lru_cache(maxsize=4096)
def _mask_formats(text: str) -> str:
    # cached: a review redacts the same fix texts and messages many times over (in the engine,
    # then again in every reporter), and the formats never change within a process
    from slsreview.vocabulary.secrets import candidates, formats

    lowered = text.lower()
    present = {keyword for keyword in _keywords() if keyword in lowered}
    spans: list[tuple[int, int]] = []
    if not present:
        return text
    for fmt in formats():
        if present.isdisjoint(fmt.keywords):
            continue
        for _match, start, end in candidates(fmt, text):
            if fmt.check == "pem-body":
                dashes = text.rfind("-----", max(0, start - 6), start)
                start = dashes if dashes >= 0 else start
                close = text.find("-----END", end, end + 16384)
                finish = text.find("-----", close + 8, close + 64) if close >= 0 else -1
                end = finish + 5 if finish >= 0 else min(len(text), end + 4096)
            if end - start >= 6 and "…(" not in text[start:end]:
                spans.append((start, end))
    if not spans:
        return text
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out.append(text[position:start])
        out.append(mask(text[start:end]))
        position = end
    out.append(text[position:])
    return "".join(out)
