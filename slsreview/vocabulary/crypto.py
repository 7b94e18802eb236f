"""Constant-time comparison: the helpers that compare secrets without leaking their length or
content through timing. Each call is the ``Call`` named ``crypto.compare`` and a ``Comparison``
with ``constant_time=True`` and ``op`` the word below.

    >>> from slsreview.vocabulary.spelling import spellings
    >>> spellings(CONSTANT_TIME, "python")["hmac.compare_digest"]
    'compare_digest'
"""

from __future__ import annotations

from slsreview.vocabulary.spelling import Word

CRYPTO_COMPARE = "crypto.compare"

CONSTANT_TIME: tuple[Word, ...] = (
    Word("compare_digest", python=("hmac.compare_digest", "secrets.compare_digest")),
    # not reached from Python Workers' `js` module by the Python analyzer yet
    Word("timingSafeEqual", javascript=("crypto.timingSafeEqual", "crypto.subtle.timingSafeEqual")),
    Word("tsscmp", javascript=("tsscmp",)),
    Word("scmp", javascript=("scmp",)),
)
