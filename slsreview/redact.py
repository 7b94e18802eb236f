"""Never print a secret: show a short prefix and the length instead (``ghp_…(40 chars)``).

Rules that talk about a secret value call ``mask`` on it; every finding's message and fix also
pass through ``redact`` before any reporter sees them, so a token that slipped into a message
by any route is masked in every format.

    >>> mask("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB")
    'ghp_…(40 chars)'
"""

from __future__ import annotations

import re

# Well-known credential shapes. Conservative on purpose: these match secrets, not ids.
SECRET_PATTERNS = re.compile(
    r"""
      (?:AKIA|ASIA)[0-9A-Z]{16}                          # AWS access key id
    | gh[pousr]_[A-Za-z0-9]{36,255}                      # GitHub tokens
    | github_pat_[A-Za-z0-9_]{22,255}
    | xox[abposr]-[A-Za-z0-9-]{10,}                      # Slack tokens
    | (?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}           # Stripe secret / restricted keys
    | whsec_[A-Za-z0-9]{16,}                             # Stripe webhook secrets
    | AIza[0-9A-Za-z_-]{35}                              # Google API keys
    | eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}   # JWTs
    | -----BEGIN[ A-Z]*PRIVATE\ KEY-----[^-]*(?:-----END[ A-Z]*PRIVATE\ KEY-----)?
    | (?:postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis)://[^:\s/]+:[^@\s]+@[^\s"']+   # URLs with a password
    """,
    re.VERBOSE,
)

PREFIX = 4


def mask(value: str) -> str:
    """A secret as it may be shown: its first few characters and its length."""
    if len(value) <= PREFIX * 2:
        return f"…({len(value)} chars)"
    return f"{value[:PREFIX]}…({len(value)} chars)"


def redact(text: str) -> str:
    """``text`` with every recognisable credential masked."""
    return SECRET_PATTERNS.sub(lambda m: mask(m.group(0)), text)
