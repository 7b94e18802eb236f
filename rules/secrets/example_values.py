"""Credential-shaped values for the secrets rules' examples.

Each is joined from pieces at import time, so that no credential is written whole in the
repository (a committed example key trips every secret scanner that reads this tree, GitHub's
push protection included). They are random strings typed for the examples, valid for nothing.
"""

from __future__ import annotations

STRIPE_LIVE = "sk_live_" + "T4bN8qWz2LmV6cXr9HsJ1kPdF7gA"
STRIPE_TEST = "sk_test_" + "Yh3Kd8Lp2Qw7Er5Tz9Xc1Vb6Nm4"
GITHUB = "ghp_" + "Q8fK2mZx7LpR4tWc9NbV1hJd6SgY3aEu5oTi"
WEBHOOK = "whsec_" + "Rk7Tq2Wm9Zp4Xc8Vb3Nh6Jd1Lf5Gs0Ay"
AWS_KEY_ID = "AKIA" + "Q7RZ3TW5XK2MV4PN"
OPENAI_LIKE = "Zt8qW3mK9xPb2Lr7Vc4Nd6Hs1Jf5Gy0Ae"  # a literal with a credential's shape, no format
DB_PASSWORD = "Kq7!mZ2p" + "Xw9#Lr4v"
