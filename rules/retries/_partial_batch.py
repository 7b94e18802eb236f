"""What SLS106 and SLS107 both ask of a handler: does it answer with a partial batch response?

    answer = partial_batch_response(facts)   # PartialBatch(loc, via), or None when nothing says so
"""

from __future__ import annotations

from typing import NamedTuple

from slsreview.analysis.facts import Facts
from slsreview.location import Location

# Powertools builds {"batchItemFailures": [...]} itself from the records its handler raised on.
POWERTOOLS_BATCH = ("powertools.process_partial_response", "powertools.batch_processor")
# middy's middleware turns the handler's Promise.allSettled results into batchItemFailures.
MIDDY_PARTIAL_BATCH = "@middy/sqs-partial-batch-failure"


class PartialBatch(NamedTuple):
    loc: Location
    via: str  # "" (the code returns it), "Powertools" or "middy"

    def where(self) -> str:
        """For messages: ``src/app.py:11`` or ``Powertools at src/app.py:3``."""
        at = f"{self.loc.path}:{self.loc.line}"
        return f"{self.via} at {at}" if self.via else at


def partial_batch_response(facts: Facts) -> PartialBatch | None:
    """Where the handler (or a helper it calls) returns ``batchItemFailures``, or uses Powertools'
    batch processor or middy's partial batch middleware to do it."""
    for ret in facts.returns():
        if "batchItemFailures" in ret.keys:
            return PartialBatch(ret.loc, "")
    for wrapper in facts.wrappers(*POWERTOOLS_BATCH):
        return PartialBatch(wrapper.loc, "Powertools")
    for call in facts.calls_to(MIDDY_PARTIAL_BATCH):
        return PartialBatch(call.loc, "middy")
    return None


def may_return_partial_batch(facts: Facts) -> bool:
    """True unless the facts show every way the handler can answer, and none is a partial batch
    response: the handler's code is parsed and its entry point found, it records no failed item
    in any ``except``/``catch``, it is not wrapped by middy (whose middlewares may build the
    response), and the entry function returns nothing, literals, or dicts we can see into."""
    main = facts.main
    entry = facts.entry()
    if main is None or not all(f.parsed for f in facts.files) or entry is None:
        return True
    if partial_batch_response(facts) is not None or facts.wrappers("middy"):
        return True
    if any(block.on_error == "record-failure" for block in facts.tries()):
        return True
    for ret in facts.returns():
        if ret.function == entry.qualname and ret.value is not None and not ret.keys and not ret.value.is_literal:
            return True  # `return process(event)`: a value we cannot see into
    return False
