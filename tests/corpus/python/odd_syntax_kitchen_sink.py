"""Valid but unusual Python: decorators with arguments, nested closures, walrus, lambdas,
`global`, nested f-strings, a very long line, positional-only and keyword-only parameters."""
from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

INVOCATIONS = 0
_warm_since: float | None = None
THRESHOLDS = {k: float(v) for k, v in (pair.split("=") for pair in os.environ.get("THRESHOLDS", "p50=0.1,p99=0.9").split(","))}


def retry(times: int = 3, *, delay: float = 0.05) -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            last: Exception | None = None
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except ValueError as exc:
                    last = exc
                    time.sleep(delay * (2**attempt))
            assert last is not None
            raise last

        return wrapper  # type: ignore[return-value]

    return decorate


def counted(fn):
    @functools.wraps(fn)
    def inner(event, context, /):
        global INVOCATIONS, _warm_since
        INVOCATIONS += 1
        if _warm_since is None:
            _warm_since = time.time()
        return fn(event, context)

    return inner


@retry(times=2, delay=0)
def score(values: list[float], *, weights: dict[str, float] | None = None) -> float:
    weights = weights or {}
    normalise = lambda v, w=1.0: v * w  # noqa: E731
    if not (n := len(values)):
        raise ValueError("no values")
    return sum(normalise(v, weights.get(str(i), 1.0)) for i, v in enumerate(values)) / n


@counted
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    values = [float(x) for x in event.get("values", []) if (s := str(x).strip()) and s[0] != "#"]
    result = score(values, weights=event.get("weights"))
    level = next((name for name, limit in sorted(THRESHOLDS.items(), key=lambda kv: kv[1]) if result <= limit), "over")
    label = f"{'score':>8}: {f'{result:.3f}' if result < 1e6 else f'{result:.2e}'} ({level}, call #{INVOCATIONS})"
    return {"statusCode": 200, "body": json.dumps({"label": label, "warm_for": round(time.time() - (_warm_since or time.time()), 3), "thresholds": THRESHOLDS, "values_seen": len(values), "note": "this line is deliberately longer than any sane formatter would leave it, to exercise column handling in the analyser"})}
