"""What each rule family adds to a cold review of the 200-function monorepo.

    python bench/family_cost.py              # 9 rounds, 2 jobs
    python bench/family_cost.py --rounds 5

Each round runs, in turn, a cold review with every rule and one cold review per family with
that family's rules ignored (``--ignore``), so that drift on a shared machine falls on all of
them alike. A family's cost is how much longer the review with every rule takes than the one
without it: its rules, the facts only they ask for, and the reporting of their findings. Two
runs of the same build differ by a few percent here; read differences below that as noise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate

# the rule families as the issues that built them name them; ids or prefixes, as --ignore takes
FAMILIES: dict[str, str] = {
    "idempotency and retries (SLS101-111, SLS508)": "SLS1,SLS508",
    "secrets, pii and permissions (SLS301-313, SLS207)": "SLS30,SLS31,SLS207",
    "timeouts to docs (SLS205-206, SLS401-411, SLS501-512 but 508)": (
        "SLS205,SLS206,SLS4,SLS501,SLS502,SLS503,SLS504,SLS505,SLS506,SLS507,SLS509,SLS51"
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "NO_COLOR": "1"}
    work = Path(tempfile.mkdtemp(prefix="slsreview-family-"))
    try:
        mono = work / "mono"
        generate(mono, services=20, functions=10, workers=10)
        base = [sys.executable, "-m", "slsreview", "check", ".", "--no-cache", "--fail-on", "never", "-j", str(args.jobs)]
        variants = {"every rule": base, **{name: [*base, "--ignore", ids] for name, ids in FAMILIES.items()}}
        times: dict[str, list[float]] = {name: [] for name in variants}
        subprocess.run(base, cwd=mono, env=env, capture_output=True, check=False)  # compiles bytecode
        for _ in range(args.rounds):
            for name, command in variants.items():
                start = time.perf_counter()
                subprocess.run(command, cwd=mono, env=env, capture_output=True, check=False)
                times[name].append(time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    every = statistics.median(times["every rule"])
    print(f"cold review of the 200-function monorepo, {args.jobs} jobs, median of {args.rounds} rounds")
    print(f"{'every rule':66} {every:.3f} s")
    for name in FAMILIES:
        without = statistics.median(times[name])
        print(f"{'without ' + name:66} {without:.3f} s  family adds {every / without - 1:+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
