"""Payments: calls that create a charge, a payment intent, a checkout session... at Stripe.

Each is the ``Call`` named ``payment.create`` with ``attrs["resource"]`` named the way the
JavaScript SDK names it (``paymentIntents``, ``checkout.sessions``), and the idempotency key, if
the call passes one, as the kwarg ``idempotency_key`` (``IDEMPOTENCY_KEY``).

    >>> stripe_resource(("PaymentIntent",)), stripe_resource(("checkout", "Session"))
    ('paymentIntents', 'checkout.sessions')
    >>> stripe_resource(("payment_intents",))
    'paymentIntents'
"""

from __future__ import annotations

from collections.abc import Sequence

from slsreview.vocabulary.spelling import Word, camel

# Python: stripe.<Resource>.create(...) (the module-level API) and StripeClient(...).<resource>
# .create(...); JavaScript: new Stripe(key).<resource>.create(...)
STRIPE_CLIENT = Word(
    "stripe",
    python=("stripe.StripeClient", "stripe.Stripe"),
    javascript=("Stripe", "stripe", "stripe.Stripe", "stripe.default"),
)
STRIPE_MODULE = "stripe"  # Python: stripe.PaymentIntent.create(...)
CREATE = "create"
PAYMENT_CREATE = "payment.create"
# StripeClient's versioned namespaces, skipped in the resource path (client.v1.payment_intents)
STRIPE_API_VERSIONS = frozenset({"v1", "v2"})

# The Call kwarg that holds the idempotency key, and where each SDK takes it: Python's
# create(..., idempotency_key=k) or StripeClient's options={"idempotency_key": k}; JavaScript's
# create(params, {idempotencyKey: k})
IDEMPOTENCY_KEY = "idempotency_key"
IDEMPOTENCY_KEY_OPTION = {"python": "idempotency_key", "javascript": "idempotencyKey"}
PYTHON_OPTIONS_ARGUMENT = "options"


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith("s") else "s")


def stripe_resource(parts: Sequence[str]) -> str:
    """``PaymentIntent`` -> ``paymentIntents``; ``checkout.Session`` -> ``checkout.sessions``;
    StripeClient's ``payment_intents`` -> ``paymentIntents``: the JavaScript SDK's names."""
    out = []
    for part in parts:
        if part[:1].isupper():
            out.append(_plural(part[:1].lower() + part[1:]))
        else:
            out.append(camel(part))
    return ".".join(out)
