"""Where the rules stage spends its time: each rule's share of a cold review, slowest first.

    python bench/rule_times.py                 # the synthetic 200-function monorepo
    python bench/rule_times.py ~/src/templates # any folder

The first rule to ask a function's facts pays for linking the values that cross local calls
(``slsreview.analysis.links``), so the table also shows that shared cost on its own line. One cold review, no cache, one job: a profile, not a benchmark (bench/run.py
is the benchmark).
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate
from slsreview import engine
from slsreview.analysis import links
from slsreview.config import Settings
from slsreview.registry import load_rules

spent: dict[str, float] = defaultdict(float)
FACTS = "(facts: reachability)"
LINKS = "(facts: values linked through local calls)"


def _timed(label: str, method: Callable[..., Any], generator: bool) -> Callable[..., Any]:
    if generator:

        @functools.wraps(method)
        def gen(*args: Any, **kwargs: Any) -> Iterator[Any]:
            start = time.perf_counter()
            try:
                yield from method(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return gen

    @functools.wraps(method)
    def plain(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    rules = load_rules()
    for rule in rules:
        for name in ("check", "check_function", "check_worker"):
            if name in vars(rule):
                setattr(rule, name, _timed(rule.id, vars(rule)[name], generator=True))
    run = engine._Run
    run.facts_for = _timed(FACTS, run.facts_for, generator=False)  # type: ignore[method-assign]
    links.link = _timed(LINKS, links.link, generator=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.root
        if root is None:
            root = Path(tmp) / "monorepo"
            generate(root, services=20, functions=10, workers=10)
        start = time.perf_counter()
        engine.review([root], Settings(jobs=1, cache=False), rules, cwd=root)
        total = time.perf_counter() - start
    facts, linking = spent.pop(FACTS, 0.0), spent.pop(LINKS, 0.0)
    rules_total = sum(spent.values())
    print(f"cold review {total:.2f} s; rules {rules_total:.3f} s, of which linking {linking:.3f} s; facts_for {facts:.3f} s")
    print(f"{LINKS:34} {linking * 1000:8.1f} ms  (inside the first rule that asks)")
    for rule_id, seconds in sorted(spent.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]:
        print(f"{rule_id:34} {seconds * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
